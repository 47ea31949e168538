// Times as the clinic's clock shows them. Staff enter `2026-12-08T10:00` and mean the clinic's
// IANA zone; the service keeps the UTC instant (DESIGN rule 7). Daylight saving makes the reading
// of a local time a rule of its own: a time the clocks skip does not exist and is refused, and a
// time the clocks show twice is read as the first of the two.
import { DateTime } from 'luxon';
import type { Violation } from '@portico/kit/domain';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** True when `zone` is an IANA zone this runtime knows (e.g. America/New_York). */
export const isKnownZone = (zone: string): boolean => zone !== '' && DateTime.local().setZone(zone).isValid;

/**
 * The instant `local` (YYYY-MM-DDTHH:MM) names in `zone`, or the violation of `field` that says why
 * it names none.
 *
 * - A time inside a spring-forward gap (02:30 on the night New York's clocks jump from 02:00 to
 *   03:00) does not exist: luxon would quietly move it an hour on, so the wall-clock fields are
 *   read back and compared, and a difference is refused rather than guessed.
 * - A time inside a fall-back overlap (01:30 on the night the clocks go back from 02:00 to 01:00)
 *   happens twice: it is read as the earlier of the two instants (still on daylight time), as
 *   RFC 5545 (3.3.5) reads a DATE-TIME with a TZID that falls in the overlap.
 */
export function instantOf(local: string, zone: string, field: string): Date | Violation {
  const parts = LOCAL.exec(local.trim());
  if (!parts) return { field, message: 'must be a date and time as YYYY-MM-DDTHH:MM' };
  const [year, month, day, hour, minute] = parts.slice(1).map(Number) as [number, number, number, number, number];
  const read = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  if (!read.isValid) return { field, message: 'is not a date and time that exists' };
  const candidates = read.getPossibleOffsets().filter((c) => c.hour === hour && c.minute === minute && c.day === day);
  if (candidates.length === 0)
    return { field, message: `does not exist in ${zone}: the clocks skip that time when daylight saving time begins` };
  const earliest = candidates.reduce((first, c) => (c.toMillis() < first.toMillis() ? c : first));
  return earliest.toJSDate();
}

/** The wall-clock time of `instant` in `zone`, as staff would type it (YYYY-MM-DDTHH:MM). */
export const localOf = (instant: Date, zone: string): string => DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

/** True when the clinic's clock shows `instant`'s time twice that night (the hour the clocks go back). */
export const isAmbiguousLocally = (instant: Date, zone: string): boolean =>
  DateTime.fromJSDate(instant, { zone }).getPossibleOffsets().length > 1;

/** `instant` in `zone`, for calendars and messages. */
export const zoned = (instant: Date, zone: string): DateTime => DateTime.fromJSDate(instant, { zone });

/** "Tue 8 Dec 2026, 10:00 EST": how a refusal names a time to staff. */
export const spokenTime = (instant: Date, zone: string): string =>
  DateTime.fromJSDate(instant, { zone }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
