// Appointments as iCalendar (RFC 5545) files, for the patient's own calendar program. A calendar
// is seen by whoever the patient shares it with, and by their phone's lock screen: it names the
// clinic, the time and, in person, the place. Never the clinician, the service type, the note or
// the meeting link (the portal, behind a login, has those).
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalCalendar, ICalEventStatus } from 'ical-generator';
import type { Appointment } from './appointment.js';
import { isAmbiguousLocally, zoned } from './wall-clock.js';

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/** What a calendar event is made of: nothing more of an appointment reaches a calendar. */
export type CalendarAppointment = Pick<
  Appointment,
  | 'appointmentId'
  | 'clinicName'
  | 'timeZone'
  | 'portalUrl'
  | 'startsAt'
  | 'endsAt'
  | 'mode'
  | 'location'
  | 'status'
  | 'sequence'
  | 'updatedAt'
>;

/** The same UID in every file and feed, so calendar programs update the one event they hold. */
export const calendarUid = (appointmentId: string) => `${appointmentId}@portico`;

/**
 * The VTIMEZONE of `zone`, or undefined when the zone table has none under that very name (it
 * answers `UTC` with Etc/UTC, and lacks some newer zones): such times are written in UTC instead,
 * so every TZID in a file has its VTIMEZONE.
 */
function vtimezoneOf(zone: string): string | undefined {
  const component = getVtimezoneComponent(zone);
  return component && new RegExp(`^TZID:${zone.replace(/[/+]/g, '\\$&')}\\r?$`, 'm').test(component) ? component : undefined;
}

/**
 * The zone to write an appointment's times in, or undefined for UTC. Times are written as the
 * clinic's clock shows them (DTSTART;TZID=…), except when the zone has no VTIMEZONE, or when the
 * start or end falls in the hour the clocks go back: calendar programs disagree on which of the
 * two 01:30s such a time means (RFC 5545 says the first; ical.js, for one, takes the second), and
 * a UTC time means one instant to all of them.
 */
function zoneToWrite(appointment: CalendarAppointment): string | undefined {
  const { timeZone, startsAt, endsAt } = appointment;
  if (!vtimezoneOf(timeZone)) return undefined;
  if (isAmbiguousLocally(startsAt, timeZone) || isAmbiguousLocally(endsAt, timeZone)) return undefined;
  return timeZone;
}

export function calendarOf(appointments: CalendarAppointment[], options: { name?: string } = {}): string {
  const calendar = new ICalCalendar({ prodId: { company: 'Portico', product: 'Appointments', language: 'EN' } });
  if (options.name) calendar.name(options.name);
  // Calendar programs that honour it look for changes hourly.
  calendar.ttl(60 * 60);
  calendar.timezone({ name: null, generator: (zone) => vtimezoneOf(zone) ?? null });
  for (const appointment of appointments) {
    const zone = zoneToWrite(appointment);
    const start = zoned(appointment.startsAt, zone ?? 'UTC');
    const end = zoned(appointment.endsAt, zone ?? 'UTC');
    calendar.createEvent({
      id: calendarUid(appointment.appointmentId),
      sequence: appointment.sequence,
      stamp: appointment.updatedAt,
      start,
      end,
      ...(zone ? { timezone: zone } : {}),
      summary: `Appointment at ${appointment.clinicName || 'the clinic'}`,
      location: appointment.mode === 'in_person' ? appointment.location : null,
      description: appointment.portalUrl ? `Details on your patient portal: ${appointment.portalUrl}` : null,
      url: appointment.portalUrl || null,
      status: appointment.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}

/** appointment-2026-12-08.ics: the day of the visit in the clinic's zone. */
export const calendarFileName = (appointment: Pick<Appointment, 'startsAt' | 'timeZone'>) =>
  `appointment-${zoned(appointment.startsAt, appointment.timeZone).toFormat('yyyy-MM-dd')}.ics`;
