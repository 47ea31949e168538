// Monthly statements from the ledger: every entry (a charge when an invoice was issued, a payment
// when received, an adjustment, a refund) falls in the clinic's calendar month it happened in;
// the previous balance is everything before the month, the new balance that plus the month's
// entries. What a payment plan took over is written as an adjustment on the invoice, but a patient
// reading "adjustment" would take it for a discount: the statement shows it as its own kind, moved
// to a payment plan, whose instalments come back later as charges. Pure: no I/O.
import { InvalidInput } from '@portico/kit/domain';
import { DateTime } from 'luxon';
import { counts, type Invoice, type Payment } from './ledger.js';
import { movedToPaymentPlan } from './payment-plan.js';
import { sum } from './money.js';

/** `adjustment` is the clinic's own (a discount, a write-off); `moved_to_plan` a payment plan's. */
export type EntryKind = 'charge' | 'payment' | 'adjustment' | 'moved_to_plan' | 'refund';

export interface LedgerEntry {
  at: Date;
  kind: EntryKind;
  /** The invoice or receipt number it belongs to. */
  reference: string;
  amountMinor: number;
}

export interface Statement {
  /** YYYY-MM. */
  month: string;
  previousBalanceMinor: number;
  chargesMinor: number;
  paymentsMinor: number;
  adjustmentsMinor: number;
  movedToPaymentPlansMinor: number;
  refundsMinor: number;
  newBalanceMinor: number;
  /** The month's entries, oldest first. */
  entries: LedgerEntry[];
}

/** Every entry of the ledger with when it happened (declined payments are none). */
export function ledgerEntries(invoices: Invoice[], payments: Payment[]): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const invoice of invoices) {
    entries.push({ at: invoice.issuedAt, kind: 'charge', reference: invoice.number, amountMinor: invoice.totalMinor });
    for (const a of invoice.adjustments)
      entries.push({
        at: a.at,
        kind: movedToPaymentPlan(a) ? 'moved_to_plan' : 'adjustment',
        reference: invoice.number,
        amountMinor: a.amountMinor,
      });
  }
  for (const payment of payments.filter(counts)) {
    entries.push({ at: payment.receivedAt, kind: 'payment', reference: payment.receiptNumber, amountMinor: payment.amountMinor });
    for (const r of payment.refunds)
      entries.push({ at: r.at, kind: 'refund', reference: payment.receiptNumber, amountMinor: r.amountMinor });
  }
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** What an entry does to the balance. */
const effect = (entry: LedgerEntry) => (entry.kind === 'charge' || entry.kind === 'refund' ? entry.amountMinor : -entry.amountMinor);

const monthOf = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM');

export function validateMonth(month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new InvalidInput('request', [{ field: 'month', message: 'must be a month, YYYY-MM' }]);
  return month;
}

export function statementFor(month: string, zone: string, entries: LedgerEntry[]): Statement {
  const before = entries.filter((e) => monthOf(e.at, zone) < month);
  const during = entries.filter((e) => monthOf(e.at, zone) === month);
  const total = (kind: EntryKind) => sum(during.filter((e) => e.kind === kind).map((e) => e.amountMinor));
  const previousBalanceMinor = sum(before.map(effect));
  return {
    month,
    previousBalanceMinor,
    chargesMinor: total('charge'),
    paymentsMinor: total('payment'),
    adjustmentsMinor: total('adjustment'),
    movedToPaymentPlansMinor: total('moved_to_plan'),
    refundsMinor: total('refund'),
    newBalanceMinor: previousBalanceMinor + sum(during.map(effect)),
    entries: during,
  };
}

/** Every month from the first entry's to `now`'s, newest first; none without entries. */
export function statementMonths(entries: LedgerEntry[], zone: string, now: Date): string[] {
  if (entries.length === 0) return [];
  const months: string[] = [];
  let month = DateTime.fromJSDate(entries[0]!.at, { zone }).startOf('month');
  const last = DateTime.fromJSDate(now, { zone }).startOf('month');
  while (month <= last) {
    months.push(month.toFormat('yyyy-MM'));
    month = month.plus({ months: 1 });
  }
  return months.reverse();
}
