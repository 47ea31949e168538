// Dates and names as staff read them: in the clinic's time zone, short and unambiguous.
export function formatDate(iso: string, timeZone?: string, withTime = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const style: Intl.DateTimeFormatOptions = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' };
  try {
    return new Intl.DateTimeFormat(undefined, { ...style, ...(timeZone ? { timeZone } : {}) }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, style).format(date);
  }
}

export const roleLabels = { patient: 'Patient', guardian: 'Guardian', staff: 'Staff' } as const;
