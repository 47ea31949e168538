// Staff scheduling: one clinician's day or week (previous, today, next; any day), in the clinic's
// time zone, with each appointment's patient, time, what and where; book an appointment for a
// patient of the clinic, and move, cancel (with a reason), complete or mark a no-show. The view
// lives in the address (?clinician=…&view=week&day=2026-12-07), so a reload or a shared link
// shows the same. Below, how long before a visit the clinic's reminder emails go out.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { problemOfError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { addDays, isDay, useClinicDates, weekStart, type Day } from '../../app/dates';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { useUsers, type PortalUser } from '../staff/staffApi';
import { useAppointmentChanges, useClinicianAppointments, type Appointment } from './appointmentsApi';
import { durationWords } from './appointmentWords';
import { ReminderSettings } from './ReminderSettings';
import { blankSchedule } from './scheduleForm';
import { CancelDialog, RescheduleDialog, ScheduleDialog } from './ScheduleDialogs';
import './appointments.css';

type View = 'day' | 'week';
type Acting = { kind: 'schedule' } | { kind: 'reschedule' | 'cancel' | 'complete' | 'no-show'; appointment: Appointment } | null;

const byName = (a: PortalUser, b: PortalUser) => a.name.localeCompare(b.name);

export function StaffSchedulePage() {
  const { t } = useTranslation();
  usePageTitle(t('scheduling.title'));
  const { me } = useSession();
  const dates = useClinicDates();
  const announce = useAnnounce();
  const users = useUsers();
  const [search, setSearch] = useSearchParams();
  const [acting, setActing] = useState<Acting>(null);
  const [focusSlot, setFocusSlot] = useState<string | null>(null);
  const scheduleButton = useRef<HTMLButtonElement>(null);
  const changes = useAppointmentChanges();

  const people = [...(users.data ?? [])].sort(byName);
  const clinicians = people.filter((u) => u.roles.includes('staff'));
  const patients = people.filter((u) => u.roles.includes('patient'));
  const nameOf = (id: string) => people.find((u) => u.id === id)?.name ?? t('scheduling.unknownPatient');

  const today = dates.today();
  const view: View = search.get('view') === 'week' ? 'week' : 'day';
  const asked = search.get('day');
  const day: Day = isDay(asked) ? asked : today;
  const wanted = search.get('clinician');
  const clinicianId =
    (wanted && clinicians.some((c) => c.id === wanted) ? wanted : null) ??
    (clinicians.some((c) => c.id === me.user.id) ? me.user.id : (clinicians[0]?.id ?? null));
  const clinician = clinicians.find((c) => c.id === clinicianId) ?? null;

  const first = view === 'week' ? weekStart(day) : day;
  const days = view === 'week' ? [0, 1, 2, 3, 4, 5, 6].map((n) => addDays(first, n)) : [day];
  const last = days[days.length - 1]!;
  const from = dates.instant(`${first}T00:00`);
  const to = dates.instant(`${addDays(last, 1)}T00:00`);
  const appointments = useClinicianAppointments(clinicianId, from, to);

  const show = (changes: { view?: View; day?: Day; clinician?: string }) =>
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        if (changes.view) next.set('view', changes.view);
        if (changes.day) next.set('day', changes.day);
        if (changes.clinician) next.set('clinician', changes.clinician);
        return next;
      },
      { replace: true },
    );
  const step = view === 'week' ? 7 : 1;

  // After a change, focus goes to the appointment it was about once the view shows it.
  useEffect(() => {
    if (!focusSlot || !appointments.data) return;
    const slot = document.getElementById(`slot-${focusSlot}`);
    if (slot) {
      slot.focus();
      setFocusSlot(null);
    }
  }, [focusSlot, appointments.data]);

  const done = (appointment: Appointment, message: string) => {
    setActing(null);
    announce(message);
    const { day: itsDay } = dates.inZone(appointment.timeZone).wallClock(appointment.startsAt);
    show({ day: itsDay, clinician: appointment.clinicianId });
    setFocusSlot(appointment.id);
  };
  const whenOf = (appointment: Appointment) => {
    const inZone = dates.inZone(appointment.timeZone);
    return { day: inZone.day(appointment.startsAt), time: inZone.time(appointment.startsAt) };
  };

  const rangeLabel =
    view === 'week'
      ? t('scheduling.weekOf', { from: dates.dayOf(first, 'shortDay'), to: dates.dayOf(last) })
      : dates.dayOf(day) + (day === today ? ` ${t('scheduling.todayMark')}` : '');

  return (
    <>
      <PageHeader title={t('scheduling.title')} lead={t('scheduling.lead')}>
        <Button ref={scheduleButton} variant="primary" onClick={() => setActing({ kind: 'schedule' })} disabled={!users.data}>
          <span aria-hidden="true">+ </span>
          {t('scheduling.schedule.open')}
        </Button>
      </PageHeader>
      {users.error && (
        <div className="card">
          <ProblemMessage problem={problemOfError(users.error)} heading={t('staff.users.couldNotLoad')} />
          <Button onClick={() => void users.refetch()}>{t('common.tryAgain')}</Button>
        </div>
      )}
      {!users.data && !users.error && <Loading>{t('scheduling.loadingClinicians')}</Loading>}
      {users.data && clinicians.length === 0 && (
        <div className="card">
          <p>{t('scheduling.noClinicians')}</p>
        </div>
      )}
      {users.data && clinician && (
        <section className="card" aria-labelledby="schedule-range-heading">
          <div className="schedule-toolbar">
            <FormField label={t('scheduling.clinician')}>
              {(control) => (
                <select {...control} value={clinician.id} onChange={(event) => show({ clinician: event.target.value })}>
                  {clinicians.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.id === me.user.id ? t('scheduling.you', { name: c.name }) : c.name}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField label={t('scheduling.goTo')}>
              {(control) => (
                <input
                  {...control}
                  type="date"
                  className="input--short"
                  value={day}
                  onChange={(event) => isDay(event.target.value) && show({ day: event.target.value })}
                />
              )}
            </FormField>
            <div className="segmented" role="group" aria-label={t('scheduling.viewLabel')}>
              {(['day', 'week'] as const).map((option) => (
                <Button key={option} variant="secondary" aria-pressed={view === option} onClick={() => show({ view: option })}>
                  {t(`scheduling.views.${option}`)}
                </Button>
              ))}
            </div>
          </div>

          <div className="schedule-nav">
            <h2 id="schedule-range-heading" className="schedule-nav__range" aria-live="polite">
              {rangeLabel}
            </h2>
            <div className="schedule-nav__buttons">
              <Button variant="quiet" onClick={() => show({ day: addDays(day, -step) })}>
                <span aria-hidden="true">‹ </span>
                {t(`scheduling.previous.${view}`)}
              </Button>
              <Button variant="quiet" onClick={() => show({ day: today })}>
                {t('scheduling.today')}
              </Button>
              <Button variant="quiet" onClick={() => show({ day: addDays(day, step) })}>
                {t(`scheduling.next.${view}`)}
                <span aria-hidden="true"> ›</span>
              </Button>
            </div>
          </div>

          {appointments.error && (
            <>
              <ProblemMessage problem={problemOfError(appointments.error)} heading={t('scheduling.couldNotLoad')} />
              <Button onClick={() => void appointments.refetch()}>{t('common.tryAgain')}</Button>
            </>
          )}
          {appointments.isPending && !appointments.error && <Loading>{t('scheduling.loading')}</Loading>}
          {appointments.data && (
            <div className="schedule">
              {days.map((shown) => (
                <ScheduleDay
                  key={shown}
                  day={shown}
                  today={today}
                  heading={view === 'week'}
                  appointments={appointments.data.filter((a) => dates.inZone(a.timeZone).wallClock(a.startsAt).day === shown)}
                  nameOf={nameOf}
                  onAct={(kind, appointment) => setActing({ kind, appointment })}
                />
              ))}
            </div>
          )}
        </section>
      )}

      <ReminderSettings />

      {acting?.kind === 'schedule' && (
        <ScheduleDialog
          patients={patients}
          clinicians={clinicians}
          initial={blankSchedule(day < today ? today : day, clinicianId ?? '')}
          onScheduled={(appointment) => {
            const when = whenOf(appointment);
            done(appointment, t('scheduling.schedule.done', { name: nameOf(appointment.patientId), ...when }));
          }}
          onClose={() => setActing(null)}
        />
      )}
      {acting?.kind === 'reschedule' && (
        <RescheduleDialog
          appointment={acting.appointment}
          patientName={nameOf(acting.appointment.patientId)}
          onRescheduled={(appointment) =>
            done(appointment, t('scheduling.reschedule.done', { name: nameOf(appointment.patientId), ...whenOf(appointment) }))
          }
          onClose={() => setActing(null)}
        />
      )}
      {acting?.kind === 'cancel' && (
        <CancelDialog
          appointment={acting.appointment}
          patientName={nameOf(acting.appointment.patientId)}
          onCancelled={(appointment) =>
            done(appointment, t('scheduling.cancel.done', { name: nameOf(appointment.patientId), ...whenOf(appointment) }))
          }
          onClose={() => setActing(null)}
        />
      )}
      {(acting?.kind === 'complete' || acting?.kind === 'no-show') && (
        <ConfirmDialog
          title={t(`scheduling.${acting.kind === 'complete' ? 'complete' : 'noShow'}.title`, {
            name: nameOf(acting.appointment.patientId),
            ...whenOf(acting.appointment),
          })}
          confirmLabel={t(`scheduling.${acting.kind === 'complete' ? 'complete' : 'noShow'}.confirm`)}
          busyLabel={t('common.saving')}
          onConfirm={async () => {
            const { appointment } = acting;
            const saved =
              acting.kind === 'complete' ? await changes.complete.mutateAsync(appointment) : await changes.noShow.mutateAsync(appointment);
            done(
              saved,
              t(`scheduling.${acting.kind === 'complete' ? 'complete' : 'noShow'}.done`, {
                name: nameOf(saved.patientId),
                ...whenOf(saved),
              }),
            );
          }}
          onClose={() => setActing(null)}
        >
          <p>{t(`scheduling.${acting.kind === 'complete' ? 'complete' : 'noShow'}.body`)}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function ScheduleDay({
  day,
  today,
  heading,
  appointments,
  nameOf,
  onAct,
}: {
  day: Day;
  today: Day;
  /** In the week view each day has its heading; the day view's is the range heading. */
  heading: boolean;
  appointments: Appointment[];
  nameOf(id: string): string;
  onAct(kind: 'reschedule' | 'cancel' | 'complete' | 'no-show', appointment: Appointment): void;
}) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const headingId = useId();
  return (
    <section className="schedule-day" {...(heading ? { 'aria-labelledby': headingId } : {})}>
      {heading && (
        <h3 id={headingId} className="schedule-day__heading">
          {dates.dayOf(day)}
          {day === today && ` ${t('scheduling.todayMark')}`}
        </h3>
      )}
      {appointments.length === 0 ? (
        <p className="schedule-day__empty">{t('scheduling.nothingBooked')}</p>
      ) : (
        <ul className="slot-list">
          {appointments.map((appointment) => (
            <Slot key={appointment.id} appointment={appointment} patientName={nameOf(appointment.patientId)} onAct={onAct} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Slot({
  appointment,
  patientName,
  onAct,
}: {
  appointment: Appointment;
  patientName: string;
  onAct(kind: 'reschedule' | 'cancel' | 'complete' | 'no-show', appointment: Appointment): void;
}) {
  const { t } = useTranslation();
  const dates = useClinicDates().inZone(appointment.timeZone);
  const start = dates.time(appointment.startsAt);
  const scheduled = appointment.status === 'scheduled';
  const started = Date.parse(appointment.startsAt) <= Date.now();
  // Several rows have the same buttons: each says whose appointment it acts on.
  const whose = t('scheduling.whose', { name: patientName, time: start });
  return (
    <li id={`slot-${appointment.id}`} tabIndex={-1} className={`slot slot--${appointment.status}`}>
      <div className="slot__time">
        <time dateTime={appointment.startsAt}>{start}</time>
        {' – '}
        <time dateTime={appointment.endsAt}>{dates.time(appointment.endsAt)}</time>
        <span className="table__sub">{durationWords(t, appointment.startsAt, appointment.endsAt)}</span>
      </div>
      <div className="slot__who">
        <p className="slot__patient">
          {patientName}{' '}
          {!scheduled && (
            <span className={`badge badge--appointment-${appointment.status}`}>{t(`appointments.status.${appointment.status}`)}</span>
          )}
        </p>
        <p className="slot__details">
          {appointment.serviceType} ·{' '}
          {appointment.mode === 'telehealth' ? t('appointments.mode.telehealth') : appointment.location || t('appointments.mode.in_person')}
        </p>
        {appointment.status === 'cancelled' && appointment.cancellationReason && (
          <p className="slot__details">{t('scheduling.cancelledBecause', { reason: appointment.cancellationReason })}</p>
        )}
      </div>
      {scheduled && (
        <div className="slot__actions">
          {started ? (
            <>
              <Button className="button--small" onClick={() => onAct('complete', appointment)}>
                {t('scheduling.actions.complete')}
                <span className="visually-hidden"> {whose}</span>
              </Button>
              <Button className="button--small" variant="quiet" onClick={() => onAct('no-show', appointment)}>
                {t('scheduling.actions.noShow')}
                <span className="visually-hidden"> {whose}</span>
              </Button>
            </>
          ) : (
            <Button className="button--small" onClick={() => onAct('reschedule', appointment)}>
              {t('scheduling.actions.reschedule')}
              <span className="visually-hidden"> {whose}</span>
            </Button>
          )}
          <Button className="button--small" variant="quiet" onClick={() => onAct('cancel', appointment)}>
            {t('scheduling.actions.cancel')}
            <span className="visually-hidden"> {whose}</span>
          </Button>
        </div>
      )}
    </li>
  );
}
