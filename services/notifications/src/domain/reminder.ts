// An appointment's reminder: when it is due, and whether it is needed at all. No I/O here.
import { DateTime } from 'luxon';
import type { VisitMode } from './appointment-notice.js';

/** How long before an appointment its reminder goes out unless the clinic says otherwise. */
export const DEFAULT_LEAD_HOURS = 24;

/**
 * `leadHours` before `startsAt`. Whole days are counted as calendar days in the clinic's zone —
 * a 24-hour lead is the same wall-clock time the day before, a 48-hour lead two days before — so
 * a change to or from daylight saving time in between does not move the reminder by an hour.
 * The hours beyond whole days are counted as elapsed time.
 */
export function reminderDueAt(startsAt: Date, leadHours: number, timeZone: string): Date {
  const local = DateTime.fromJSDate(startsAt, { zone: timeZone });
  const start = local.isValid ? local : DateTime.fromJSDate(startsAt, { zone: 'utc' });
  return start
    .minus({ days: Math.floor(leadHours / 24) })
    .minus({ hours: leadHours % 24 })
    .toJSDate();
}

/**
 * waiting: due later; sent: its notice is made; not_needed: booked or moved to a time already
 * inside the lead time (the confirmation says it all); cancelled; missed: the service only got
 * to it once the appointment had begun.
 */
export type ReminderState = 'waiting' | 'sent' | 'not_needed' | 'cancelled' | 'missed';

export interface AppointmentReminder {
  appointmentId: string;
  /** The appointment's version the reminder follows: an older or repeated fact changes nothing. */
  version: number;
  /** Changes whenever the appointment moves, so a reminder of the old time is never sent. */
  reminderId: string;
  patientId: string;
  clinicId: string;
  startsAt: Date;
  timeZone: string;
  mode: VisitMode;
  dueAt: Date;
  state: ReminderState;
  updatedAt: Date;
}

export interface ScheduledAppointment {
  appointmentId: string;
  version: number;
  patientId: string;
  clinicId: string;
  startsAt: Date;
  timeZone: string;
  mode: VisitMode;
}

/** The reminder of an appointment booked or moved at `bookedAt`, with the clinic's lead time. */
export function planReminder(appointment: ScheduledAppointment, leadHours: number, bookedAt: Date): AppointmentReminder {
  const dueAt = reminderDueAt(appointment.startsAt, leadHours, appointment.timeZone);
  return {
    ...appointment,
    reminderId: `${appointment.appointmentId}@${appointment.startsAt.toISOString()}`,
    dueAt,
    state: dueAt.getTime() <= bookedAt.getTime() ? 'not_needed' : 'waiting',
    updatedAt: bookedAt,
  };
}

/** What a waiting reminder whose time has come becomes: sent, or missed once the appointment has begun. */
export const dueOutcome = (reminder: AppointmentReminder, now: Date): 'sent' | 'missed' =>
  now.getTime() < reminder.startsAt.getTime() ? 'sent' : 'missed';
