// Documents, billing and insurance are not in the portal yet. Each menu entry says
// so plainly and tells the patient how to reach the clinic meanwhile — no pretend data.
import { Trans, useTranslation } from 'react-i18next';
import { formatPhone, telHref } from '../../app/phone';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { PageHeader } from '../../components/PageHeader';

export type ComingSoonArea = 'documents' | 'billing' | 'insurance';

export function ComingSoonPage({ area }: { area: ComingSoonArea }) {
  const { t } = useTranslation();
  const { organisation } = useSession();
  const title = t(`menu.${area}`);
  usePageTitle(title);
  // What the page will offer, in the patient's words.
  const willOffer = t(`comingSoon.${area}`, { returnObjects: true });
  const phone = organisation?.phone ?? '';
  const email = organisation?.email ?? '';
  const reach = phone && email ? 'phoneOrEmail' : phone ? 'phone' : email ? 'email' : 'none';
  return (
    <>
      <PageHeader title={title} />
      <section className="card coming-soon" aria-labelledby="coming-soon-heading">
        <h2 id="coming-soon-heading">{t('comingSoon.heading')}</h2>
        <p>{t('comingSoon.intro')}</p>
        <ul>
          {willOffer.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        <p>
          <Trans
            i18nKey={`comingSoon.reach.${reach}`}
            values={{ phone: formatPhone(phone), email }}
            components={{ phone: <a href={telHref(phone)} />, email: <a href={`mailto:${email}`} /> }}
          />
        </p>
      </section>
    </>
  );
}
