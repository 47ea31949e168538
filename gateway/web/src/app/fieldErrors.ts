// Places the gateway's field problems (`body.email`, `body.address.city`, `patientIds.0`…) next
// to the fields of a form that knows the given field names; the rest stay in the summary.
import type { ProblemFieldError } from './api';

export function splitFieldErrors<F extends string>(
  errors: ProblemFieldError[] | undefined,
  fields: readonly F[],
): { fields: Partial<Record<F, string>>; other: ProblemFieldError[] } {
  const placed: Partial<Record<F, string>> = {};
  const other: ProblemFieldError[] = [];
  for (const error of errors ?? []) {
    const path = error.field
      .replace(/^(body|params|querystring)\./, '')
      .split('.')
      .filter((p) => !/^\d+$/.test(p));
    const full = path.join('.') as F;
    const first = path[0] as F | undefined;
    const field = fields.includes(full) ? full : first && fields.includes(first) ? first : null;
    if (field) placed[field] = readable(error.message);
    else other.push(error);
  }
  return { fields: placed, other };
}

export function readable(message: string): string {
  const longest = /must NOT have more than (\d+) characters/.exec(message);
  if (longest) return `Use at most ${longest[1]} characters.`;
  if (/format "email"/.test(message)) return 'Enter an email address like name@example.org.';
  if (/format "uri"/.test(message)) return 'Enter a full web address, starting with https://.';
  if (/fewer than 1 characters|must have required property/.test(message)) return 'This is required.';
  const trimmed = message.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Focuses the first element marked with data-field for one of the given fields, in page order. */
export function focusFirstInvalid(form: HTMLFormElement | null, fields: Record<string, string | undefined>, fallback?: HTMLElement | null) {
  requestAnimationFrame(() => {
    const invalid = [...(form?.querySelectorAll<HTMLElement>('[data-field]') ?? [])].find((el) => fields[el.dataset.field ?? '']);
    (invalid ?? fallback)?.focus();
  });
}
