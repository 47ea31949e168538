// The receipt of a payment: who received how much, when, how, and which invoices it settled.
import { formatMoney } from '../domain/money.js';
import { refundedOf, type Payment } from '../domain/ledger.js';
import { BillingPdf } from './layout.js';

const METHODS: Record<Payment['method'], string> = {
  card_online: 'Card, online',
  cash: 'Cash',
  check: 'Check',
  card_terminal: 'Card, at the clinic',
};

export interface ReceiptContext {
  clinicName: string;
  /** Invoice id → number. */
  invoiceNumbers: Map<string, string>;
  /** How dates are written: the clinic's zone. */
  formatDate: (at: Date) => string;
}

export async function receiptPdf(payment: Payment, context: ReceiptContext): Promise<Uint8Array> {
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: payment.currency });
  const pdf = await BillingPdf.create(`Payment receipt ${payment.receiptNumber}`);
  pdf
    .field('Clinic', context.clinicName)
    .field('Receipt number', payment.receiptNumber)
    .field('Date', context.formatDate(payment.receivedAt))
    .field('Amount paid', money(payment.amountMinor))
    .field('Paid by', METHODS[payment.method] + (payment.reference ? ` (${payment.reference})` : ''));
  const refunded = refundedOf(payment);
  if (refunded > 0) pdf.field('Refunded', money(refunded));
  pdf.gap().heading('Applied to');
  pdf.table(
    [
      { header: 'Invoice', x: 0 },
      { header: 'Amount', x: 200 },
    ],
    payment.allocations.map((a) => [context.invoiceNumbers.get(a.invoiceId) ?? a.invoiceId, money(a.amountMinor)]),
  );
  pdf.text('Thank you for your payment.');
  return pdf.bytes();
}
