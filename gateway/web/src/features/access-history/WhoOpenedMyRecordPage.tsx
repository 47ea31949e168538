// "Who opened my record": every time someone opened or changed the patient's record, newest
// first, as the audit trail kept it — the patient themself, a guardian, or clinic staff. For the
// patient the user acts for (a guardian sees their patient's).
import { useTranslation } from 'react-i18next';
import { problemOfError } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { describeAccess } from './accessWords';
import { useRecordOpenings, type RecordOpening } from './accessHistoryApi';
import './access-history.css';

export function WhoOpenedMyRecordPage() {
  const { t } = useTranslation();
  usePageTitle(t('accessHistory.title'));
  const { me, patient } = useSession();
  const dates = useClinicDates();
  const openings = useRecordOpenings(patient?.id ?? null);
  const list = openings.data?.pages.flatMap((page) => page.openings) ?? [];
  const forSomeoneElse = patient && patient.id !== me.user.id;

  const who = (opening: RecordOpening) => {
    if (opening.actor.id === me.user.id) return t('accessHistory.who.you');
    if (opening.actor.role === 'patient') return forSomeoneElse ? patient.name : t('accessHistory.who.you');
    if (opening.actor.role === 'guardian') return t('accessHistory.who.guardian');
    if (opening.actor.role === 'staff') return t('accessHistory.who.staff');
    return t('accessHistory.who.someone');
  };

  return (
    <>
      <PageHeader
        title={t('accessHistory.title')}
        lead={forSomeoneElse ? t('accessHistory.leadFor', { name: patient.name }) : t('accessHistory.lead')}
      />
      {!patient && (
        <div className="card">
          <p>{t('accessHistory.choosePatient')}</p>
        </div>
      )}
      {openings.error && (
        <div className="card">
          <ProblemMessage problem={problemOfError(openings.error)} heading={t('accessHistory.couldNotLoad')} />
          <Button onClick={() => void openings.refetch()}>{t('common.tryAgain')}</Button>
        </div>
      )}
      {patient && openings.isPending && !openings.error && <Loading>{t('accessHistory.loading')}</Loading>}
      {openings.data && (
        <section className="card" aria-labelledby="openings-heading">
          <h2 id="openings-heading">{t('accessHistory.heading')}</h2>
          {list.length === 0 ? (
            <p>{t('accessHistory.empty')}</p>
          ) : (
            <ol className="access-list">
              {list.map((opening, index) => (
                <li key={`${opening.occurredAt}-${index}`} className="access-list__item">
                  <time dateTime={opening.occurredAt} className="access-list__when">
                    {dates.dateTime(opening.occurredAt)}
                  </time>
                  <span className="access-list__who">{who(opening)}</span>
                  <span className="access-list__what">{describeAccess(t, opening)}</span>
                </li>
              ))}
            </ol>
          )}
          {openings.hasNextPage && (
            <Button onClick={() => void openings.fetchNextPage()} busy={openings.isFetchingNextPage} busyLabel={t('common.loading')}>
              {t('accessHistory.older')}
            </Button>
          )}
        </section>
      )}
    </>
  );
}
