// One appointment as the patient sees it: the day, the time in the clinic's zone (named) and how
// long, in person (where) or a video visit, with whom, for what, the clinic's note, and its state
// when it is not simply booked (cancelled with the reason, completed, missed). Upcoming visits
// offer "Add to calendar" and, for a video visit, "Join video visit" — disabled until the window
// opens, saying when it does.
import { useId, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, problemOfError, type Problem } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { ProblemMessage } from '../../components/ProblemMessage';
import { calendarFileUrl, useJoin, type Appointment } from './appointmentsApi';
import { timeWords } from './appointmentWords';

export function AppointmentCard({
  appointment,
  patientId,
  headingRef,
  headingLevel = 2,
  upcoming,
  onWindowChanged,
}: {
  appointment: Appointment;
  patientId: string;
  /** On the Upcoming list (by the service's clock): it can still be joined or added to a calendar. */
  upcoming: boolean;
  /** The heading takes focus after "Show more" (the first of the newly shown). */
  headingRef?: Ref<HTMLHeadingElement>;
  /** 3 inside a section of a patient's record. */
  headingLevel?: 2 | 3;
  /** The service says the window is not open (any more): read the list again. */
  onWindowChanged(): void;
}) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const when = timeWords(t, dates, appointment);
  const headingId = `appointment-${appointment.id}`;
  const Heading = headingLevel === 3 ? 'h3' : 'h2';
  const telehealth = appointment.mode === 'telehealth';
  // What the buttons are about, for screen readers (several cards have the same buttons).
  const which = t('appointments.card.which', { day: when.day, time: when.start });

  return (
    <li className={`appointment-card appointment-card--${appointment.status}`} aria-labelledby={headingId}>
      <div className="appointment-card__head">
        <Heading id={headingId} className="appointment-card__day" tabIndex={-1} ref={headingRef}>
          {when.day}
        </Heading>
        {appointment.status !== 'scheduled' && (
          <span className={`badge badge--appointment-${appointment.status}`}>{t(`appointments.status.${appointment.status}`)}</span>
        )}
      </div>
      <p className="appointment-card__time">
        <Icon name="clock" />
        <span>
          <time dateTime={appointment.startsAt}>{when.start}</time>
          {' – '}
          <time dateTime={appointment.endsAt}>{when.end}</time> <span className="appointment-card__zone">{when.zone}</span>
          <span className="appointment-card__duration"> · {when.duration}</span>
        </span>
      </p>
      <dl className="appointment-card__details">
        <div>
          <dt>{t('appointments.card.service')}</dt>
          <dd>{appointment.serviceType}</dd>
        </div>
        <div>
          <dt>{t('appointments.card.clinician')}</dt>
          <dd>{appointment.clinicianName}</dd>
        </div>
        <div>
          <dt>{t('appointments.card.where')}</dt>
          <dd>
            {telehealth ? (
              <span className="appointment-card__mode">
                <Icon name="video" /> {t('appointments.mode.telehealth')}
              </span>
            ) : (
              <span className="appointment-card__mode">
                <Icon name="pin" /> {appointment.location || t('appointments.mode.in_person')}
              </span>
            )}
          </dd>
        </div>
        {appointment.noteForPatient && (
          <div>
            <dt>{t('appointments.card.note')}</dt>
            <dd className="appointment-card__note">{appointment.noteForPatient}</dd>
          </div>
        )}
        {appointment.status === 'cancelled' && (
          <div>
            <dt>{t('appointments.card.reason')}</dt>
            <dd>{appointment.cancellationReason || t('appointments.card.noReason')}</dd>
          </div>
        )}
      </dl>
      {upcoming && appointment.status === 'scheduled' && (
        <div className="appointment-card__actions">
          {telehealth && <JoinVideoVisit appointment={appointment} patientId={patientId} which={which} onWindowChanged={onWindowChanged} />}
          <a className="button button--secondary" href={calendarFileUrl(patientId, appointment.id)} download>
            <Icon name="download" />
            {t('appointments.card.addToCalendar')}
            <span className="visually-hidden"> {which}</span>
          </a>
        </div>
      )}
    </li>
  );
}

/**
 * Asks the gateway for the meeting link and opens it in a new tab. The tab is opened at the click
 * (a browser allows a new tab only then), cut off from this page (no opener), and sent to the
 * link once it arrives; the link also stays on the card, in case the tab was blocked or closed.
 */
function JoinVideoVisit({
  appointment,
  patientId,
  which,
  onWindowChanged,
}: {
  appointment: Appointment;
  patientId: string;
  which: string;
  onWindowChanged(): void;
}) {
  const { t } = useTranslation();
  const dates = useClinicDates().inZone(appointment.timeZone);
  const join = useJoin(patientId);
  const [link, setLink] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const hintId = useId();

  const open = async () => {
    setProblem(null);
    const tab = window.open('', '_blank');
    if (tab) tab.opener = null;
    try {
      const meetingUrl = await join.mutateAsync(appointment);
      setLink(meetingUrl);
      if (tab) tab.location.replace(meetingUrl);
    } catch (error) {
      tab?.close();
      setProblem(problemOfError(error));
      if (error instanceof ApiError && (error.status === 412 || error.status === 409)) onWindowChanged();
    }
  };

  if (!appointment.canJoinNow) {
    return (
      <div className="join">
        <Button variant="primary" disabled aria-describedby={hintId}>
          <Icon name="video" />
          {t('appointments.join.button')}
          <span className="visually-hidden"> {which}</span>
        </Button>
        <p id={hintId} className="join__hint">
          {appointment.telehealthOpensAt
            ? t('appointments.join.opensAt', { time: dates.time(appointment.telehealthOpensAt) })
            : t('appointments.join.notOpen')}
        </p>
      </div>
    );
  }
  return (
    <div className="join">
      <Button variant="primary" onClick={open} busy={join.isPending} busyLabel={t('appointments.join.opening')} aria-describedby={hintId}>
        <Icon name="video" />
        {t('appointments.join.button')}
        <span className="visually-hidden"> {which}</span>
      </Button>
      <p id={hintId} className="join__hint">
        {t('appointments.join.newTab')}
      </p>
      {link && (
        <p className="join__link">
          <a href={link} target="_blank" rel="noopener noreferrer">
            {t('appointments.join.openAgain')}
          </a>
        </p>
      )}
      {problem && <ProblemMessage problem={problem} heading={t('appointments.join.failed')} />}
    </div>
  );
}
