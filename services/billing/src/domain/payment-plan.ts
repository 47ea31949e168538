// Payment plans: what a patient owes spread over instalments. Creating a plan moves its total off
// the invoices it covers (the same rule as a payment: chosen invoices, or an amount oldest first);
// each instalment becomes a charge of its own on its date, so the ledger keeps its invariant and
// the patient pays an instalment like any invoice. Pure: no I/O.
import { InvalidInput, NotAllowedNow } from '@portico/kit/domain';
import { DateTime } from 'luxon';
import type { Allocation, Invoice, InvoiceSettlement } from './ledger.js';
import { sum } from './money.js';

/** Every idempotency key a plan writes (its covering adjustments, its instalments' invoices) starts so. */
export const PAYMENT_PLAN_KEY_PREFIX = 'payment-plan:';

/** Whether an adjustment moved a balance to a payment plan, as opposed to the clinic's own (a discount, a write-off). */
export const movedToPaymentPlan = (adjustment: Pick<Invoice['adjustments'][number], 'idempotencyKey'>) =>
  adjustment.idempotencyKey.startsWith(PAYMENT_PLAN_KEY_PREFIX);

/** What payment plans took over of `invoice`: its adjustments made by plans, told apart from the clinic's own. */
export const movedToPaymentPlansOf = (invoice: Pick<Invoice, 'adjustments'>) =>
  sum(invoice.adjustments.filter(movedToPaymentPlan).map((a) => a.amountMinor));

export const PLAN_FREQUENCIES = ['weekly', 'every_two_weeks', 'monthly'] as const;
export type PlanFrequency = (typeof PLAN_FREQUENCIES)[number];

export const FEWEST_INSTALMENTS = 2;
export const MOST_INSTALMENTS = 36;
/** How far ahead the first instalment may be set: a plan starts within a year. */
export const LATEST_START_DAYS = 366;

export interface ScheduledInstalment {
  number: number;
  /** YYYY-MM-DD, the clinic's calendar date: the day it becomes a charge. */
  dueOn: string;
  amountMinor: number;
  /** The invoice it became on its date; '' before. */
  invoiceId: string;
}

export interface PaymentPlan {
  planId: string;
  patientId: string;
  clinicId: string;
  clinicName: string;
  timeZone: string;
  number: string;
  currency: string;
  frequency: PlanFrequency;
  totalMinor: number;
  /** The invoices whose amounts the plan took over (an adjustment on each, keyed by the plan). */
  covers: Allocation[];
  /** Whether those adjustments are all made (a plan left half-way is finished by the scheduler). */
  coversApplied: boolean;
  instalments: ScheduledInstalment[];
  /** The earliest date of an instalment not charged yet; '' when every one is, or the plan is cancelled. */
  nextChargeOn: string;
  /** Present once staff cancelled the plan. */
  cancellation?: PlanCancellation;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface PlanCancellation {
  cancelledAt: Date;
  /** What the instalments not charged would have covered: owed again as one charge. */
  returnedMinor: number;
  /** The id that charge has (or will have, until `remainderCharged`); '' when nothing was returned. */
  remainderInvoiceId: string;
  /** Whether that charge is made (a cancellation left half-way is finished by the scheduler). */
  remainderCharged: boolean;
}

/**
 * `totalMinor` in `count` instalments that add up to it exactly: each gets the whole part of the
 * division, and the cents left over go one each to the first instalments (so no two instalments
 * differ by more than one cent, and the larger ones come first).
 */
export function splitIntoInstalments(totalMinor: number, count: number): number[] {
  const base = Math.floor(totalMinor / count);
  const leftOver = totalMinor - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < leftOver ? 1 : 0));
}

const STEP: Record<PlanFrequency, (i: number) => { days?: number; months?: number }> = {
  weekly: (i) => ({ days: 7 * i }),
  every_two_weeks: (i) => ({ days: 14 * i }),
  // Counted from the first date each time, so 31 January gives 28 February and then 31 March.
  monthly: (i) => ({ months: i }),
};

/** The dates of `count` instalments from `firstDueOn` (YYYY-MM-DD). */
export function instalmentDates(firstDueOn: string, count: number, frequency: PlanFrequency): string[] {
  const first = DateTime.fromISO(firstDueOn, { zone: 'UTC' });
  return Array.from({ length: count }, (_, i) => first.plus(STEP[frequency](i)).toISODate()!);
}

export interface PlanTerms {
  totalMinor: number;
  instalmentCount: number;
  frequency: PlanFrequency | undefined;
  firstDueOn: string;
}

/** The terms' own rules (without the total): InvalidInput naming every broken one. `today` is the clinic's date. */
export function checkTerms(terms: Omit<PlanTerms, 'totalMinor'>, today: string): PlanFrequency {
  const violations = [];
  const { instalmentCount: count, frequency, firstDueOn } = terms;
  if (!Number.isInteger(count) || count < FEWEST_INSTALMENTS || count > MOST_INSTALMENTS)
    violations.push({ field: 'instalment_count', message: `must be from ${FEWEST_INSTALMENTS} to ${MOST_INSTALMENTS}` });
  if (!frequency) violations.push({ field: 'frequency', message: 'must be weekly, every two weeks or monthly' });
  const first = DateTime.fromISO(firstDueOn, { zone: 'UTC' });
  const latest = DateTime.fromISO(today, { zone: 'UTC' }).plus({ days: LATEST_START_DAYS }).toISODate()!;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(firstDueOn) || !first.isValid)
    violations.push({ field: 'first_due_on', message: 'must be a date (YYYY-MM-DD)' });
  else if (firstDueOn < today) violations.push({ field: 'first_due_on', message: 'must not be before today' });
  else if (firstDueOn > latest) violations.push({ field: 'first_due_on', message: 'must be within a year' });
  if (violations.length) throw new InvalidInput('payment plan', violations);
  return frequency!;
}

/** The schedule of a plan; InvalidInput naming every broken rule. `today` is the clinic's date. */
export function scheduleOf(terms: PlanTerms, today: string): ScheduledInstalment[] {
  const frequency = checkTerms(terms, today);
  const count = terms.instalmentCount;
  if (terms.totalMinor < count)
    throw new InvalidInput('payment plan', [{ field: 'instalment_count', message: 'must not be more than the total in cents' }]);
  const dates = instalmentDates(terms.firstDueOn, count, frequency);
  return splitIntoInstalments(terms.totalMinor, count).map((amountMinor, i) => ({
    number: i + 1,
    dueOn: dates[i]!,
    amountMinor,
    invoiceId: '',
  }));
}

/** The earliest date of an instalment not charged yet, '' when all are. */
export const nextChargeOf = (instalments: ScheduledInstalment[]) => instalments.find((i) => !i.invoiceId)?.dueOn ?? '';

/** Instalments whose date has come (`today`, the clinic's date) and that are not charged yet; none once the plan is cancelled. */
export const instalmentsToCharge = (plan: PaymentPlan, today: string) =>
  plan.cancellation ? [] : plan.instalments.filter((i) => !i.invoiceId && i.dueOn <= today);

/**
 * What cancelling the plan returns to the balance: the instalments not charged yet, never more
 * than the plan actually moved off its invoices and has not charged back (`movedMinor`: less than
 * the total only when a plan finished after a crash found part of an invoice paid meanwhile).
 * Refused once every instalment is charged: there is nothing left to cancel.
 */
export function remainderOf(plan: PaymentPlan, movedMinor: number): { returnedMinor: number; cancelled: number[] } {
  const uncharged = plan.instalments.filter((i) => !i.invoiceId);
  if (!uncharged.length) throw new NotAllowedNow('every instalment is charged already: there is nothing left to cancel');
  const chargedMinor = sum(plan.instalments.filter((i) => i.invoiceId).map((i) => i.amountMinor));
  const returnedMinor = Math.max(0, Math.min(sum(uncharged.map((i) => i.amountMinor)), movedMinor - chargedMinor));
  return { returnedMinor, cancelled: uncharged.map((i) => i.number) };
}

export type InstalmentStatus = 'scheduled' | 'due' | 'overdue' | 'paid' | 'cancelled';

export interface InstalmentView extends ScheduledInstalment {
  paidMinor: number;
  remainingMinor: number;
  status: InstalmentStatus;
}

/**
 * Each instalment with what is paid of it: nothing before it is charged; afterwards what its
 * invoice's settlement says. `settlements` gives the settlement of each charged instalment's invoice.
 */
export function instalmentViews(plan: PaymentPlan, settlements: Map<string, InvoiceSettlement>, today: string): InstalmentView[] {
  return plan.instalments.map((instalment) => {
    if (plan.cancellation && !instalment.invoiceId) return { ...instalment, paidMinor: 0, remainingMinor: 0, status: 'cancelled' };
    const settlement = instalment.invoiceId ? settlements.get(instalment.invoiceId) : undefined;
    const paidMinor = settlement ? settlement.paidMinor + settlement.adjustedMinor : 0;
    const remainingMinor = instalment.amountMinor - paidMinor;
    const status: InstalmentStatus = !instalment.invoiceId
      ? 'scheduled'
      : remainingMinor <= 0
        ? 'paid'
        : instalment.dueOn < today
          ? 'overdue'
          : 'due';
    return { ...instalment, paidMinor, remainingMinor, status };
  });
}

export interface PlanProgress {
  paidMinor: number;
  remainingMinor: number;
  next: InstalmentView | undefined;
  completed: boolean;
}

/** A cancelled plan has no next instalment: what its charged instalments still owe is owed on their invoices. */
export function progressOf(views: InstalmentView[], cancelled = false): PlanProgress {
  const paidMinor = sum(views.map((v) => v.paidMinor));
  const next = cancelled ? undefined : views.find((v) => v.status !== 'paid');
  return { paidMinor, remainingMinor: sum(views.map((v) => v.remainingMinor)), next, completed: !cancelled && !next };
}
