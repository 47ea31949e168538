// Payment plans on the wire: what is paid of each instalment is read from the invoice it became.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  InstalmentStatusSchema,
  NextInstalmentSchema,
  PaymentPlanFrequencySchema,
  PaymentPlanSchema,
  PaymentPlanStatus,
  type InstalmentStatus as InstalmentStatusProto,
  type PaymentPlanFrequency as PaymentPlanFrequencyProto,
} from '@portico/contracts/gen/portico/billing/v1/payment_plans_pb';
import { enumMapping } from '@portico/kit/vocabulary';
import { settlementOf, todayIn, type Invoice, type Payment } from '../domain/ledger.js';
import {
  instalmentViews,
  PLAN_FREQUENCIES,
  progressOf,
  type InstalmentStatus,
  type InstalmentView,
  type PaymentPlan,
  type PlanFrequency,
} from '../domain/payment-plan.js';
import { moneyMessage, numbersOf } from './messages.js';

export const planFrequencies = enumMapping<PlanFrequency, PaymentPlanFrequencyProto>(PaymentPlanFrequencySchema, PLAN_FREQUENCIES);
const instalmentStatuses = enumMapping<InstalmentStatus, InstalmentStatusProto>(InstalmentStatusSchema, [
  'scheduled',
  'due',
  'overdue',
  'paid',
  'cancelled',
]);

/** A plan's instalments with what is paid of each, from the patient's ledger. */
function viewsOf(plan: PaymentPlan, invoices: Invoice[], payments: Payment[], now: Date) {
  const charged = new Set(plan.instalments.map((i) => i.invoiceId).filter(Boolean));
  const settlements = new Map(invoices.filter((i) => charged.has(i.invoiceId)).map((i) => [i.invoiceId, settlementOf(i, payments)]));
  return instalmentViews(plan, settlements, todayIn(now, plan.timeZone));
}

const instalmentMessage = (view: InstalmentView, currency: string) => ({
  number: view.number,
  dueOn: view.dueOn,
  amount: moneyMessage(view.amountMinor, currency),
  paid: moneyMessage(view.paidMinor, currency),
  remaining: moneyMessage(view.remainingMinor, currency),
  status: instalmentStatuses.toProto(view.status),
  invoiceId: view.invoiceId,
});

export function planMessage(plan: PaymentPlan, invoices: Invoice[], payments: Payment[], now: Date) {
  const views = viewsOf(plan, invoices, payments, now);
  const progress = progressOf(views, plan.cancellation !== undefined);
  const m = (amount: number) => moneyMessage(amount, plan.currency);
  const numbers = numbersOf(invoices);
  return create(PaymentPlanSchema, {
    planId: plan.planId,
    patientId: plan.patientId,
    clinicId: plan.clinicId,
    number: plan.number,
    createdAt: timestampFromDate(plan.createdAt),
    frequency: planFrequencies.toProto(plan.frequency),
    status: plan.cancellation ? PaymentPlanStatus.CANCELLED : progress.completed ? PaymentPlanStatus.COMPLETED : PaymentPlanStatus.ACTIVE,
    total: m(plan.totalMinor),
    paid: m(progress.paidMinor),
    remaining: m(progress.remainingMinor),
    instalments: views.map((v) => instalmentMessage(v, plan.currency)),
    ...(progress.next ? { nextInstalment: instalmentMessage(progress.next, plan.currency) } : {}),
    covers: plan.covers.map((c) => ({ invoiceId: c.invoiceId, invoiceNumber: numbers.get(c.invoiceId) ?? '', amount: m(c.amountMinor) })),
    ...(plan.cancellation
      ? {
          cancellation: {
            cancelledAt: timestampFromDate(plan.cancellation.cancelledAt),
            returnedToBalance: m(plan.cancellation.returnedMinor),
            remainderInvoiceId: plan.cancellation.remainderInvoiceId,
            remainderInvoiceNumber: numbers.get(plan.cancellation.remainderInvoiceId) ?? '',
          },
        }
      : {}),
  });
}

/** The earliest instalment not paid yet across the patient's plans, for the Billing summary. */
export function nextInstalmentOf(plans: PaymentPlan[], invoices: Invoice[], payments: Payment[], now: Date) {
  const next = plans
    .map((plan) => ({ plan, view: progressOf(viewsOf(plan, invoices, payments, now), plan.cancellation !== undefined).next }))
    .filter((n): n is { plan: PaymentPlan; view: InstalmentView } => n.view !== undefined)
    .sort((a, b) => a.view.dueOn.localeCompare(b.view.dueOn))[0];
  return next
    ? create(NextInstalmentSchema, {
        planId: next.plan.planId,
        planNumber: next.plan.number,
        instalment: instalmentMessage(next.view, next.plan.currency),
      })
    : undefined;
}
