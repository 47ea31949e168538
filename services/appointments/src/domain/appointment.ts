// What an Appointment is and the rules it obeys: what staff may schedule, how it moves from
// scheduled to cancelled, completed or missed, and when a telehealth visit may be joined. No I/O
// here: the handlers pass in the clinic's zone and the clock's "now".
import { InvalidInput, NotAllowedNow, UUID_PATTERN, validate, type Violation } from '@portico/kit/domain';
import { boundedText } from '@portico/kit/vocabulary';
import { z } from 'zod';
import { instantOf, spokenTime } from './wall-clock.js';

export const APPOINTMENT_STATUSES = ['scheduled', 'cancelled', 'completed', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const APPOINTMENT_MODES = ['in_person', 'telehealth'] as const;
export type AppointmentMode = (typeof APPOINTMENT_MODES)[number];
export const APPOINTMENT_PERIODS = ['upcoming', 'past'] as const;
export type AppointmentPeriod = (typeof APPOINTMENT_PERIODS)[number];

/**
 * What the appointment keeps of its clinic when it is scheduled. The calendar feed is read by a
 * calendar program without anyone's access token, so it cannot ask the auth service: the name
 * for the titles, the zone for the times and the portal's address travel with the appointment.
 */
export interface ClinicSnapshot {
  clinicId: string;
  clinicName: string;
  /** IANA zone the times were entered in and are shown in. */
  timeZone: string;
  /** Where patients log in (https), or empty. */
  portalUrl: string;
}

/** What staff decided: who, what, when, where. */
export interface AppointmentPlan {
  clinicianId: string;
  serviceType: string;
  startsAt: Date;
  endsAt: Date;
  mode: AppointmentMode;
  /** In person: where. Empty for telehealth. */
  location: string;
  /** Telehealth: the https meeting link, handed out only inside the join window. Empty in person. */
  meetingUrl: string;
  noteForPatient: string;
}

export interface Appointment extends AppointmentPlan, ClinicSnapshot {
  appointmentId: string;
  patientId: string;
  /** The clinician's name as patients read it, when scheduled. */
  clinicianName: string;
  status: AppointmentStatus;
  cancellationReason: string;
  /** iCalendar SEQUENCE: one more with every reschedule and cancellation. */
  sequence: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What staff submit, as read from the wire. */
export interface AppointmentSubmission {
  clinicianId: string;
  serviceType: string;
  /** The clinic's wall-clock time, YYYY-MM-DDTHH:MM. */
  start: string;
  end: string;
  /** A domain name, or what the wire said when it names no mode. */
  mode: string;
  location: string;
  meetingUrl: string;
  noteForPatient: string;
}

/**
 * An appointment longer than this is a typing mistake (an end in the wrong month), and would block
 * the clinician's and the patient's time for as long.
 */
export const LONGEST_APPOINTMENT_HOURS = 24;

const meetingUrl = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((text) => {
    if (text === '') return true;
    try {
      const url = new URL(text);
      // Credentials in the link would be handed to everyone who joins.
      return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an https link');

const submissionSchema = z.object({
  clinicianId: z.string().regex(UUID_PATTERN, 'must be a UUID'),
  serviceType: boundedText(200).min(1, 'is required'),
  start: z.string(),
  end: z.string(),
  mode: z.enum(APPOINTMENT_MODES, 'must be in person or telehealth'),
  location: boundedText(300),
  meetingUrl,
  noteForPatient: boundedText(2000, { multiline: true }),
});

const WIRE_NAMES: Record<string, string> = {
  clinicianId: 'clinician_id',
  serviceType: 'service_type',
  meetingUrl: 'meeting_url',
  noteForPatient: 'note_for_patient',
};
const wireName = (path: string) => WIRE_NAMES[path] ?? path;

export interface SchedulingContext {
  /** The clinic's IANA zone. */
  timeZone: string;
  now: Date;
  /**
   * `ahead` (the default): a visit being scheduled, which must not start in the past. `past`: a
   * visit being recorded after it took place, which must have ended by now.
   */
  when?: 'ahead' | 'past';
}

/** The start and end of a visit from the clinic's wall-clock times, or the violations of both. */
function timesOf(
  start: string,
  end: string,
  { timeZone, now, when = 'ahead' }: SchedulingContext,
): { startsAt: Date; endsAt: Date } | Violation[] {
  const startsAt = instantOf(start, timeZone, 'start');
  const endsAt = instantOf(end, timeZone, 'end');
  const violations: Violation[] = [];
  if (!(startsAt instanceof Date)) violations.push(startsAt);
  else if (when === 'ahead' && startsAt.getTime() < now.getTime()) violations.push({ field: 'start', message: 'must not be in the past' });
  if (!(endsAt instanceof Date)) violations.push(endsAt);
  else if (when === 'past' && endsAt.getTime() > now.getTime())
    violations.push({ field: 'end', message: 'must not be in the future: a visit is recorded once it has ended' });
  if (startsAt instanceof Date && endsAt instanceof Date) {
    if (endsAt.getTime() <= startsAt.getTime()) violations.push({ field: 'end', message: 'must be after the start' });
    else if (endsAt.getTime() - startsAt.getTime() > LONGEST_APPOINTMENT_HOURS * 3_600_000)
      violations.push({ field: 'end', message: `must be at most ${LONGEST_APPOINTMENT_HOURS} hours after the start` });
  }
  return violations.length ? violations : { startsAt: startsAt as Date, endsAt: endsAt as Date };
}

/** Checks a new time against every rule at once (for a reschedule). */
export function validateTimes(start: string, end: string, context: SchedulingContext): { startsAt: Date; endsAt: Date } {
  const times = timesOf(start, end, context);
  if (Array.isArray(times)) throw new InvalidInput('appointment', times);
  return times;
}

/** Checks what staff submitted against every rule at once and returns the plan to store. */
export function validateAppointment(submission: AppointmentSubmission, context: SchedulingContext): AppointmentPlan {
  const parsed = submissionSchema.safeParse(submission);
  const violations: Violation[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ field: wireName(issue.path.join('.')) || 'appointment', message: issue.message }));
  const times = timesOf(submission.start, submission.end, context);
  if (Array.isArray(times)) violations.push(...times);
  if (parsed.success) {
    const { mode, location, meetingUrl } = parsed.data;
    if (mode === 'in_person') {
      if (location === '') violations.push({ field: 'location', message: 'is required for an in-person appointment' });
      // A link kept where nobody expects one could be handed out by mistake.
      if (meetingUrl !== '') violations.push({ field: 'meeting_url', message: 'must be empty for an in-person appointment' });
    } else {
      if (meetingUrl === '') violations.push({ field: 'meeting_url', message: 'is required for a telehealth appointment' });
      if (location !== '') violations.push({ field: 'location', message: 'must be empty for a telehealth appointment' });
    }
  }
  if (violations.length || !parsed.success || Array.isArray(times)) throw new InvalidInput('appointment', violations);
  const value = parsed.data;
  return {
    clinicianId: value.clinicianId.toLowerCase(),
    serviceType: value.serviceType,
    ...times,
    mode: value.mode,
    location: value.location,
    meetingUrl: value.meetingUrl,
    noteForPatient: value.noteForPatient,
  };
}

const reasonSchema = z.object({ reason: boundedText(500).min(1, 'is required') });

/** The reason staff give for a cancellation: required, one bounded line. */
export const validateCancellationReason = (reason: string): string => validate(reasonSchema, { reason }, 'cancellation').reason;

const STATUS_WORDS: Record<AppointmentStatus, string> = {
  scheduled: 'scheduled',
  cancelled: 'cancelled',
  completed: 'completed',
  no_show: 'marked as a no-show',
};

function requireScheduled(appointment: Appointment, doing: string): void {
  if (appointment.status !== 'scheduled')
    throw new NotAllowedNow(`only a scheduled appointment can be ${doing}; this one was ${STATUS_WORDS[appointment.status]}`);
}

function changed(appointment: Appointment, now: Date, change: Partial<Appointment>, newSequence: boolean): Appointment {
  return {
    ...appointment,
    ...change,
    sequence: appointment.sequence + (newSequence ? 1 : 0),
    version: appointment.version + 1,
    updatedAt: now,
  };
}

/** The appointment at a new time (already checked by validateTimes); calendars see a new SEQUENCE. */
export function reschedule(appointment: Appointment, times: { startsAt: Date; endsAt: Date }, now: Date): Appointment {
  requireScheduled(appointment, 'rescheduled');
  return changed(appointment, now, times, true);
}

/** Cancelled with the reason staff gave; an appointment that has ended can no longer be cancelled. */
export function cancel(appointment: Appointment, reason: string, now: Date): Appointment {
  requireScheduled(appointment, 'cancelled');
  if (appointment.endsAt.getTime() <= now.getTime())
    throw new NotAllowedNow('this appointment has ended: mark it completed or a no-show instead of cancelling it');
  return changed(appointment, now, { status: 'cancelled', cancellationReason: reason }, true);
}

function requireStarted(appointment: Appointment, now: Date, doing: string): void {
  if (appointment.startsAt.getTime() > now.getTime())
    throw new NotAllowedNow(
      `this appointment has not started yet (it starts ${spokenTime(appointment.startsAt, appointment.timeZone)}), so it cannot be ${doing}`,
    );
}

/** The visit took place; only once it has started. */
export function complete(appointment: Appointment, now: Date): Appointment {
  requireScheduled(appointment, 'completed');
  requireStarted(appointment, now, 'completed');
  return changed(appointment, now, { status: 'completed' }, false);
}

/** The patient did not come; only once it has started. */
export function markNoShow(appointment: Appointment, now: Date): Appointment {
  requireScheduled(appointment, 'marked as a no-show');
  requireStarted(appointment, now, 'marked as a no-show');
  return changed(appointment, now, { status: 'no_show' }, false);
}

/** When a telehealth visit may be joined: from `leadMinutes` before its start until its end. */
export function joinWindow(appointment: Pick<Appointment, 'mode' | 'startsAt' | 'endsAt'>, leadMinutes: number) {
  if (appointment.mode !== 'telehealth') return undefined;
  return { opensAt: new Date(appointment.startsAt.getTime() - leadMinutes * 60_000), closesAt: appointment.endsAt };
}

/** True while the patient may join now. */
export function canJoinNow(appointment: Appointment, now: Date, leadMinutes: number): boolean {
  const window = joinWindow(appointment, leadMinutes);
  return (
    window !== undefined &&
    appointment.status === 'scheduled' &&
    window.opensAt.getTime() <= now.getTime() &&
    now.getTime() < window.closesAt.getTime()
  );
}

/** The meeting link, only inside the join window of a scheduled telehealth visit; otherwise why not, and when. */
export function meetingLinkFor(appointment: Appointment, now: Date, leadMinutes: number): string {
  const window = joinWindow(appointment, leadMinutes);
  if (!window) throw new NotAllowedNow('this appointment is in person: there is no video visit to join');
  if (appointment.status !== 'scheduled') throw new NotAllowedNow(`this appointment was ${STATUS_WORDS[appointment.status]}`);
  if (now.getTime() < window.opensAt.getTime())
    throw new NotAllowedNow(
      `the video visit opens ${spokenTime(window.opensAt, appointment.timeZone)}, ${leadMinutes} minutes before it starts`,
    );
  if (now.getTime() >= window.closesAt.getTime()) throw new NotAllowedNow('this appointment has ended');
  return appointment.meetingUrl;
}

/** Another appointment, not cancelled, at an overlapping time: of the same clinician, or of the same patient. */
export interface Clash {
  with: 'clinician' | 'patient';
  startsAt: Date;
  endsAt: Date;
}

/** Why a time cannot be booked, saying when the other appointment is (in the clinic's zone). */
export function clashRefusal(clash: Clash, timeZone: string): NotAllowedNow {
  const when = `${spokenTime(clash.startsAt, timeZone)} to ${spokenTime(clash.endsAt, timeZone)}`;
  return new NotAllowedNow(
    clash.with === 'clinician'
      ? `the clinician is already booked then: another appointment overlaps (${when})`
      : `the patient already has an appointment then (${when})`,
  );
}

/** How a visit recorded after it took place ended: only completed or no-show. */
export function validateOutcome(outcome: AppointmentStatus | undefined): 'completed' | 'no_show' {
  if (outcome === 'completed' || outcome === 'no_show') return outcome;
  throw new InvalidInput('appointment', [{ field: 'outcome', message: 'must be completed or no-show' }]);
}

/** The appointments of a period: upcoming ones have not ended yet, past ones have. */
export const isUpcoming = (appointment: Pick<Appointment, 'endsAt'>, now: Date) => appointment.endsAt.getTime() > now.getTime();
