// A patient's ledger: invoices (charges, with the adjustments made to them) and payments (with
// their refunds). Every figure the portal shows — the balance, what an invoice still owes, what a
// line was paid — is derived here from those entries and never stored, so it cannot drift:
//   balance = charges − payments − adjustments + refunds
// A payment counts from the moment it is sent to the processor (pending) until it is declined,
// so two payments can never both take the same amount due. Pure: no I/O.
import { InvalidInput, NotAllowedNow, NotFound } from '@portico/kit/domain';
import { DateTime } from 'luxon';
import { sum, type Money } from './money.js';

export interface InvoiceLine {
  /** YYYY-MM-DD, the clinic's calendar date. */
  dateOfService: string;
  /** CPT or HCPCS. */
  procedureCode: string;
  modifiers: string[];
  description: string;
  units: number;
  unitPriceMinor: number;
  amountMinor: number;
  /** The rendering provider's NPI, when staff gave it ('' otherwise). */
  renderingProviderNpi?: string;
  /** The Good Faith Estimate the service was estimated on, when staff named it (its $400 rule). */
  estimateId?: string;
}

export interface Adjustment {
  adjustmentId: string;
  amountMinor: number;
  reason: string;
  at: Date;
  idempotencyKey: string;
}

export interface Invoice {
  invoiceId: string;
  patientId: string;
  clinicId: string;
  clinicName: string;
  /** The clinic's IANA zone when it was issued: due dates and "overdue" are read in it. */
  timeZone: string;
  number: string;
  currency: string;
  issuedAt: Date;
  /** YYYY-MM-DD in `timeZone`. */
  dueOn: string;
  lines: InvoiceLine[];
  totalMinor: number;
  adjustments: Adjustment[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Allocation {
  invoiceId: string;
  amountMinor: number;
}

export interface Refund {
  refundId: string;
  amountMinor: number;
  reason: string;
  at: Date;
  idempotencyKey: string;
  /** Which invoices owe again what was refunded. */
  allocations: Allocation[];
  processorReference: string;
}

export const PAYMENT_METHODS = ['card_online', 'cash', 'check', 'card_terminal'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Payment {
  paymentId: string;
  patientId: string;
  clinicId: string;
  receiptNumber: string;
  method: PaymentMethod;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  allocations: Allocation[];
  refunds: Refund[];
  receivedAt: Date;
  failureReason: string;
  /** Cheque number or card's last four digits; never a card number. */
  reference: string;
  /** The processor's id of the charge (a PaymentIntent id), once known. */
  processorReference: string;
  /** The processor's token of the card (never card data), kept to settle an unknown outcome with the same request. */
  paymentMethodToken: string;
  idempotencyKey: string;
  /** What the first request with this key asked for, so a reuse asking for something else is refused. */
  requestFingerprint: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A payment that takes an amount off the balance: sent (pending) or settled, not declined. */
export const counts = (payment: Payment) => payment.status !== 'failed';

export const refundedOf = (payment: Payment) => sum(payment.refunds.map((r) => r.amountMinor));

export interface InvoiceSettlement {
  /** Payments applied, net of refunds. */
  paidMinor: number;
  adjustedMinor: number;
  dueMinor: number;
}

/** What has been paid, adjusted and is still due on `invoice`, from the patient's payments. */
export function settlementOf(invoice: Invoice, payments: Payment[]): InvoiceSettlement {
  const applied = (allocations: Allocation[]) =>
    sum(allocations.filter((a) => a.invoiceId === invoice.invoiceId).map((a) => a.amountMinor));
  const counted = payments.filter(counts);
  const paidMinor =
    sum(counted.map((p) => applied(p.allocations))) - sum(counted.flatMap((p) => p.refunds.map((r) => applied(r.allocations))));
  const adjustedMinor = sum(invoice.adjustments.map((a) => a.amountMinor));
  return { paidMinor, adjustedMinor, dueMinor: invoice.totalMinor - paidMinor - adjustedMinor };
}

/** Each line's share of what was settled on its invoice: the first lines are settled first. */
export function lineSettlements(invoice: Invoice, settlement: InvoiceSettlement): { paidMinor: number; dueMinor: number }[] {
  let settled = settlement.paidMinor + settlement.adjustedMinor;
  return invoice.lines.map((line) => {
    const paidMinor = Math.min(line.amountMinor, Math.max(0, settled));
    settled -= paidMinor;
    return { paidMinor, dueMinor: line.amountMinor - paidMinor };
  });
}

export interface LedgerTotals {
  chargesMinor: number;
  paymentsMinor: number;
  adjustmentsMinor: number;
  refundsMinor: number;
  balanceMinor: number;
}

/** The ledger's four sums and the balance they give. */
export function totalsOf(invoices: Invoice[], payments: Payment[]): LedgerTotals {
  const counted = payments.filter(counts);
  const chargesMinor = sum(invoices.map((i) => i.totalMinor));
  const paymentsMinor = sum(counted.map((p) => p.amountMinor));
  const adjustmentsMinor = sum(invoices.flatMap((i) => i.adjustments.map((a) => a.amountMinor)));
  const refundsMinor = sum(counted.map(refundedOf));
  return {
    chargesMinor,
    paymentsMinor,
    adjustmentsMinor,
    refundsMinor,
    balanceMinor: chargesMinor - paymentsMinor - adjustmentsMinor + refundsMinor,
  };
}

export type InvoiceStatus = 'open' | 'overdue' | 'paid';

/** Today's date in `timeZone`, YYYY-MM-DD. */
export const todayIn = (now: Date, timeZone: string): string => DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;

export function statusOf(invoice: Invoice, dueMinor: number, now: Date): InvoiceStatus {
  if (dueMinor <= 0) return 'paid';
  return invoice.dueOn < todayIn(now, invoice.timeZone) ? 'overdue' : 'open';
}

/** Oldest first: by issue time, then number (two issued in the same millisecond keep one order). */
export const oldestFirst = (a: Invoice, b: Invoice) => a.issuedAt.getTime() - b.issuedAt.getTime() || a.number.localeCompare(b.number);

/** What a payment is to settle. */
export type PaymentTarget =
  { kind: 'whole_balance' } | { kind: 'invoices'; invoiceIds: string[] } | { kind: 'amount'; amountMinor: number; invoiceIds?: string[] };

export interface PaymentPlan {
  amountMinor: number;
  allocations: Allocation[];
}

/**
 * How much a payment takes and which invoices it settles: the whole balance or an amount more than
 * zero and not more than the balance, oldest invoice first; or what is due on chosen invoices (all
 * of it, or an amount not more than that, oldest of them first). Refused: nothing due, an amount over the balance, an invoice that is not the
 * patient's (NOT_FOUND, like another patient's) or has nothing due.
 */
export function planPayment(invoices: Invoice[], payments: Payment[], target: PaymentTarget): PaymentPlan {
  const dues = new Map(invoices.map((i) => [i.invoiceId, settlementOf(i, payments).dueMinor]));
  const balanceMinor = totalsOf(invoices, payments).balanceMinor;
  if (balanceMinor <= 0) throw new NotAllowedNow('nothing is due: the balance is settled');
  const open = [...invoices].sort(oldestFirst).filter((i) => (dues.get(i.invoiceId) ?? 0) > 0);

  const chosen = target.kind === 'whole_balance' ? [] : [...new Set(target.invoiceIds ?? [])];
  if (target.kind === 'invoices' && chosen.length === 0)
    throw new InvalidInput('request', [{ field: 'invoice_ids', message: 'must name at least one invoice' }]);
  for (const id of chosen) if (!dues.has(id)) throw new NotFound('invoice not found');
  if (chosen.some((id) => (dues.get(id) ?? 0) <= 0))
    throw new InvalidInput('request', [{ field: 'invoice_ids', message: 'names an invoice with nothing due' }]);
  const payable = chosen.length ? open.filter((i) => chosen.includes(i.invoiceId)) : open;
  const limitMinor = chosen.length ? sum(payable.map((i) => dues.get(i.invoiceId)!)) : balanceMinor;

  const amountMinor = target.kind === 'amount' ? target.amountMinor : limitMinor;
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0)
    throw new InvalidInput('request', [{ field: 'amount', message: 'must be more than zero' }]);
  if (amountMinor > limitMinor)
    throw new InvalidInput('request', [
      { field: 'amount', message: chosen.length ? 'must not be more than the chosen invoices owe' : 'must not be more than the balance' },
    ]);
  let left = amountMinor;
  const allocations: Allocation[] = [];
  for (const invoice of payable) {
    if (left === 0) break;
    const take = Math.min(left, dues.get(invoice.invoiceId)!);
    allocations.push({ invoiceId: invoice.invoiceId, amountMinor: take });
    left -= take;
  }
  return { amountMinor, allocations };
}

/**
 * Which invoices owe again what a refund gives back: the payment's allocations in reverse order
 * (the last invoice it settled first), each at most what is still applied of it. Refused: an
 * amount over what is not yet refunded, or a payment that did not settle.
 */
export function planRefund(payment: Payment, amountMinor: number): Allocation[] {
  if (payment.status !== 'succeeded') throw new NotAllowedNow('only a settled payment can be refunded');
  const refundable = payment.amountMinor - refundedOf(payment);
  if (amountMinor > refundable)
    throw new InvalidInput('request', [{ field: 'amount', message: 'must not be more than what is left to refund' }]);
  const alreadyBack = new Map<string, number>();
  for (const a of payment.refunds.flatMap((r) => r.allocations))
    alreadyBack.set(a.invoiceId, (alreadyBack.get(a.invoiceId) ?? 0) + a.amountMinor);
  let left = amountMinor;
  const allocations: Allocation[] = [];
  for (const allocation of [...payment.allocations].reverse()) {
    if (left === 0) break;
    const applied = allocation.amountMinor - (alreadyBack.get(allocation.invoiceId) ?? 0);
    const take = Math.min(left, applied);
    if (take > 0) allocations.push({ invoiceId: allocation.invoiceId, amountMinor: take });
    left -= take;
  }
  return allocations;
}

/** A fingerprint of what a Make a Payment request asked for (not what it came to), for its idempotency key. */
export function fingerprintOf(target: PaymentTarget, currency: string): string {
  if (target.kind === 'invoices') return `invoices:${[...new Set(target.invoiceIds)].sort().join(',')}`;
  if (target.kind === 'amount') return `amount:${target.amountMinor}:${currency}:${[...new Set(target.invoiceIds ?? [])].sort().join(',')}`;
  return 'whole_balance';
}

export const moneyOf = (amountMinor: number, currency: string): Money => ({ amountMinor, currency });
