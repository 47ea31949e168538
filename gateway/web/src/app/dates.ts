// Every date and time the portal shows is in the clinic's time zone (the gateway sends UTC), so a
// patient travelling and the front desk read the same day and hour. The one place that formats
// them; screens call useClinicDates() and never build an Intl.DateTimeFormat of their own.
import { useSession } from './session';

export type DateStyle = 'date' | 'dateTime';

const styles: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'medium' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
};

/** `iso` (UTC on the wire) in `timeZone`; an unknown zone falls back to the browser's; no date, no text. */
export function formatInZone(iso: string | null, timeZone: string | undefined, style: DateStyle = 'date'): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(undefined, { ...styles[style], ...(timeZone ? { timeZone } : {}) }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, styles[style]).format(date);
  }
}

export interface ClinicDates {
  /** "1 Dec 2026" */
  date(iso: string | null): string;
  /** "1 Dec 2026, 14:30" */
  dateTime(iso: string | null): string;
}

export function useClinicDates(): ClinicDates {
  const { organisation } = useSession();
  const zone = organisation?.timeZone || undefined;
  return {
    date: (iso) => formatInZone(iso, zone, 'date'),
    dateTime: (iso) => formatInZone(iso, zone, 'dateTime'),
  };
}
