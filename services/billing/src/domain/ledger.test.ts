// The ledger's arithmetic on its own: allocation oldest first, refunds in reverse, line shares.
import { describe, expect, it } from 'vitest';
import { lineSettlements, planPayment, planRefund, settlementOf, totalsOf, type Invoice, type Payment } from './ledger.js';

const invoice = (invoiceId: string, issuedAt: string, amounts: number[]): Invoice => ({
  invoiceId,
  patientId: 'p',
  clinicId: 'c',
  clinicName: 'Clinic',
  timeZone: 'America/New_York',
  number: `INV-${invoiceId}`,
  currency: 'USD',
  issuedAt: new Date(issuedAt),
  dueOn: '2026-12-31',
  lines: amounts.map((amountMinor) => ({
    dateOfService: '2026-11-01',
    procedureCode: '90834',
    modifiers: [],
    description: 'x',
    units: 1,
    unitPriceMinor: amountMinor,
    amountMinor,
  })),
  totalMinor: amounts.reduce((a, b) => a + b, 0),
  adjustments: [],
  version: 1,
  createdAt: new Date(issuedAt),
  updatedAt: new Date(issuedAt),
});

const payment = (amountMinor: number, allocations: Payment['allocations'], status: Payment['status'] = 'succeeded'): Payment => ({
  paymentId: 'pay',
  patientId: 'p',
  clinicId: 'c',
  receiptNumber: 'RCT',
  method: 'card_online',
  status,
  amountMinor,
  currency: 'USD',
  allocations,
  refunds: [],
  receivedAt: new Date(),
  failureReason: '',
  reference: '',
  processorReference: '',
  paymentMethodToken: '',
  idempotencyKey: 'k',
  requestFingerprint: 'f',
  version: 1,
  createdAt: new Date(),
  updatedAt: new Date(),
});

const older = invoice('a', '2026-11-01T00:00:00Z', [10_000]);
const newer = invoice('b', '2026-11-15T00:00:00Z', [3_000, 2_000]);

describe('the ledger', () => {
  it('settles the oldest invoice first, whatever order they are listed in', () => {
    expect(planPayment([newer, older], [], { kind: 'amount', amountMinor: 12_000 }).allocations).toEqual([
      { invoiceId: 'a', amountMinor: 10_000 },
      { invoiceId: 'b', amountMinor: 2_000 },
    ]);
  });

  it('does not count a declined payment, and does count one still pending', () => {
    const declined = payment(10_000, [{ invoiceId: 'a', amountMinor: 10_000 }], 'failed');
    const pending = payment(10_000, [{ invoiceId: 'a', amountMinor: 10_000 }], 'pending');
    expect(totalsOf([older], [declined]).balanceMinor).toBe(10_000);
    expect(totalsOf([older], [pending]).balanceMinor).toBe(0);
  });

  it('gives a refund back to the last invoice the payment settled first', () => {
    const paid = payment(12_000, [
      { invoiceId: 'a', amountMinor: 10_000 },
      { invoiceId: 'b', amountMinor: 2_000 },
    ]);
    expect(planRefund(paid, 3_000)).toEqual([
      { invoiceId: 'b', amountMinor: 2_000 },
      { invoiceId: 'a', amountMinor: 1_000 },
    ]);
    expect(() => planRefund(paid, 12_001)).toThrow(/left to refund/);
  });

  it('shares what an invoice was paid among its lines, first lines first', () => {
    const paid = payment(4_000, [{ invoiceId: 'b', amountMinor: 4_000 }]);
    expect(lineSettlements(newer, settlementOf(newer, [paid]))).toEqual([
      { paidMinor: 3_000, dueMinor: 0 },
      { paidMinor: 1_000, dueMinor: 1_000 },
    ]);
  });
});
