// What an insurance Coverage is and the rules it obeys. No I/O here: the store and the gRPC
// handlers call in.
import { calendarDate, InvalidInput, validate, type Violation } from '@portico/kit/domain';
import { boundedText } from '@portico/kit/vocabulary';
import { z } from 'zod';

export const PRIORITIES = ['primary', 'secondary', 'tertiary'] as const;
export type CoveragePriority = (typeof PRIORITIES)[number];
export const PLAN_TYPES = ['hmo', 'ppo', 'epo', 'pos', 'hdhp', 'medicare', 'medicaid', 'other'] as const;
export type PlanType = (typeof PLAN_TYPES)[number];
export const RELATIONSHIPS = ['self', 'parent', 'guardian', 'spouse', 'other'] as const;
export type SubscriberRelationship = (typeof RELATIONSHIPS)[number];
export const VERIFICATION_STATES = ['submitted', 'verified', 'needs_information'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];
export const COVERAGE_STATUSES = ['active', 'inactive'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];
export const CARD_SIDES = ['front', 'back'] as const;
export type CardSide = (typeof CARD_SIDES)[number];

export interface Subscriber {
  relationship: SubscriberRelationship;
  /** Empty when the patient is the subscriber. */
  name: string;
  /** YYYY-MM-DD; empty when the patient is the subscriber. */
  dateOfBirth: string;
}

export interface Copay {
  amountMinor: number;
  currencyCode: string;
}

export interface CoverageDetails {
  payerName: string;
  planName: string;
  planType: PlanType;
  memberId: string;
  groupNumber: string;
  subscriber: Subscriber;
  priority: CoveragePriority;
  /** YYYY-MM-DD. */
  effectiveDate: string;
  /** YYYY-MM-DD, or empty: until further notice. */
  endDate: string;
  copay: Copay | undefined;
}

/** A card photo kept in the object store under `key`. */
export interface StoredCardPhoto {
  key: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: Date;
}

export type CoverageAction = 'added' | 'updated' | 'deactivated' | 'verified' | 'information_requested';

/** One entry of the history staff read: who changed what. */
export interface CoverageChange {
  at: Date;
  actorSubject: string;
  actorName: string;
  actorRole: string;
  action: CoverageAction;
  changedFields: string[];
  message: string;
}

export interface Coverage {
  coverageId: string;
  patientId: string;
  clinicId: string;
  details: CoverageDetails;
  status: CoverageStatus;
  verification: VerificationState;
  /** Staff's message while the verification state is needs_information. */
  informationRequest: string;
  frontPhoto: StoredCardPhoto | undefined;
  backPhoto: StoredCardPhoto | undefined;
  history: CoverageChange[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const submissionSchema = z.object({
  payerName: boundedText(200).min(1, 'is required'),
  planName: boundedText(200),
  planType: z.enum(PLAN_TYPES, 'must be one of ' + PLAN_TYPES.join(', ')),
  memberId: boundedText(64).min(1, 'is required'),
  groupNumber: boundedText(64),
  subscriber: z.object({
    relationship: z.enum(RELATIONSHIPS, 'must be one of ' + RELATIONSHIPS.join(', ')),
    name: boundedText(200),
    dateOfBirth: z.union([z.literal(''), calendarDate]),
  }),
  priority: z.enum(PRIORITIES, 'must be primary, secondary or tertiary'),
  effectiveDate: calendarDate,
  endDate: z.union([z.literal(''), calendarDate]),
  copay: z
    .object({
      amountMinor: z.number().int('must be whole minor units').min(0, 'must not be negative').max(10_000_000, 'is too large'),
      currencyCode: z.string().refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 currency code'),
    })
    .optional(),
});

export type CoverageSubmission = z.input<typeof submissionSchema>;

/** Checks a submission against every rule at once and returns the details to store; `today` is YYYY-MM-DD (UTC). */
export function validateCoverage(submission: CoverageSubmission, today: string): CoverageDetails {
  const value = validate(submissionSchema, submission, 'coverage');
  const violations: Violation[] = [];
  if (value.endDate !== '' && value.endDate < value.effectiveDate)
    violations.push({ field: 'endDate', message: 'must not be before the effective date' });
  const { subscriber } = value;
  if (subscriber.relationship !== 'self') {
    // Someone else holds the policy: the payer needs to know who.
    if (subscriber.name === '')
      violations.push({ field: 'subscriber.name', message: 'is required when the subscriber is not the patient' });
    if (subscriber.dateOfBirth === '')
      violations.push({ field: 'subscriber.dateOfBirth', message: 'is required when the subscriber is not the patient' });
  }
  if (subscriber.dateOfBirth !== '' && subscriber.dateOfBirth > today)
    violations.push({ field: 'subscriber.dateOfBirth', message: 'must not be in the future' });
  if (violations.length) throw new InvalidInput('coverage', violations);
  const self = subscriber.relationship === 'self';
  return {
    ...value,
    subscriber: {
      relationship: subscriber.relationship,
      name: self ? '' : subscriber.name,
      dateOfBirth: self ? '' : subscriber.dateOfBirth,
    },
    copay: value.copay ? { amountMinor: value.copay.amountMinor, currencyCode: value.copay.currencyCode } : undefined,
  };
}

/** True when the coverage's end date has passed on `today` (YYYY-MM-DD): shown as ended, not "until present". */
export const hasEnded = (details: CoverageDetails, today: string): boolean => details.endDate !== '' && details.endDate < today;

/** The UTC calendar date of `now`, YYYY-MM-DD. */
export const calendarDateOf = (now: Date): string => now.toISOString().slice(0, 10);

/** Names of the detail fields whose value differs, for InsuranceUpdated and the history. */
export function changedFields(before: CoverageDetails, after: CoverageDetails): string[] {
  return (Object.keys(after) as (keyof CoverageDetails)[]).filter(
    (field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null),
  );
}

/** Active coverages by priority, then inactive ones, latest change first. */
export function inListOrder(coverages: Coverage[]): Coverage[] {
  const rank = (c: Coverage) => (c.status === 'active' ? PRIORITIES.indexOf(c.details.priority) : PRIORITIES.length);
  return [...coverages].sort((a, b) => rank(a) - rank(b) || b.updatedAt.getTime() - a.updatedAt.getTime());
}

/**
 * What keeps "one active coverage per priority" true under concurrent writers: a unique index on
 * (patient, slot). An active coverage holds its priority's slot; an inactive one a slot of its
 * own (its id), so any number of them may share a priority (no partial index on FerretDB).
 */
export const activeSlotOf = (coverage: Pick<Coverage, 'coverageId' | 'status' | 'details'>): string =>
  coverage.status === 'active' ? coverage.details.priority : `inactive:${coverage.coverageId}`;

/** The refusal of a second active coverage of one priority. */
export const priorityTaken = (priority: CoveragePriority) =>
  new InvalidInput('coverage', [
    { field: 'priority', message: `an active ${priority} coverage exists already: deactivate it first or choose another priority` },
  ]);

export const INFORMATION_REQUEST = boundedText(1000, { multiline: true }).min(1, 'is required');
