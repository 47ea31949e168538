// Seed step 3: the page a patient lands on — the clinic's welcome message, how to reach the
// clinic, and the client handbook to download.
import { Link } from 'react-router';
import type { Organisation } from '../../app/model';
import { formatPhone, telHref } from '../../app/phone';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { Loading } from '../../components/Loading';

export function HomePage() {
  const { me, organisation, organisationProblem, patient, canSwitchPatient } = useSession();
  usePageTitle('Home');
  const firstName = me.user.name.split(' ')[0] || me.user.name;

  return (
    <>
      <PageHeader
        title={organisation?.name ? `Welcome to ${organisation.name}` : 'Welcome'}
        lead={
          canSwitchPatient && patient ? (
            <>
              Hello {firstName}. You are acting for <strong>{patient.name}</strong>.
            </>
          ) : (
            <>Hello {firstName}.</>
          )
        }
      />
      {organisationProblem && <ProblemMessage problem={organisationProblem} heading="The clinic’s details could not be loaded." />}
      {!organisation && !organisationProblem && <Loading>Loading the clinic’s details…</Loading>}
      {organisation && (
        <div className="home-grid">
          <section className="card home-welcome" aria-labelledby="welcome-heading">
            <h2 id="welcome-heading">A message from the clinic</h2>
            <WelcomeMessage text={organisation.welcomeMessage} />
          </section>
          <ClinicContact organisation={organisation} />
          <Handbook organisation={organisation} />
          <section className="card" aria-labelledby="shortcuts-heading">
            <h2 id="shortcuts-heading">In your portal</h2>
            <ul className="shortcut-list">
              <li>
                <Link to="/contacts">Contacts</Link> — the people the clinic may contact for you, and who may receive your information.
              </li>
              <li>
                <Link to="/appointments">Appointments</Link>, <Link to="/documents">documents</Link>, <Link to="/billing">billing</Link> and{' '}
                <Link to="/insurance">insurance</Link> are coming soon.
              </li>
            </ul>
          </section>
        </div>
      )}
    </>
  );
}

function WelcomeMessage({ text }: { text: string }) {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (paragraphs.length === 0) return <p>We are glad you are here.</p>;
  return (
    <div className="welcome-message">
      {paragraphs.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

function ClinicContact({ organisation }: { organisation: Organisation }) {
  const { address, phone, email, hours } = organisation;
  const addressLines = [address.line1, address.line2, [address.city, address.region, address.postalCode].filter(Boolean).join(', ')].filter(
    (line): line is string => Boolean(line && line.trim()),
  );
  if (addressLines.length === 0 && !phone && !email && hours.length === 0) {
    return (
      <section className="card" aria-labelledby="contact-heading">
        <h2 id="contact-heading">Contact the clinic</h2>
        <p>The clinic has not published its contact details in the portal yet.</p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="contact-heading">
      <h2 id="contact-heading">Contact the clinic</h2>
      <address className="clinic-contact">
        {addressLines.length > 0 && (
          <div className="clinic-contact__row">
            <Icon name="pin" />
            <div>
              <span className="visually-hidden">Address: </span>
              {addressLines.map((line) => (
                <span key={line} className="clinic-contact__line">
                  {line}
                </span>
              ))}
            </div>
          </div>
        )}
        {phone && (
          <div className="clinic-contact__row">
            <Icon name="phone" />
            <div>
              <span className="visually-hidden">Phone: </span>
              <a href={telHref(phone)}>{formatPhone(phone)}</a>
            </div>
          </div>
        )}
        {email && (
          <div className="clinic-contact__row">
            <Icon name="mail" />
            <div>
              <span className="visually-hidden">Email: </span>
              <a href={`mailto:${email}`}>{email}</a>
            </div>
          </div>
        )}
      </address>
      {hours.length > 0 && (
        <>
          <h3 className="clinic-contact__hours-heading">
            <Icon name="clock" /> Opening hours
          </h3>
          <ul className="clinic-contact__hours">
            {hours.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Handbook({ organisation }: { organisation: Organisation }) {
  return (
    <section className="card" aria-labelledby="handbook-heading">
      <h2 id="handbook-heading">Client handbook</h2>
      {organisation.hasHandbook ? (
        <>
          <p>What to expect from your care, the clinic’s policies and your rights, in one document.</p>
          <a className="button button--primary" href="/api/v1/organisation/handbook" download={organisation.handbookFileName || true}>
            <Icon name="download" />
            Download the client handbook
          </a>
          <p className="download-note">PDF{organisation.handbookFileName ? ` · ${organisation.handbookFileName}` : ''}</p>
        </>
      ) : (
        <p>The clinic has not published a handbook yet. Ask the clinic if you have questions about your care.</p>
      )}
    </section>
  );
}
