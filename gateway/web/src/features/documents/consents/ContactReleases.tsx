// On a contact's card (Contacts page, seed step 9): the releases of information that name this
// contact, what they allow and until when, and whether each is in effect, waiting for a signature,
// revoked or expired; the patient's Consents section is one link away.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClinicDates } from '../../../app/dates';
import { useSession } from '../../../app/session';
import { useConsents } from './consentsApi';
import './consents.css';

export function ContactReleases({ patientId, contactId }: { patientId: string; contactId: string }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const { isStaff } = useSession();
  const releases = (useConsents(patientId).data?.consents ?? []).filter((c) => c.release?.contactId === contactId);
  if (releases.length === 0) return null;
  return (
    <div className="contact-releases">
      <p className="contact-releases__heading">
        <strong>{t('consents.release.linkedTo')}</strong>
      </p>
      <ul>
        {releases.map((c) => (
          <li key={c.id}>
            {isStaff ? c.title : <Link to={`/documents/consents/${c.id}`}>{c.title}</Link>}:{' '}
            {t('consents.release.scopeUntil', { scope: c.release!.scope, date: dates.dayOf(c.release!.expiresOn) })} ·{' '}
            <span className={`release-state release-state--${c.release!.state}`}>{t(`consents.release.states.${c.release!.state}`)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
