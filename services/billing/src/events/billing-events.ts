// The facts the billing service publishes on `portico.billing.v1`, keyed by patient id: ids and
// amounts only — never a line description, a procedure code, a reason or anything of the card.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  InvoiceIssuedSchema,
  PaymentReceivedSchema,
  PaymentRefundedSchema,
} from '@portico/contracts/gen/portico/events/billing/v1/billing_events_pb';
import { ActorRole, ActorSchema } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Caller } from '@portico/kit/identity';
import type { Invoice, Payment, Refund } from '../domain/ledger.js';

export const BILLING_TOPIC = 'portico.billing.v1';

const money = (amountMinor: number, currencyCode: string) => ({ amountMinor: BigInt(amountMinor), currencyCode });
const target = (patientId: string, at: Date) => ({ topic: BILLING_TOPIC, key: patientId, occurredAt: at });
/** Who acted: the caller, or the billing service itself when a reconciliation settled a payment. */
export const actor = (caller: Caller | undefined, clinicId = '') =>
  caller
    ? actorOf(caller.principal, caller.actingAs)
    : create(ActorSchema, { subject: 'portico-billing', role: ActorRole.SERVICE, clinicId });

/** `caller` undefined: the billing service issued it itself (a payment plan's instalment on its date). */
export function invoiceIssued(caller: Caller | undefined, invoice: Invoice): OutboxEntry {
  const event = create(InvoiceIssuedSchema, {
    invoiceId: invoice.invoiceId,
    patientId: invoice.patientId,
    clinicId: invoice.clinicId,
    actor: actor(caller, invoice.clinicId),
    total: money(invoice.totalMinor, invoice.currency),
    dueOn: invoice.dueOn,
    occurredAt: timestampFromDate(invoice.issuedAt),
  });
  return outboxEvent(InvoiceIssuedSchema, event, target(invoice.patientId, invoice.issuedAt));
}

export function paymentReceived(caller: Caller | undefined, payment: Payment): OutboxEntry {
  const event = create(PaymentReceivedSchema, {
    paymentId: payment.paymentId,
    patientId: payment.patientId,
    clinicId: payment.clinicId,
    actor: actor(caller, payment.clinicId),
    amount: money(payment.amountMinor, payment.currency),
    invoiceIds: payment.allocations.map((a) => a.invoiceId),
    occurredAt: timestampFromDate(payment.updatedAt),
  });
  return outboxEvent(PaymentReceivedSchema, event, target(payment.patientId, payment.updatedAt));
}

export function paymentRefunded(caller: Caller, payment: Payment, refund: Refund): OutboxEntry {
  const event = create(PaymentRefundedSchema, {
    paymentId: payment.paymentId,
    refundId: refund.refundId,
    patientId: payment.patientId,
    clinicId: payment.clinicId,
    actor: actor(caller),
    amount: money(refund.amountMinor, payment.currency),
    occurredAt: timestampFromDate(refund.at),
  });
  return outboxEvent(PaymentRefundedSchema, event, target(payment.patientId, refund.at));
}
