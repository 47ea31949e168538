// Every date and time the portal shows is in the clinic's time zone (the gateway sends UTC), so a
// patient travelling and the front desk read the same day and hour. The one place that formats
// them, and that turns the clinic's wall-clock ("2026-12-08T09:00" in its zone) into instants and
// back; screens call useClinicDates() and never build an Intl.DateTimeFormat of their own.
import { useSession } from './session';

export type DateStyle = 'date' | 'dateTime' | 'time' | 'day' | 'shortDay';

const styles: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'medium' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  /** "9:45" or "9:45 AM", as the browser's language writes it. */
  time: { hour: 'numeric', minute: '2-digit' },
  /** "Tuesday 8 December 2026" */
  day: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  /** "Tue 8 Dec" */
  shortDay: { weekday: 'short', day: 'numeric', month: 'short' },
};

function formatter(options: Intl.DateTimeFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, ...(timeZone ? { timeZone } : {}) });
  } catch {
    return new Intl.DateTimeFormat(undefined, options);
  }
}

/** `iso` (UTC on the wire) in `timeZone`; an unknown zone falls back to the browser's; no date, no text. */
export function formatInZone(iso: string | null | undefined, timeZone: string | undefined, style: DateStyle = 'date'): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(styles[style], timeZone).format(date);
}

/** The zone's name at that instant, "Central Standard Time" (long) or "CST"/"GMT-6" (short). */
export function zoneNameAt(iso: string | null | undefined, timeZone: string | undefined, style: 'long' | 'short' = 'long'): string {
  const date = iso ? new Date(iso) : new Date();
  if (Number.isNaN(date.getTime())) return '';
  const part = formatter({ timeZoneName: style }, timeZone)
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone ?? '';
}

/** A calendar day as the clinic writes it: YYYY-MM-DD. */
export type Day = string;
/** The clinic's wall-clock time, minutes precision: YYYY-MM-DDTHH:MM (what staff enter). */
export type WallClock = string;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The clinic's calendar day and clock time at an instant. */
export function wallClockAt(instant: Date | string, timeZone: string | undefined): { day: Day; time: string } {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const parts = Object.fromEntries(
    formatter({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  // Some engines write midnight as 24 even with h23.
  const hour = parts.hour === '24' ? '00' : parts.hour;
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${hour}:${parts.minute}` };
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(epoch: number, timeZone: string | undefined): number {
  const { day, time } = wallClockAt(new Date(epoch), timeZone);
  const asUtc = Date.UTC(
    Number(day.slice(0, 4)),
    Number(day.slice(5, 7)) - 1,
    Number(day.slice(8, 10)),
    Number(time.slice(0, 2)),
    Number(time.slice(3, 5)),
  );
  return asUtc - Math.floor(epoch / 60_000) * 60_000;
}

/**
 * The instant (ISO, UTC) when the clinic's clock shows `local`, for the bounds of a day or a week.
 * Staff's times go to the gateway as wall-clock text, as typed: the appointments service decides
 * what a time in the spring-forward gap means (it refuses it), not this.
 */
export function instantOf(local: WallClock, timeZone: string | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) throw new Error(`not a wall-clock time: ${local}`);
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  // Two rounds settle on the offset in force at the result, also across a change of offset.
  let guess = asUtc - offsetAt(asUtc, timeZone);
  guess = asUtc - offsetAt(guess, timeZone);
  return new Date(guess).toISOString();
}

/** `day` moved by `days` calendar days (time zones play no part in counting days). */
export function addDays(day: Day, days: number): Day {
  const date = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)) + days));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The Monday of the week `day` falls in. */
export function weekStart(day: Day): Day {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

export const isDay = (value: string | null | undefined): value is Day =>
  Boolean(value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(new Date(`${value}T12:00:00Z`).getTime()));

/** Hours and minutes from one instant to another (never negative). */
export function durationOf(startIso: string, endIso: string): { hours: number; minutes: number } {
  const total = Math.max(0, Math.round((new Date(endIso).getTime() - new Date(startIso).getTime()) / 60_000));
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

export interface ClinicDates {
  /** The IANA zone everything is shown in (undefined: the browser's, when the clinic has none). */
  zone: string | undefined;
  /** "1 Dec 2026" */
  date(iso: string | null | undefined): string;
  /** "1 Dec 2026, 14:30" */
  dateTime(iso: string | null | undefined): string;
  /** "14:30" */
  time(iso: string | null | undefined): string;
  /** "Tuesday 1 December 2026" */
  day(iso: string | null | undefined): string;
  /** "Tue 1 Dec" */
  shortDay(iso: string | null | undefined): string;
  /** "Central Standard Time" at that instant (the name changes with daylight saving). */
  zoneName(iso?: string | null): string;
  /** A calendar day of the clinic (YYYY-MM-DD) as "Tuesday 1 December 2026". */
  dayOf(day: Day, style?: 'day' | 'shortDay' | 'date'): string;
  /** The clinic's day and clock time at an instant, for a form's date and time fields. */
  wallClock(iso: string): { day: Day; time: string };
  /** The instant the clinic's clock shows `local` (YYYY-MM-DDTHH:MM). */
  instant(local: WallClock): string;
  /** Today in the clinic. */
  today(): Day;
  /** The same, in another zone (an appointment keeps the zone it was booked in). */
  inZone(timeZone: string | undefined): ClinicDates;
}

export function clinicDates(timeZone: string | undefined): ClinicDates {
  const zone = timeZone || undefined;
  return {
    zone,
    date: (iso) => formatInZone(iso, zone, 'date'),
    dateTime: (iso) => formatInZone(iso, zone, 'dateTime'),
    time: (iso) => formatInZone(iso, zone, 'time'),
    day: (iso) => formatInZone(iso, zone, 'day'),
    shortDay: (iso) => formatInZone(iso, zone, 'shortDay'),
    zoneName: (iso) => zoneNameAt(iso, zone),
    // Noon is on the same day everywhere the clock may be set, whatever the zone's offset.
    dayOf: (day, style = 'day') => formatInZone(instantOf(`${day}T12:00`, zone), zone, style),
    wallClock: (iso) => wallClockAt(iso, zone),
    instant: (local) => instantOf(local, zone),
    today: () => wallClockAt(new Date(), zone).day,
    inZone: (other) => clinicDates(other || zone),
  };
}

export function useClinicDates(): ClinicDates {
  const { organisation } = useSession();
  return clinicDates(organisation?.timeZone || undefined);
}
