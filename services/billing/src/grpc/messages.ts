// Translation between the wire (protobuf) and the domain. Every paid, due and balance figure is
// computed from the ledger as the message is built.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  InvoiceSchema,
  InvoiceStatusSchema,
  PaymentMethodSchema,
  PaymentSchema,
  PaymentStatusSchema,
  type InvoiceStatus as InvoiceStatusProto,
  type PaymentMethod as PaymentMethodProto,
  type PaymentStatus as PaymentStatusProto,
} from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { enumMapping } from '@portico/kit/vocabulary';
import {
  lineSettlements,
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  refundedOf,
  settlementOf,
  statusOf,
  type Invoice,
  type InvoiceStatus,
  type Payment,
  type PaymentMethod,
  type PaymentStatus,
} from '../domain/ledger.js';
import { movedToPaymentPlansOf } from '../domain/payment-plan.js';
import type { Statement } from '../domain/statement.js';

export const invoiceStatuses = enumMapping<InvoiceStatus, InvoiceStatusProto>(InvoiceStatusSchema, ['open', 'overdue', 'paid']);
export const paymentMethods = enumMapping<PaymentMethod, PaymentMethodProto>(PaymentMethodSchema, PAYMENT_METHODS);
export const paymentStatuses = enumMapping<PaymentStatus, PaymentStatusProto>(PaymentStatusSchema, PAYMENT_STATUSES);

export const moneyMessage = (amountMinor: number, currencyCode: string) => ({ amountMinor: BigInt(amountMinor), currencyCode });

/** A month's totals, as the StatementSummary message and the StatementIssued event both carry them. */
export function statementMessage(statement: Statement, currency: string) {
  const m = (amount: number) => moneyMessage(amount, currency);
  return {
    month: statement.month,
    previousBalance: m(statement.previousBalanceMinor),
    charges: m(statement.chargesMinor),
    payments: m(statement.paymentsMinor),
    adjustments: m(statement.adjustmentsMinor),
    movedToPaymentPlans: m(statement.movedToPaymentPlansMinor),
    refunds: m(statement.refundsMinor),
    newBalance: m(statement.newBalanceMinor),
  };
}

export function invoiceMessage(invoice: Invoice, payments: Payment[], now: Date) {
  const settlement = settlementOf(invoice, payments);
  const lines = lineSettlements(invoice, settlement);
  const movedMinor = movedToPaymentPlansOf(invoice);
  const m = (amount: number) => moneyMessage(amount, invoice.currency);
  return create(InvoiceSchema, {
    invoiceId: invoice.invoiceId,
    patientId: invoice.patientId,
    clinicId: invoice.clinicId,
    number: invoice.number,
    issuedAt: timestampFromDate(invoice.issuedAt),
    dueOn: invoice.dueOn,
    status: invoiceStatuses.toProto(statusOf(invoice, settlement.dueMinor, now)),
    lines: invoice.lines.map((line, i) => ({
      dateOfService: line.dateOfService,
      procedureCode: line.procedureCode,
      modifiers: line.modifiers,
      description: line.description,
      units: line.units,
      unitPrice: m(line.unitPriceMinor),
      amount: m(line.amountMinor),
      paid: m(lines[i]!.paidMinor),
      due: m(lines[i]!.dueMinor),
      renderingProviderNpi: line.renderingProviderNpi ?? '',
      estimateId: line.estimateId ?? '',
    })),
    total: m(invoice.totalMinor),
    paid: m(settlement.paidMinor),
    adjusted: m(settlement.adjustedMinor - movedMinor),
    due: m(settlement.dueMinor),
    movedToPaymentPlan: m(movedMinor),
  });
}

/** `numbers` names the invoices a payment was applied to (invoice id → number). */
export function paymentMessage(payment: Payment, numbers: Map<string, string>) {
  const m = (amount: number) => moneyMessage(amount, payment.currency);
  return create(PaymentSchema, {
    paymentId: payment.paymentId,
    patientId: payment.patientId,
    clinicId: payment.clinicId,
    receiptNumber: payment.receiptNumber,
    receivedAt: timestampFromDate(payment.receivedAt),
    amount: m(payment.amountMinor),
    method: paymentMethods.toProto(payment.method),
    status: paymentStatuses.toProto(payment.status),
    allocations: payment.allocations.map((a) => ({
      invoiceId: a.invoiceId,
      invoiceNumber: numbers.get(a.invoiceId) ?? '',
      amount: m(a.amountMinor),
    })),
    refunded: m(refundedOf(payment)),
    failureReason: payment.failureReason,
    reference: payment.reference,
  });
}

export const numbersOf = (invoices: Invoice[]) => new Map(invoices.map((i) => [i.invoiceId, i.number]));
