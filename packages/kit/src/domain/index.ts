// What every service's domain code shares, free of I/O: the errors a rule can raise (the gRPC
// bridge turns each kind into one status, so handlers never catch them), zod-based validation
// that lists every broken rule at once, ids, and the clock.
import { z } from 'zod';

/** A rule the input broke; `message` never repeats the submitted value. */
export interface Violation {
  field: string;
  message: string;
}

/** Something a caller asked for that the rules refuse; each subclass is one answer (see grpc/errors). */
export abstract class DomainError extends Error {}

/** The input breaks rules (INVALID_ARGUMENT, with the list of violations). */
export class InvalidInput extends DomainError {
  constructor(
    /** What was submitted, in the clinic's words: `contact`, `invitation`, `request`. */
    readonly what: string,
    readonly violations: Violation[],
  ) {
    super(`invalid ${what}: ${violations.map((v) => `${v.field} ${v.message}`).join('; ')}`);
    this.name = 'InvalidInput';
  }
}

/** The thing does not exist for this caller (NOT_FOUND). */
export class NotFound extends DomainError {
  override name = 'NotFound';
}

/** Someone else changed it between our read and our write (ABORTED: read again and retry). */
export class VersionConflict extends DomainError {
  constructor(readonly what: string) {
    super(`the ${what} was changed at the same time; read it again`);
    this.name = 'VersionConflict';
  }
}

/** The caller's expected version is not the stored one (FAILED_PRECONDITION). */
export class StaleVersion extends DomainError {
  constructor(readonly what: string) {
    super(`the ${what} was changed since it was read`);
    this.name = 'StaleVersion';
  }
}

/** The thing's state does not allow this (FAILED_PRECONDITION). */
export class NotAllowedNow extends DomainError {
  override name = 'NotAllowedNow';
}

/** Another thing already holds what must be unique (ALREADY_EXISTS). */
export class AlreadyExists extends DomainError {
  override name = 'AlreadyExists';
}

/** The caller may not do this at all (PERMISSION_DENIED). */
export class NotPermitted extends DomainError {
  override name = 'NotPermitted';
}

/** Something this service depends on is down; the caller may retry (UNAVAILABLE). */
export class DependencyUnavailable extends DomainError {
  override name = 'DependencyUnavailable';
}

export const snakeCase = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function violationsOf(issues: readonly z.core.$ZodIssue[], whole: string, field: (path: string) => string = (p) => p): Violation[] {
  return issues.map((issue) => ({ field: field(issue.path.join('.')) || whole, message: issue.message }));
}

export interface ValidateOptions {
  /** How a field path is named to the caller; e.g. snakeCase for the wire's spelling. */
  field?: (path: string) => string;
  /** The field named when the whole input is wrong; `what` unless given. */
  whole?: string;
}

/** The parsed value, or InvalidInput listing every rule `input` broke. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what: string, options: ValidateOptions = {}): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidInput(what, violationsOf(parsed.error.issues, options.whole ?? what, options.field));
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids (keyed by their field names) in canonical lower-case spelling, or InvalidInput naming every one that is not a UUID. */
export function requireUuids<K extends string>(ids: Record<K, string>, what = 'request'): Record<K, string> {
  const entries = Object.entries(ids) as [K, string][];
  const violations = entries.filter(([, value]) => !UUID_PATTERN.test(value)).map(([field]) => ({ field, message: 'must be a UUID' }));
  if (violations.length) throw new InvalidInput(what, violations);
  return Object.fromEntries(entries.map(([field, value]) => [field, value.toLowerCase()])) as Record<K, string>;
}

/** The id in canonical (lower-case) spelling, or InvalidInput naming `field`. */
export const requireUuid = (value: string, field: string, what = 'request'): string => requireUuids({ [field]: value }, what)[field]!;

/** Tells the time; injected so rules about time can be proved without waiting. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** A day on the calendar as YYYY-MM-DD that exists (no 2026-02-30), with no time or zone. */
export const calendarDate = z
  .string()
  .trim()
  // Each rule stops the ones after it: a person hears the first thing wrong, not three.
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date (YYYY-MM-DD)', abort: true })
  .refine(
    (text) => {
      const date = new Date(`${text}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
    },
    { message: 'must be a date that exists', abort: true },
  );

/**
 * A person's date of birth: a real date, not after `today` (the clinic's YYYY-MM-DD) and not
 * before 1900 (a typed year like 0199 is a mistake, not a patient).
 */
export const dateOfBirth = (today: string) =>
  calendarDate
    .refine((text) => text <= today, { message: 'must not be in the future', abort: true })
    .refine((text) => text >= '1900-01-01', 'must be after 1900');

/** The date at UTC+14, YYYY-MM-DD: no place on Earth is later, so "not in the future" holds everywhere. */
export const latestDateAnywhere = (now: Date) => new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);

/**
 * `schema`, or the empty string for "not given". (A union would answer "Invalid input" for a bad
 * value; this answers with what `schema` says is wrong.)
 */
export const emptyOr = (schema: z.ZodType<string, string>) =>
  z.string().superRefine((value, ctx) => {
    if (value === '') return;
    const parsed = schema.safeParse(value);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
  });
