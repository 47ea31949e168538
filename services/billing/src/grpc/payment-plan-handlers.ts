// PaymentPlansService: staff make a plan for a patient of their clinic; the patient, their
// guardian and staff see the patient's plans with what is paid and what comes next. Every read
// is audited; anyone else's patient answers NOT_FOUND.
import type { PaymentPlansService } from '@portico/contracts/gen/portico/billing/v1/payment_plans_pb';
import { NotFound, requireUuid } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { auditRead, authorisePatient, authoriseStaffFor, patientScope, type Caller } from '@portico/kit/requests';
import { positiveAmount } from '../domain/money.js';
import { requireIdempotencyKey } from '../payments/checkout.js';
import { PAYMENT_PLAN, type PaymentPlans } from '../plans/payment-plans.js';
import type { PaymentPlanRepository } from '../store/payment-plan-store.js';
import type { BillingHandlerDeps } from './handler-deps.js';
import { planFrequencies, planMessage } from './payment-plan-messages.js';
import { randomUUID } from 'node:crypto';

export interface PaymentPlanHandlerDeps extends Pick<BillingHandlerDeps, 'invoices' | 'payments' | 'clinics' | 'currency' | 'clock'> {
  plans: PaymentPlanRepository;
  paymentPlans: PaymentPlans;
}

export function paymentPlanHandlers(deps: PaymentPlanHandlerDeps): ServiceHandlers<(typeof PaymentPlansService)['method']> {
  const { invoices, payments, plans, paymentPlans, clinics, currency, clock } = deps;

  const ledgerOf = async (caller: Caller) => {
    const scope = { patientId: caller.patientId };
    const [all, paid] = await Promise.all([invoices.ofPatient(scope), payments.ofPatient(scope)]);
    return { invoices: all, payments: paid };
  };

  return {
    async createPaymentPlan(request, ctx) {
      const action = 'billing.create_payment_plan';
      const caller = await authoriseStaffFor(ctx, request.patientId, { action, resourceType: PAYMENT_PLAN });
      const idempotencyKey = request.idempotencyKey ? requireIdempotencyKey(request.idempotencyKey) : randomUUID();
      const invoiceIds = request.invoiceIds.map((id) => requireUuid(id, 'invoice_ids'));
      const amountMinor = request.amount ? positiveAmount(request.amount.amountMinor, request.amount.currencyCode, currency, 'amount') : 0;
      const clinic = await clinics(ctx);
      const plan = await paymentPlans.create(
        caller,
        {
          idempotencyKey,
          invoiceIds,
          amountMinor,
          instalmentCount: request.instalmentCount,
          frequency: planFrequencies.fromProto(request.frequency),
          firstDueOn: request.firstDueOn,
        },
        clinic,
        action,
      );
      const ledger = await ledgerOf(caller);
      return { plan: planMessage(plan, ledger.invoices, ledger.payments, clock()) };
    },

    async listPaymentPlans(request, ctx) {
      const action = 'billing.list_payment_plans';
      const caller = await authorisePatient(ctx, request.patientId, { action, resourceType: PAYMENT_PLAN });
      const [found, ledger] = await Promise.all([plans.ofPatient(patientScope(caller)), ledgerOf(caller)]);
      await auditRead(ctx, caller, { action, resourceType: PAYMENT_PLAN });
      const now = clock();
      return { plans: found.map((plan) => planMessage(plan, ledger.invoices, ledger.payments, now)) };
    },

    async cancelPaymentPlan(request, ctx) {
      const action = 'billing.cancel_payment_plan';
      const planId = requireUuid(request.planId, 'plan_id');
      const caller = await authoriseStaffFor(ctx, request.patientId, { action, resourceType: PAYMENT_PLAN });
      const plan = await paymentPlans.cancel(caller, planId, action);
      const ledger = await ledgerOf(caller);
      return { plan: planMessage(plan, ledger.invoices, ledger.payments, clock()) };
    },

    async getPaymentPlan(request, ctx) {
      const action = 'billing.get_payment_plan';
      const caller = await authorisePatient(ctx, request.patientId, { action, resourceType: PAYMENT_PLAN });
      const plan = await plans.find(patientScope(caller), requireUuid(request.planId, 'plan_id'));
      if (!plan) throw new NotFound('payment plan not found');
      const ledger = await ledgerOf(caller);
      await auditRead(ctx, caller, { action, resourceType: PAYMENT_PLAN, resourceId: plan.planId });
      return { plan: planMessage(plan, ledger.invoices, ledger.payments, clock()) };
    },
  };
}
