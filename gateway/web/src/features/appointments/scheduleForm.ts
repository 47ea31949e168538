// The staff scheduling form's values (a day and two clock times in the clinic's zone, as staff
// type them), how they become the gateway's body (wall-clock "YYYY-MM-DDTHH:MM", empty optional
// fields left out, only the link or the place the mode needs), and the form's words for problems.
import type { FieldPath } from 'react-hook-form';
import { addDays, isDay, type Day } from '../../app/dates';
import type { FieldWords } from '../../app/formErrors';
import { t } from '../../app/i18n';
import type { Appointment, AppointmentMode, NewAppointment, NewTime } from './appointmentsApi';

export interface ScheduleValues {
  patientId: string;
  clinicianId: string;
  serviceType: string;
  day: Day;
  start: string;
  end: string;
  mode: AppointmentMode;
  location: string;
  meetingUrl: string;
  noteForPatient: string;
}

export interface TimeValues {
  day: Day;
  start: string;
  end: string;
}

/** Screen order: the first field with a problem gets focus. */
export const scheduleFields = [
  'patientId',
  'clinicianId',
  'serviceType',
  'day',
  'start',
  'end',
  'mode',
  'location',
  'meetingUrl',
  'noteForPatient',
] as const satisfies readonly FieldPath<ScheduleValues>[];

export const timeFields = ['day', 'start', 'end'] as const satisfies readonly FieldPath<TimeValues>[];

const clock = /^\d{2}:\d{2}$/;

export function blankSchedule(day: Day, clinicianId: string): ScheduleValues {
  return {
    patientId: '',
    clinicianId,
    serviceType: '',
    day,
    start: '09:00',
    end: '09:50',
    mode: 'in_person',
    location: '',
    meetingUrl: '',
    noteForPatient: '',
  };
}

/**
 * The wall-clock start and end. An end at or before the start is taken as the next day only when
 * it is midnight ("23:00 to 00:00"); anything else is the mistake it looks like, said by `endProblem`.
 */
export function wallClockTimes({ day, start, end }: TimeValues): { start: string; end: string } {
  const endDay = end === '00:00' && start !== '00:00' ? addDays(day, 1) : day;
  return { start: `${day}T${start}`, end: `${endDay}T${end}` };
}

/** What is wrong with the times as typed, before anything is sent; null when nothing is. */
export function endProblem(values: TimeValues): string | null {
  if (!isDay(values.day) || !clock.test(values.start) || !clock.test(values.end)) return null;
  const { start, end } = wallClockTimes(values);
  return end > start ? null : t('scheduling.form.endAfterStart');
}

export function scheduleBody(values: ScheduleValues): NewAppointment {
  const body: NewAppointment = {
    clinicianId: values.clinicianId,
    serviceType: values.serviceType.trim(),
    ...wallClockTimes(values),
    mode: values.mode,
  };
  if (values.mode === 'in_person') body.location = values.location.trim();
  else body.meetingUrl = values.meetingUrl.trim();
  if (values.noteForPatient.trim()) body.noteForPatient = values.noteForPatient.trim();
  return body;
}

export function timeBody(values: TimeValues): NewTime {
  return wallClockTimes(values);
}

/** A booked appointment's times as the reschedule form shows them, in the zone it was booked in. */
export function timeValuesOf(appointment: Appointment, wallClock: (iso: string) => { day: Day; time: string }): TimeValues {
  const start = wallClock(appointment.startsAt);
  const end = wallClock(appointment.endsAt);
  return { day: start.day, start: start.time, end: end.time };
}

/** The gateway's schema messages in this form's words, where they say more. */
export const scheduleWords: FieldWords<ScheduleValues> = (field, message) => {
  if ((field === 'start' || field === 'end') && /pattern/.test(message)) return t('scheduling.form.timeFormat');
  if (field === 'meetingUrl' && /format|https|uri/i.test(message)) return t('scheduling.form.meetingUrlHttps');
  if (field === 'serviceType' && /fewer than 1|required/i.test(message)) return t('scheduling.form.serviceTypeRequired');
  return undefined;
};

export const httpsLink = /^https:\/\/[^\s/$.?#][^\s]*$/i;
