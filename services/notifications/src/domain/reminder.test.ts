import { describe, expect, it } from 'vitest';
import { dueOutcome, planReminder, reminderDueAt } from './reminder.js';

const chicago = 'America/Chicago';
const appointment = (startsAt: string) => ({
  appointmentId: 'a1',
  version: 1,
  patientId: 'p1',
  clinicId: 'c1',
  startsAt: new Date(startsAt),
  timeZone: chicago,
  mode: 'in_person' as const,
});

describe('a reminder', () => {
  it('is due the same wall-clock time the day before, across a change to daylight saving time', () => {
    // Sunday 8 March 2026 10:00 CDT; clocks went forward at 02:00 that morning.
    const start = new Date('2026-03-08T15:00:00Z');
    // Saturday 10:00 CST: 23 hours before, not 24 (which would be Saturday 11:00).
    expect(reminderDueAt(start, 24, chicago)).toEqual(new Date('2026-03-07T16:00:00Z'));
    expect(reminderDueAt(start, 48, chicago)).toEqual(new Date('2026-03-06T16:00:00Z'));
    // Hours beyond whole days are elapsed time: 1 day and 6 hours before is Saturday 04:00 CST.
    expect(reminderDueAt(start, 30, chicago)).toEqual(new Date('2026-03-07T10:00:00Z'));
    expect(reminderDueAt(start, 2, chicago)).toEqual(new Date('2026-03-08T13:00:00Z'));
  });

  it('is due the same wall-clock time a week before, whatever the zone did', () => {
    // Tuesday 3 November 2026 09:00 CST; back from CDT on 1 November.
    expect(reminderDueAt(new Date('2026-11-03T15:00:00Z'), 168, chicago)).toEqual(new Date('2026-10-27T14:00:00Z'));
  });

  it('waits when booked before its time, and is not needed when booked inside the lead time', () => {
    const planned = planReminder(appointment('2026-12-10T16:00:00Z'), 24, new Date('2026-12-07T12:00:00Z'));
    expect(planned).toMatchObject({ state: 'waiting', dueAt: new Date('2026-12-09T16:00:00Z'), reminderId: 'a1@2026-12-10T16:00:00.000Z' });
    expect(planReminder(appointment('2026-12-07T20:00:00Z'), 24, new Date('2026-12-07T12:00:00Z')).state).toBe('not_needed');
  });

  it('found after the appointment began is missed, not sent late', () => {
    const planned = planReminder(appointment('2026-12-10T16:00:00Z'), 24, new Date('2026-12-07T12:00:00Z'));
    expect(dueOutcome(planned, new Date('2026-12-09T16:00:01Z'))).toBe('sent');
    expect(dueOutcome(planned, new Date('2026-12-10T16:00:00Z'))).toBe('missed');
  });
});
