// The Consents section of Documents: the consents waiting for a signature first, each opened with
// its pencil button, then the signed ones with their signed PDF; a release of information shows
// whom it names and whether it holds, was revoked or expired.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClinicDates } from '../../../app/dates';
import { Icon } from '../../../components/Icon';
import { useContacts } from '../../contacts/contactsApi';
import { signedPdfUrl, useConsents, type Consent } from './consentsApi';
import './consents.css';

export function ConsentList({ patientId, staffView = false }: { patientId: string; staffView?: boolean }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const query = useConsents(patientId);
  if (query.isError) return <p role="alert">{t('consents.couldNotLoad')}</p>;
  if (!query.data) return <p>{t('consents.loading')}</p>;
  const { consents } = query.data;
  if (consents.length === 0)
    return (
      <div className="card empty-state">
        <h3>{t('documents.empty.consents.title')}</h3>
        <p>{t(staffView ? 'consents.staff.none' : 'documents.empty.consents.body')}</p>
      </div>
    );
  const outstanding = consents.filter((c) => c.state === 'outstanding');
  const signed = consents.filter((c) => c.state === 'signed');
  return (
    <ul className="document-list">
      {[...outstanding, ...signed].map((c) => (
        <li key={c.id} className="document-item">
          <div className="document-item__head">
            <h3 className="document-item__title">{c.title}</h3>
            {c.state === 'outstanding' ? (
              <span className="badge badge--new">{t('consents.toSign')}</span>
            ) : (
              <span className="badge">{t('consents.signedOn', { date: dates.date(c.signedAt!) })}</span>
            )}
          </div>
          {c.release && <ReleaseLine patientId={patientId} consent={c} />}
          {c.state === 'outstanding' ? (
            staffView ? (
              <p className="document-item__meta">{t('consents.staff.waiting', { date: dates.date(c.assignedAt) })}</p>
            ) : (
              <Link className="button button--primary" to={`/documents/consents/${c.id}`}>
                <Icon name="pencil" />
                {t('consents.open', { name: c.title })}
              </Link>
            )
          ) : (
            <div className="consent-actions">
              {!staffView && (
                <Link className="button button--secondary" to={`/documents/consents/${c.id}`}>
                  {t('consents.read', { name: c.title })}
                </Link>
              )}
              <a className="button button--secondary" href={signedPdfUrl(patientId, c.id)} download>
                <Icon name="download" />
                {t('consents.downloadPdf', { name: c.title })}
              </a>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

/** "Release to Dr Referral: attendance — until 30 Jun 2027 · Revoked", the state in words. */
export function ReleaseLine({ patientId, consent }: { patientId: string; consent: Consent }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const contacts = useContacts(patientId);
  const release = consent.release!;
  const name = contacts.data?.find((c) => c.id === release.contactId)?.name ?? t('consents.release.aContact');
  return (
    <p className="document-item__meta">
      {t('consents.release.line', { name, scope: release.scope, date: dates.dayOf(release.expiresOn) })} ·{' '}
      <span className={`release-state release-state--${release.state}`}>{t(`consents.release.states.${release.state}`)}</span>
    </p>
  );
}
