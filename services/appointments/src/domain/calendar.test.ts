import { describe, expect, it } from 'vitest';
import { readCalendar as read } from '../../test/calendar-reader.js';
import { calendarFileName, calendarOf, type CalendarAppointment } from './calendar.js';

const visit = (overrides: Partial<CalendarAppointment> = {}): CalendarAppointment => ({
  appointmentId: '0d6b7c9e-2f0a-4d8e-9a3b-5c1e2d3f4a5b',
  clinicName: 'Riverside Clinic',
  timeZone: 'America/New_York',
  portalUrl: 'https://portal.riverside.example',
  startsAt: new Date('2026-12-08T15:00:00Z'),
  endsAt: new Date('2026-12-08T15:50:00Z'),
  mode: 'in_person',
  location: 'Room 2, 14 Main Street',
  status: 'scheduled',
  sequence: 0,
  updatedAt: new Date('2026-12-01T12:00:00Z'),
  ...overrides,
});

describe('an appointment in a calendar file', () => {
  it('holds the right instants in the clinic’s zone, with the VTIMEZONE that zone needs', () => {
    const { zones, events } = read(calendarOf([visit()]));
    expect(zones).toEqual(['America/New_York']);
    expect(events).toEqual([
      {
        uid: '0d6b7c9e-2f0a-4d8e-9a3b-5c1e2d3f4a5b@portico',
        sequence: 0,
        summary: 'Appointment at Riverside Clinic',
        location: 'Room 2, 14 Main Street',
        description: 'Details on your patient portal: https://portal.riverside.example',
        status: 'CONFIRMED',
        tzid: 'America/New_York',
        start: new Date('2026-12-08T15:00:00Z'),
        end: new Date('2026-12-08T15:50:00Z'),
      },
    ]);
  });

  it('keeps the first of two 01:30s when the clocks go back (written in UTC, which every reader agrees on), and summer time right', () => {
    const { events } = read(
      calendarOf([
        // 01:30 EDT to 02:30 EST, the night New York's clocks go back.
        visit({ startsAt: new Date('2026-11-01T05:30:00Z'), endsAt: new Date('2026-11-01T07:30:00Z') }),
        visit({ appointmentId: 'summer', startsAt: new Date('2026-07-01T14:00:00Z'), endsAt: new Date('2026-07-01T15:00:00Z') }),
      ]),
    );
    expect(events.map((e) => [e.start, e.end, e.tzid])).toEqual([
      [new Date('2026-11-01T05:30:00Z'), new Date('2026-11-01T07:30:00Z'), null],
      [new Date('2026-07-01T14:00:00Z'), new Date('2026-07-01T15:00:00Z'), 'America/New_York'],
    ]);
  });

  it('marks a cancelled appointment CANCELLED with its sequence, and a telehealth one has no place', () => {
    const { events } = read(calendarOf([visit({ status: 'cancelled', sequence: 2 }), visit({ mode: 'telehealth', location: '' })]));
    expect(events[0]).toMatchObject({ status: 'CANCELLED', sequence: 2 });
    expect(events[1]?.location).toBeNull();
  });

  it('writes times in UTC for a zone without a VTIMEZONE of that name, so no TZID is left undefined', () => {
    const text = calendarOf([visit({ timeZone: 'UTC' })]);
    expect(text).not.toContain('TZID');
    expect(read(text).events[0]?.start).toEqual(new Date('2026-12-08T15:00:00Z'));
  });

  it('is named after the day of the visit in the clinic’s zone', () => {
    expect(calendarFileName(visit())).toBe('appointment-2026-12-08.ics');
    // 03:00 UTC on the 9th is still the 8th in New York.
    expect(calendarFileName(visit({ startsAt: new Date('2026-12-09T03:00:00Z') }))).toBe('appointment-2026-12-08.ics');
  });
});
