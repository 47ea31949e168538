// How an appointment's length and time read: "50 minutes", "1 hour 30 minutes";
// "9:00 – 9:50 Central Standard Time". Shared by the patient's list, Home and the staff views.
import type { TFunction } from 'i18next';
import { durationOf, type ClinicDates } from '../../app/dates';
import type { Appointment } from '../../app/model';

export function durationWords(t: TFunction, startsAt: string, endsAt: string): string {
  const { hours, minutes } = durationOf(startsAt, endsAt);
  if (hours === 0) return t('appointments.duration.minutes', { count: minutes });
  if (minutes === 0) return t('appointments.duration.hours', { count: hours });
  return t('appointments.duration.hoursAndMinutes', {
    hours: t('appointments.duration.hours', { count: hours }),
    minutes: t('appointments.duration.minutes', { count: minutes }),
  });
}

/** The appointment's times in the zone it was booked in, with that zone's name. */
export function timeWords(t: TFunction, dates: ClinicDates, appointment: Pick<Appointment, 'startsAt' | 'endsAt' | 'timeZone'>) {
  const inZone = dates.inZone(appointment.timeZone);
  return {
    day: inZone.day(appointment.startsAt),
    start: inZone.time(appointment.startsAt),
    end: inZone.time(appointment.endsAt),
    zone: inZone.zoneName(appointment.startsAt),
    duration: durationWords(t, appointment.startsAt, appointment.endsAt),
    inZone,
  };
}
