// The patient's screenings at the top of Resources: the ones to complete ("Complete your PHQ-9")
// and the results of the ones done. Staff see the same list on the patient's record.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClinicDates } from '../../app/dates';
import { useSession } from '../../app/session';
import { useScreenings, type Screening } from './screeningsApi';

export function ScreeningList({ patientId, staff = false }: { patientId: string; staff?: boolean }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const { patientPath } = useSession();
  const query = useScreenings(patientId);
  if (query.isError) return <p role="alert">{t('screenings.couldNotLoad')}</p>;
  if (!query.data) return <p>{t('screenings.loading')}</p>;
  const screenings = query.data;
  if (screenings.length === 0) return staff ? <p>{t('screenings.noneYet')}</p> : null;
  const title = (s: Screening) => t(`screenings.instruments.${s.instrument}`);
  const link = (s: Screening) => (staff ? `/staff/patients/${patientId}/screenings/${s.id}` : patientPath(`/documents/screenings/${s.id}`));
  return (
    <ul className="document-list">
      {screenings.map((s) => (
        <li key={s.id} className="document-item">
          <h3 className="document-item__title">{title(s)}</h3>
          {s.result ? (
            <>
              <p className="document-item__meta">
                {t('screenings.scoreLine', { score: s.result.score, max: s.result.maxScore })} ·{' '}
                {t(`screenings.bands.${s.result.severity}`)} · {dates.date(s.result.completedAt)}
              </p>
              {staff && s.result.needsAttention && <p className="screening-flag">{t('screenings.staffAttention')}</p>}
              <Link className="button button--secondary" to={link(s)}>
                {t(staff ? 'screenings.openResult' : 'screenings.seeResult', { name: title(s) })}
              </Link>
            </>
          ) : (
            <>
              <p className="document-item__meta">{t('screenings.assignedOn', { date: dates.date(s.assignedAt) })}</p>
              {staff ? (
                <p>{t('screenings.waiting')}</p>
              ) : (
                <Link className="button button--primary" to={link(s)}>
                  {t('screenings.complete', { name: title(s) })}
                </Link>
              )}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
