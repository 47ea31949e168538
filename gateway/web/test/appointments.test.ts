// What patients and staff read and enter about appointments, without a server: the clinic's
// wall-clock turned into instants and back (days, weeks, daylight saving), how long a visit is,
// when a Join button must change by itself, and what the scheduling form sends.
import { describe, expect, it } from 'vitest';
import { searchOf } from '../src/app/api';
import { addDays, clinicDates, durationOf, instantOf, isDay, wallClockAt, weekStart, zoneNameAt } from '../src/app/dates';
import type { Appointment } from '../src/app/model';
import { untilWindowChange } from '../src/features/appointments/appointmentsApi';
import { blankSchedule, endProblem, scheduleBody, timeValuesOf, wallClockTimes } from '../src/features/appointments/scheduleForm';

const chicago = 'America/Chicago';

describe('the clinic’s wall-clock', () => {
  it('is the instant the clinic’s clock shows, across a change to daylight saving time', () => {
    expect(instantOf('2026-12-08T09:00', chicago)).toBe('2026-12-08T15:00:00.000Z'); // CST, UTC−6
    expect(instantOf('2026-07-08T09:00', chicago)).toBe('2026-07-08T14:00:00.000Z'); // CDT, UTC−5
    // The night the clocks go forward (8 March 2026, 02:00 → 03:00): midnight and 09:00 either side.
    expect(instantOf('2026-03-08T00:00', chicago)).toBe('2026-03-08T06:00:00.000Z');
    expect(instantOf('2026-03-08T09:00', chicago)).toBe('2026-03-08T14:00:00.000Z');
    expect(instantOf('2026-12-08T09:00', 'Asia/Kolkata')).toBe('2026-12-08T03:30:00.000Z');
    expect(() => instantOf('8 Dec 2026 9:00', chicago)).toThrow();
  });

  it('reads back as the clinic’s day and time, not the browser’s or UTC’s', () => {
    expect(wallClockAt('2026-12-08T03:30:00Z', chicago)).toEqual({ day: '2026-12-07', time: '21:30' });
    expect(wallClockAt('2026-12-08T06:00:00Z', chicago)).toEqual({ day: '2026-12-08', time: '00:00' });
    expect(wallClockAt(instantOf('2026-11-01T01:30', chicago), chicago)).toEqual({ day: '2026-11-01', time: '01:30' });
  });

  it('counts days and finds the Monday of a week, over months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekStart('2026-12-07')).toBe('2026-12-07'); // a Monday
    expect(weekStart('2026-12-13')).toBe('2026-12-07'); // the Sunday after
    expect(weekStart('2027-01-01')).toBe('2026-12-28');
    expect(isDay('2026-12-07')).toBe(true);
    expect(isDay('07/12/2026')).toBe(false);
    expect(isDay(null)).toBe(false);
  });

  it('names the zone as it is on that day, and a calendar day falls on itself in every zone', () => {
    expect(zoneNameAt('2026-12-08T15:00:00Z', chicago)).toMatch(/Central Standard Time/);
    expect(zoneNameAt('2026-07-08T15:00:00Z', chicago)).toMatch(/Central Daylight Time/);
    for (const zone of [chicago, 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) {
      expect(clinicDates(zone).dayOf('2026-12-08')).toMatch(/8/);
      expect(clinicDates(zone).wallClock(clinicDates(zone).instant('2026-12-08T12:00')).day).toBe('2026-12-08');
    }
  });

  it('gives a visit’s length in hours and minutes', () => {
    expect(durationOf('2026-12-08T15:00:00Z', '2026-12-08T15:50:00Z')).toEqual({ hours: 0, minutes: 50 });
    expect(durationOf('2026-12-08T15:00:00Z', '2026-12-08T16:30:00Z')).toEqual({ hours: 1, minutes: 30 });
    expect(durationOf('2026-12-08T15:00:00Z', '2026-12-08T14:00:00Z')).toEqual({ hours: 0, minutes: 0 });
  });
});

const base: Appointment = {
  id: '3f6c7f6e-0000-4000-8000-000000000001',
  patientId: '3f6c7f6e-0000-4000-8000-0000000000aa',
  clinicianId: '3f6c7f6e-0000-4000-8000-0000000000bb',
  clinicianName: 'Dr Alex Morgan',
  serviceType: 'Individual therapy',
  startsAt: '2026-12-08T15:00:00.000Z',
  endsAt: '2026-12-08T15:50:00.000Z',
  timeZone: chicago,
  mode: 'telehealth',
  location: '',
  noteForPatient: '',
  status: 'scheduled',
  cancellationReason: '',
  telehealthOpensAt: '2026-12-08T14:45:00.000Z',
  canJoinNow: false,
  version: 1,
  sequence: 0,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};
const at = (iso: string) => Date.parse(iso);
const minutes = (n: number) => n * 60_000;

describe('a Join button on screen', () => {
  it('changes when the window opens, and again when the visit ends', () => {
    expect(untilWindowChange([base], at('2026-12-08T14:00:00Z'))).toBe(minutes(45));
    expect(untilWindowChange([{ ...base, canJoinNow: true }], at('2026-12-08T15:10:00Z'))).toBe(minutes(40));
  });

  it('is asked about again every half minute while this browser thinks it open and the service does not yet', () => {
    expect(untilWindowChange([base], at('2026-12-08T14:46:00Z'))).toBe(30_000);
  });

  it('never changes for an in-person, a cancelled or an ended visit; the soonest change of several counts', () => {
    const now = at('2026-12-08T14:00:00Z');
    expect(untilWindowChange([{ ...base, mode: 'in_person', telehealthOpensAt: null }], now)).toBeNull();
    expect(untilWindowChange([{ ...base, status: 'cancelled' }], now)).toBeNull();
    expect(untilWindowChange([base], at('2026-12-08T16:00:00Z'))).toBeNull();
    const later = { ...base, id: 'later', telehealthOpensAt: '2026-12-08T18:45:00.000Z', endsAt: '2026-12-08T19:50:00.000Z' };
    expect(untilWindowChange([later, base], now)).toBe(minutes(45));
  });
});

describe('the scheduling form', () => {
  it('sends the clinic’s wall-clock as typed, with only what the mode needs', () => {
    const values = {
      ...blankSchedule('2026-12-08', base.clinicianId),
      patientId: base.patientId,
      serviceType: '  Intake assessment ',
      location: 'Room 4 ',
      meetingUrl: 'https://meet.example.org/x',
    };
    expect(scheduleBody(values)).toEqual({
      clinicianId: base.clinicianId,
      serviceType: 'Intake assessment',
      start: '2026-12-08T09:00',
      end: '2026-12-08T09:50',
      mode: 'in_person',
      location: 'Room 4',
    });
    expect(scheduleBody({ ...values, mode: 'telehealth', noteForPatient: 'Bring your forms' })).toEqual({
      clinicianId: base.clinicianId,
      serviceType: 'Intake assessment',
      start: '2026-12-08T09:00',
      end: '2026-12-08T09:50',
      mode: 'telehealth',
      meetingUrl: 'https://meet.example.org/x',
      noteForPatient: 'Bring your forms',
    });
  });

  it('takes an end at midnight as the next day, and refuses an end before the start', () => {
    expect(wallClockTimes({ day: '2026-12-31', start: '23:00', end: '00:00' })).toEqual({
      start: '2026-12-31T23:00',
      end: '2027-01-01T00:00',
    });
    expect(endProblem({ day: '2026-12-08', start: '10:00', end: '09:00' })).toBe('The end must be after the start.');
    expect(endProblem({ day: '2026-12-08', start: '10:00', end: '10:00' })).toBe('The end must be after the start.');
    expect(endProblem({ day: '2026-12-08', start: '10:00', end: '10:05' })).toBeNull();
  });

  it('shows a booked appointment’s times in the zone it was booked in, to move it', () => {
    expect(timeValuesOf(base, clinicDates(chicago).wallClock)).toEqual({ day: '2026-12-08', start: '09:00', end: '09:50' });
  });
});

describe('a query string', () => {
  it('leaves out the parts that are not given', () => {
    expect(searchOf({ period: 'past', pageSize: '10', pageToken: undefined })).toBe('?period=past&pageSize=10');
    expect(searchOf({ pageToken: '' })).toBe('');
    expect(searchOf(undefined)).toBe('');
  });
});
