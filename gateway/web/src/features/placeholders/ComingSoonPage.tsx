// Appointments, documents, billing and insurance are not in the portal yet. Each menu entry says
// so plainly and tells the patient how to reach the clinic meanwhile — no pretend data.
import { formatPhone, telHref } from '../../app/phone';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { PageHeader } from '../../components/PageHeader';

export interface ComingSoonProps {
  title: string;
  /** What the page will offer, in the patient's words. */
  willOffer: string[];
}

export function ComingSoonPage({ title, willOffer }: ComingSoonProps) {
  const { organisation } = useSession();
  usePageTitle(title);
  return (
    <>
      <PageHeader title={title} />
      <section className="card coming-soon" aria-labelledby="coming-soon-heading">
        <h2 id="coming-soon-heading">Coming soon</h2>
        <p>This part of the portal is not available yet. When it is, you will be able to:</p>
        <ul>
          {willOffer.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        <p>
          Until then, please contact the clinic
          {organisation?.phone || organisation?.email ? ':' : '.'}
          {organisation?.phone && (
            <>
              {' '}
              call <a href={telHref(organisation.phone)}>{formatPhone(organisation.phone)}</a>
            </>
          )}
          {organisation?.phone && organisation?.email && ' or'}
          {organisation?.email && (
            <>
              {' '}
              email <a href={`mailto:${organisation.email}`}>{organisation.email}</a>
            </>
          )}
          {(organisation?.phone || organisation?.email) && '.'}
        </p>
      </section>
    </>
  );
}

export const comingSoon = {
  appointments: {
    title: 'Appointments',
    willOffer: ['see your upcoming and past visits', 'join a telehealth session', 'add appointments to your own calendar'],
  },
  documents: {
    title: 'Documents',
    willOffer: [
      'complete forms and surveys',
      'read notes, assessments and treatment plans',
      'review and sign consents',
      'find resources from the clinic',
      'upload a document for the clinic',
    ],
  },
  billing: {
    title: 'Billing',
    willOffer: ['see what you owe and pay online', 'review payments, estimates and payment plans', 'download statements and superbills'],
  },
  insurance: {
    title: 'Insurance',
    willOffer: ['add your insurance details', 'see the insurance the clinic has on file'],
  },
} satisfies Record<string, ComingSoonProps>;
