import { describe, expect, it } from 'vitest';
import { instantOf, isKnownZone, localOf } from './wall-clock.js';

const NEW_YORK = 'America/New_York';

describe('a wall-clock time in the clinic’s zone', () => {
  it('is the UTC instant the clinic’s clock shows, in winter and in summer', () => {
    expect(instantOf('2026-12-08T10:00', NEW_YORK, 'start')).toEqual(new Date('2026-12-08T15:00:00Z'));
    expect(instantOf('2026-07-01T10:00', NEW_YORK, 'start')).toEqual(new Date('2026-07-01T14:00:00Z'));
    expect(instantOf('2026-07-01T10:00', 'Asia/Kolkata', 'start')).toEqual(new Date('2026-07-01T04:30:00Z'));
    expect(instantOf('2026-07-01T10:00', 'UTC', 'start')).toEqual(new Date('2026-07-01T10:00:00Z'));
  });

  it('refuses a time the clocks skip when daylight saving time begins', () => {
    expect(instantOf('2027-03-14T02:30', NEW_YORK, 'start')).toEqual({
      field: 'start',
      message: 'does not exist in America/New_York: the clocks skip that time when daylight saving time begins',
    });
    expect(instantOf('2027-03-28T01:15', 'Europe/London', 'end')).toMatchObject({ field: 'end' });
    // Either side of the gap is fine.
    expect(instantOf('2027-03-14T01:59', NEW_YORK, 'start')).toEqual(new Date('2027-03-14T06:59:00Z'));
    expect(instantOf('2027-03-14T03:00', NEW_YORK, 'start')).toEqual(new Date('2027-03-14T07:00:00Z'));
  });

  it('reads a time the clocks show twice, when they go back, as the first of the two (still daylight time)', () => {
    // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(instantOf('2026-11-01T01:30', NEW_YORK, 'start')).toEqual(new Date('2026-11-01T05:30:00Z'));
    expect(instantOf('2026-10-25T01:30', 'Europe/London', 'start')).toEqual(new Date('2026-10-25T00:30:00Z'));
    // After the overlap the clock is unambiguous again.
    expect(instantOf('2026-11-01T02:00', NEW_YORK, 'start')).toEqual(new Date('2026-11-01T07:00:00Z'));
  });

  it('refuses what is not a date and time to the minute, or a date that does not exist', () => {
    for (const text of ['2026-12-08 10:00', '2026-12-08T10:00:00', '2026-12-08T10:00Z', '2026-12-08', '', 'tomorrow'])
      expect(instantOf(text, NEW_YORK, 'start')).toEqual({ field: 'start', message: 'must be a date and time as YYYY-MM-DDTHH:MM' });
    expect(instantOf('2026-02-30T10:00', NEW_YORK, 'start')).toEqual({ field: 'start', message: 'is not a date and time that exists' });
    expect(instantOf('2026-12-08T24:00', NEW_YORK, 'start')).toMatchObject({ field: 'start' });
  });

  it('shows an instant as the clinic’s clock does, and knows which zones exist', () => {
    expect(localOf(new Date('2026-11-01T05:30:00Z'), NEW_YORK)).toBe('2026-11-01T01:30');
    expect(localOf(new Date('2026-11-01T06:30:00Z'), NEW_YORK)).toBe('2026-11-01T01:30');
    expect(isKnownZone(NEW_YORK)).toBe(true);
    expect(isKnownZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownZone('')).toBe(false);
  });
});
