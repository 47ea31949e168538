// The one way a form shows what the gateway refused (react-hook-form): each field problem of the
// problem+json (`body.email`, `body.address.postalCode`, `patientIds.0`, `phone`) goes next to its
// field, the first of them gets focus, and what no field of the form matches stays in the summary.
import { useRef, useState } from 'react';
import type { FieldPath, FieldValues, UseFormReturn } from 'react-hook-form';
import { problemOfError, type Problem, type ProblemFieldError } from './api';
import { t } from './i18n';

/** The form's words for a field's problem, when a form knows better than the generic ones. */
export type FieldWords<T extends FieldValues> = (field: FieldPath<T>, message: string) => string | undefined;

/**
 * `body.address.city` → `address.city`; list positions go: `patientIds.0` → `patientIds`; a
 * service's proto field names are the form's: `meeting_url` → `meetingUrl`.
 */
export function formPath(field: string): string {
  return field
    .replace(/^(body|params|querystring|details|contact)\./, '')
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .map((part) => part.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()))
    .join('.');
}

/**
 * A field of one row of a list, its position kept: `lines[1].rendering_provider_npi` (a service's)
 * and `body.lines.1.renderingProviderNpi` (the gateway's) → `lines.1.renderingProviderNpi`.
 */
export function rowPath(field: string): string {
  return field
    .replace(/^(body|params|querystring|details|contact)\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((part) => part.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()))
    .join('.');
}

/**
 * The form field a gateway path belongs to: a list row's own field when the form names it with its
 * position (`lines.1.estimateId`), else the path itself, else its closest parent the form has, else
 * the first field inside it (`address` alone → `address.line1`). Null when the form has none.
 */
export function fieldFor<F extends string>(path: string, fields: readonly F[]): F | null {
  const row = rowPath(path);
  const inRow = fields.find((f) => f === row);
  if (inRow) return inRow;
  let candidate = formPath(row);
  while (candidate) {
    const exact = fields.find((f) => f === candidate);
    if (exact) return exact;
    const inside = fields.find((f) => f.startsWith(`${candidate}.`));
    if (inside) return inside;
    candidate = candidate.includes('.') ? candidate.slice(0, candidate.lastIndexOf('.')) : '';
  }
  return null;
}

/** Worth checking before sending: the gateway checks email addresses again, more strictly. */
export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The schema's and the services' English ("must match format \"email\"") in the catalog's words. */
export function readable(message: string): string {
  const longest = /must NOT have more than (\d+) characters/.exec(message);
  if (longest) return t('fieldProblems.tooLong', { count: Number(longest[1]) });
  if (/format "email"/.test(message)) return t('fieldProblems.email');
  if (/format "uri"/.test(message)) return t('fieldProblems.webAddress');
  if (/fewer than 1 characters|must have required property/.test(message)) return t('fieldProblems.required');
  if (/^is not a valid phone number$/.test(message)) return t('fieldProblems.phone');
  if (/^must be in international format/.test(message)) return t('fieldProblems.phoneInternational');
  if (/control character/i.test(message)) return t('fieldProblems.controlCharacters');
  const trimmed = message.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export interface ServerProblem {
  problem: Problem;
  /** Field problems no field of the form matched: listed in the summary. */
  other: ProblemFieldError[];
}

/**
 * Puts the problem's field errors on the form's fields (in `fields`, screen order) and focuses the
 * first; returns what is left for the summary and whether any field got focus.
 */
export function placeServerErrors<T extends FieldValues>(
  form: Pick<UseFormReturn<T>, 'setError' | 'setFocus'>,
  problem: Problem,
  fields: readonly FieldPath<T>[],
  words?: FieldWords<T>,
): { other: ProblemFieldError[]; focused: boolean } {
  const placed = new Map<FieldPath<T>, string>();
  const other: ProblemFieldError[] = [];
  for (const error of problem.errors ?? []) {
    const field = fieldFor(error.field, fields);
    if (!field) {
      other.push(error);
      continue;
    }
    const message = words?.(field, error.message) ?? readable(error.message);
    const before = placed.get(field);
    placed.set(field, before && before !== message ? `${before} ${message}` : message);
  }
  for (const [field, message] of placed) form.setError(field, { type: 'server', message });
  const first = fields.find((f) => placed.has(f));
  if (first) form.setFocus(first);
  return { other, focused: Boolean(first) };
}

/**
 * A form's summary of a refused submission: `show(error)` places the field errors and, when none
 * is on a field, focuses the summary (give `summaryRef` to the element around ProblemMessage).
 */
export function useServerProblem<T extends FieldValues>(
  form: Pick<UseFormReturn<T>, 'setError' | 'setFocus'>,
  fields: readonly FieldPath<T>[],
  words?: FieldWords<T>,
) {
  const [current, setCurrent] = useState<ServerProblem | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const focusSummary = () => requestAnimationFrame(() => summaryRef.current?.focus());
  return {
    problem: current?.problem ?? null,
    other: current?.other ?? [],
    summaryRef,
    focusSummary,
    /** Shows the problem of a failed request; returns it for screens that look at its status. */
    show(error: unknown): Problem {
      const problem = problemOfError(error);
      const { other, focused } = placeServerErrors(form, problem, fields, words);
      setCurrent({ problem, other });
      if (!focused) focusSummary();
      return problem;
    },
    clear: () => setCurrent(null),
  };
}

/**
 * After a refused submit, focus the first flagged field in screen order. react-hook-form focuses
 * the first field registered, which is not the first on screen when a child component (the
 * address) registers its fields after the parent's.
 */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
