// Seed step 5: the patient's appointments — Upcoming (soonest first) and Past (latest first), as
// two tabs, each list page after page ("Show more"); a video visit is joined from its card inside
// its window, any upcoming visit goes to the person's own calendar as a file, and "Subscribe"
// gives a private address that keeps a calendar program up to date. For the patient the user
// acts for (a guardian sees their patient's, named at the top).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { problemOfError } from '../../app/api';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { Tabs } from '../../components/Tabs';
import { AppointmentCard } from './AppointmentCard';
import { useAppointments, type AppointmentPeriod } from './appointmentsApi';
import { SubscribeDialog } from './SubscribeDialog';
import './appointments.css';

export const periods = ['upcoming', 'past'] as const satisfies readonly AppointmentPeriod[];

export function AppointmentsPage() {
  const { t } = useTranslation();
  usePageTitle(t('appointments.title'));
  const { me, patient, canSwitchPatient } = useSession();
  const [search, setSearch] = useSearchParams();
  const period: AppointmentPeriod = search.get('show') === 'past' ? 'past' : 'upcoming';
  const [subscribing, setSubscribing] = useState(false);
  const forSomeoneElse = patient !== null && patient.id !== me.user.id;

  const choose = (next: AppointmentPeriod) =>
    setSearch(
      (current) => {
        const changed = new URLSearchParams(current);
        if (next === 'past') changed.set('show', 'past');
        else changed.delete('show');
        return changed;
      },
      { replace: true },
    );

  if (!patient) {
    return (
      <>
        <PageHeader title={t('appointments.title')} />
        <div className="card">
          <p>{canSwitchPatient ? t('appointments.choosePatient') : t('appointments.noPatient')}</p>
        </div>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t('appointments.title')}
        lead={forSomeoneElse ? t('appointments.leadFor', { name: patient.name }) : t('appointments.lead')}
      >
        <Button onClick={() => setSubscribing(true)}>
          <Icon name="subscribe" />
          {t('appointments.subscribe.open')}
        </Button>
      </PageHeader>

      <Tabs
        label={t('appointments.tabsLabel')}
        tabs={periods.map((key) => ({ key, label: t(`appointments.tabs.${key}`) }))}
        selected={period}
        onSelect={choose}
      >
        <AppointmentList key={`${patient.id}:${period}`} patientId={patient.id} period={period} />
      </Tabs>

      {subscribing && (
        <SubscribeDialog patientId={patient.id} patientName={forSomeoneElse ? patient.name : null} onClose={() => setSubscribing(false)} />
      )}
    </>
  );
}

/** One patient's appointments of one period, page after page; `headingLevel` 3 inside a patient's record. */
export function AppointmentList({
  patientId,
  period,
  headingLevel = 2,
}: {
  patientId: string;
  period: AppointmentPeriod;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const query = useAppointments(patientId, period);
  const { appointments } = query;
  // After "Show more", focus goes to the first appointment that was not there before.
  const [firstNew, setFirstNew] = useState<number | null>(null);
  const firstNewHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstNew === null || !appointments || appointments.length <= firstNew) return;
    firstNewHeading.current?.focus();
    setFirstNew(null);
  }, [firstNew, appointments]);

  const showMore = () => {
    setFirstNew(appointments?.length ?? 0);
    void query.fetchNextPage();
  };

  if (query.error && !appointments) {
    return (
      <div className="card">
        <ProblemMessage problem={problemOfError(query.error)} heading={t('appointments.couldNotLoad')} />
        <Button onClick={() => void query.refetch()}>{t('common.tryAgain')}</Button>
      </div>
    );
  }
  if (!appointments) return <Loading>{t('appointments.loading')}</Loading>;
  if (appointments.length === 0) {
    return (
      <div className="card empty-state">
        {headingLevel === 3 ? <h3>{t(`appointments.empty.${period}.title`)}</h3> : <h2>{t(`appointments.empty.${period}.title`)}</h2>}
        <p>{t(`appointments.empty.${period}.body`)}</p>
      </div>
    );
  }
  return (
    <>
      <p className="list-summary">{t(`appointments.order.${period}`)}</p>
      <ul className="appointment-list" aria-label={t(`appointments.tabs.${period}`)}>
        {appointments.map((appointment, index) => (
          <AppointmentCard
            key={appointment.id}
            appointment={appointment}
            patientId={patientId}
            upcoming={period === 'upcoming'}
            headingLevel={headingLevel}
            {...(index === firstNew ? { headingRef: firstNewHeading } : {})}
            onWindowChanged={() => void query.refetch()}
          />
        ))}
      </ul>
      {query.isFetchNextPageError && <ProblemMessage problem={problemOfError(query.error)} heading={t('appointments.moreCouldNotLoad')} />}
      {query.hasNextPage && (
        <Button className="appointment-list__more" onClick={showMore} busy={query.isFetchingNextPage} busyLabel={t('common.loading')}>
          {t('appointments.showMore')}
        </Button>
      )}
    </>
  );
}
