// PaymentPlanCreated and PaymentPlanCancelled on `portico.billing.v1`, keyed by patient id: ids, dates and amounts only.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  PaymentPlanCancelledSchema,
  PaymentPlanCreatedSchema,
} from '@portico/contracts/gen/portico/events/billing/v1/payment_plan_events_pb';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Caller } from '@portico/kit/identity';
import { sum } from '../domain/money.js';
import type { PaymentPlan } from '../domain/payment-plan.js';
import { actor, BILLING_TOPIC } from './billing-events.js';

const moneyIn = (plan: PaymentPlan) => (amountMinor: number) => ({ amountMinor: BigInt(amountMinor), currencyCode: plan.currency });

export function paymentPlanCreated(caller: Caller, plan: PaymentPlan): OutboxEntry {
  const money = moneyIn(plan);
  const event = create(PaymentPlanCreatedSchema, {
    planId: plan.planId,
    patientId: plan.patientId,
    clinicId: plan.clinicId,
    actor: actor(caller),
    total: money(plan.totalMinor),
    invoiceIds: plan.covers.map((c) => c.invoiceId),
    instalments: plan.instalments.map((i) => ({ number: i.number, dueOn: i.dueOn, amount: money(i.amountMinor) })),
    occurredAt: timestampFromDate(plan.createdAt),
  });
  return outboxEvent(PaymentPlanCreatedSchema, event, { topic: BILLING_TOPIC, key: plan.patientId, occurredAt: plan.createdAt });
}

/** `plan` as cancelled (its `cancellation` set). */
export function paymentPlanCancelled(caller: Caller, plan: PaymentPlan): OutboxEntry {
  const money = moneyIn(plan);
  const cancellation = plan.cancellation!;
  const charged = plan.instalments.filter((i) => i.invoiceId);
  const event = create(PaymentPlanCancelledSchema, {
    planId: plan.planId,
    patientId: plan.patientId,
    clinicId: plan.clinicId,
    actor: actor(caller),
    total: money(plan.totalMinor),
    charged: money(sum(charged.map((i) => i.amountMinor))),
    returnedToBalance: money(cancellation.returnedMinor),
    remainderInvoiceId: cancellation.remainderInvoiceId,
    cancelledInstalments: plan.instalments.filter((i) => !i.invoiceId).map((i) => i.number),
    occurredAt: timestampFromDate(cancellation.cancelledAt),
  });
  return outboxEvent(PaymentPlanCancelledSchema, event, {
    topic: BILLING_TOPIC,
    key: plan.patientId,
    occurredAt: cancellation.cancelledAt,
  });
}
