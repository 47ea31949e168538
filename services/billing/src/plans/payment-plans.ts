// Making payment plans and turning their instalments into charges. The order of steps keeps the
// ledger whole on a database without multi-document transactions, and an instalment charged once
// however many replicas run the scheduler:
//   1. under the patient's ledger lease, the plan is planned from the ledger (the same rules as a
//      payment) and stored with its PaymentPlanCreated event, marked "covers not applied";
//   2. an adjustment keyed by the plan is added to each covered invoice (a retry finds it there),
//      then the plan is marked "covers applied" — a plan left half-way (the process died) is
//      finished by the scheduler's next round;
//   3. on its date (the clinic's zone) an instalment becomes an invoice under the same lease,
//      whose idempotency key is the plan's id and the instalment's number: the unique key refuses
//      a second invoice for it even if two replicas got that far;
//   4. cancelling (under the same lease) marks the plan cancelled with its event, then charges
//      what the instalments not charged would have covered as one invoice keyed by the plan.
import { randomUUID } from 'node:crypto';
import { auditEvent } from '@portico/kit/audit';
import { NotFound, VersionConflict, type Clock } from '@portico/kit/domain';
import type { Caller } from '@portico/kit/requests';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { planPayment, settlementOf, todayIn, type Invoice, type PaymentTarget } from '../domain/ledger.js';
import { sum } from '../domain/money.js';
import {
  checkTerms,
  instalmentsToCharge,
  nextChargeOf,
  PAYMENT_PLAN_KEY_PREFIX,
  remainderOf,
  scheduleOf,
  type PaymentPlan,
  type PlanFrequency,
} from '../domain/payment-plan.js';
import { invoiceIssued } from '../events/billing-events.js';
import { paymentPlanCancelled, paymentPlanCreated } from '../events/payment-plan-events.js';
import type { LedgerLock } from '../store/ledger-lock.js';
import type { PaymentPlanRepository } from '../store/payment-plan-store.js';
import type { InvoiceRepository, PaymentRepository } from '../store/repositories.js';

export const PAYMENT_PLAN = 'payment_plan';

/** A plan number patients can quote: PLAN-2026-1A2B3C4D. */
const planNumberOf = (planId: string, at: Date) => `PLAN-${at.getUTCFullYear()}-${planId.slice(0, 8).toUpperCase()}`;
/** The same shape as the invoices staff issue. */
const invoiceNumberOf = (invoiceId: string, at: Date) => `INV-${at.getUTCFullYear()}-${invoiceId.slice(0, 8).toUpperCase()}`;
/** The key of the adjustment a plan makes on an invoice it covers, and of the invoice an instalment becomes. */
const coverKey = (planId: string) => `${PAYMENT_PLAN_KEY_PREFIX}${planId}`;
const instalmentKey = (planId: string, number: number) => `${coverKey(planId)}:${number}`;
/** The key of the one invoice that charges what a cancelled plan returned to the balance. */
const remainderKey = (planId: string) => `${coverKey(planId)}:cancelled`;
/** "Today" somewhere on Earth at the latest (UTC+14): no plan due anywhere is missed by the query. */
const latestTodayAnywhere = (now: Date) => DateTime.fromJSDate(now, { zone: 'UTC+14' }).toISODate()!;
/** A plan still marked "covers not applied" this long after it was made was left half-way. */
const UNFINISHED_AFTER_MS = 60_000;
const BATCH = 100;

export interface PlanRequest {
  idempotencyKey: string;
  invoiceIds: string[];
  /** 0: all the chosen invoices owe, or the whole balance. */
  amountMinor: number;
  instalmentCount: number;
  frequency: PlanFrequency | undefined;
  firstDueOn: string;
}

export interface PaymentPlansDeps {
  invoices: InvoiceRepository;
  payments: PaymentRepository;
  plans: PaymentPlanRepository;
  ledgerLock: LedgerLock;
  currency: string;
  clock: Clock;
  logger: Logger;
}

export type PaymentPlans = ReturnType<typeof paymentPlans>;

export function paymentPlans(deps: PaymentPlansDeps) {
  const { invoices, payments, plans, ledgerLock, currency, clock, logger } = deps;

  /** Step 2: the covering adjustments, each added once (lease held). */
  async function applyCovers(plan: PaymentPlan): Promise<PaymentPlan> {
    if (plan.coversApplied) return plan;
    const paid = await payments.ofPatient({ patientId: plan.patientId });
    for (const cover of plan.covers) {
      const invoice = await invoices.find({ patientId: plan.patientId }, cover.invoiceId);
      if (!invoice) throw new NotFound('invoice not found');
      if (invoice.adjustments.some((a) => a.idempotencyKey === coverKey(plan.planId))) continue;
      // Only when a plan is finished after a crash can a payment have taken part of it meanwhile.
      const amountMinor = Math.min(cover.amountMinor, settlementOf(invoice, paid).dueMinor);
      if (amountMinor < cover.amountMinor)
        logger.warn(
          { planId: plan.planId, invoiceId: invoice.invoiceId },
          'payment plan finished after a payment: moved only what was due',
        );
      if (amountMinor <= 0) continue;
      const now = clock();
      await invoices.replace(
        invoice,
        {
          ...invoice,
          adjustments: [
            ...invoice.adjustments,
            {
              adjustmentId: randomUUID(),
              amountMinor,
              reason: `Moved to payment plan ${plan.number}`,
              at: now,
              idempotencyKey: coverKey(plan.planId),
            },
          ],
          version: invoice.version + 1,
          updatedAt: now,
        },
        [],
      );
    }
    return plans.replace(plan, { ...plan, coversApplied: true, version: plan.version + 1, updatedAt: clock() }, []);
  }

  /**
   * One charge of the plan's (an instalment, or what a cancellation returned): an invoice of one
   * line, no procedure code, due `dueOn`, whose unique key makes it once. Resolves to its id (the
   * first one's when the key was used before), '' if the key's invoice cannot be found.
   */
  async function chargeOnce(
    plan: PaymentPlan,
    key: string,
    invoiceId: string,
    charge: { dueOn: string; amountMinor: number; description: string },
  ): Promise<string> {
    const now = clock();
    const invoice: Invoice = {
      invoiceId,
      patientId: plan.patientId,
      clinicId: plan.clinicId,
      clinicName: plan.clinicName,
      timeZone: plan.timeZone,
      number: invoiceNumberOf(invoiceId, now),
      currency: plan.currency,
      issuedAt: now,
      dueOn: charge.dueOn,
      lines: [
        {
          dateOfService: charge.dueOn,
          procedureCode: '',
          modifiers: [],
          description: charge.description,
          units: 1,
          unitPriceMinor: charge.amountMinor,
          amountMinor: charge.amountMinor,
        },
      ],
      totalMinor: charge.amountMinor,
      adjustments: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    if (await invoices.insert(invoice, key, [invoiceIssued(undefined, invoice)])) return invoiceId;
    // Charged already (a round that stopped before noting it on the plan): that invoice.
    return (await invoices.findByKey(plan.patientId, key))?.invoiceId ?? '';
  }

  /** Step 3: the instalments whose date has come become invoices (lease held). */
  async function chargeDue(plan: PaymentPlan): Promise<{ plan: PaymentPlan; charged: number }> {
    if (!plan.coversApplied || plan.cancellation) return { plan, charged: 0 };
    const now = clock();
    const due = instalmentsToCharge(plan, todayIn(now, plan.timeZone));
    if (!due.length) return { plan, charged: 0 };
    const charged = new Map<number, string>();
    for (const instalment of due) {
      const invoiceId = await chargeOnce(plan, instalmentKey(plan.planId, instalment.number), randomUUID(), {
        dueOn: instalment.dueOn,
        amountMinor: instalment.amountMinor,
        description: `Payment plan ${plan.number}: instalment ${instalment.number} of ${plan.instalments.length}`,
      });
      if (invoiceId) charged.set(instalment.number, invoiceId);
    }
    const instalments = plan.instalments.map((i) => (charged.has(i.number) ? { ...i, invoiceId: charged.get(i.number)! } : i));
    const next = { ...plan, instalments, nextChargeOn: nextChargeOf(instalments), version: plan.version + 1, updatedAt: now };
    return { plan: await plans.replace(plan, next, []), charged: charged.size };
  }

  /** What the plan's covering adjustments actually moved off its invoices. */
  async function movedBy(plan: PaymentPlan): Promise<number> {
    const covered = await Promise.all(plan.covers.map((c) => invoices.find({ patientId: plan.patientId }, c.invoiceId)));
    return sum(
      covered
        .flatMap((invoice) => invoice?.adjustments.filter((a) => a.idempotencyKey === coverKey(plan.planId)) ?? [])
        .map((a) => a.amountMinor),
    );
  }

  /** Step 2 of a cancellation: what went back onto the balance becomes one charge, due at once (lease held). */
  async function chargeRemainder(plan: PaymentPlan): Promise<PaymentPlan> {
    const cancellation = plan.cancellation;
    if (!cancellation || cancellation.remainderCharged) return plan;
    if (cancellation.returnedMinor > 0) {
      const dueOn = todayIn(cancellation.cancelledAt, plan.timeZone);
      const charged = await chargeOnce(plan, remainderKey(plan.planId), cancellation.remainderInvoiceId, {
        dueOn,
        amountMinor: cancellation.returnedMinor,
        description: `Payment plan ${plan.number} cancelled: the instalments not charged`,
      });
      if (!charged) throw new Error('the charge of a cancelled plan’s remainder was neither made nor found');
    }
    const next = { ...plan, cancellation: { ...cancellation, remainderCharged: true }, version: plan.version + 1, updatedAt: clock() };
    return plans.replace(plan, next, []);
  }

  /** Finishes whatever a dead process left of `plan` and charges what is due (lease held). */
  async function bringUpToDate(plan: PaymentPlan): Promise<number> {
    const covered = await applyCovers(plan);
    if (covered.cancellation) {
      await chargeRemainder(covered);
      return 0;
    }
    return (await chargeDue(covered)).charged;
  }

  return {
    /** A new plan for `caller`'s patient (staff of their clinic), or the one this key made before. */
    async create(caller: Caller, request: PlanRequest, clinic: { name: string; timeZone: string }, action: string): Promise<PaymentPlan> {
      return ledgerLock(caller.patientId, async () => {
        const first = await plans.findByKey(caller.patientId, request.idempotencyKey);
        if (first) return first;
        const scope = { patientId: caller.patientId };
        const [ledgerInvoices, ledgerPayments] = await Promise.all([invoices.ofPatient(scope), payments.ofPatient(scope)]);
        const target: PaymentTarget = request.amountMinor
          ? { kind: 'amount', amountMinor: request.amountMinor, invoiceIds: request.invoiceIds }
          : request.invoiceIds.length
            ? { kind: 'invoices', invoiceIds: request.invoiceIds }
            : { kind: 'whole_balance' };
        const now = clock();
        const today = todayIn(now, clinic.timeZone);
        // Terms first, so bad terms are named even when nothing is due.
        checkTerms(request, today);
        const { amountMinor, allocations } = planPayment(ledgerInvoices, ledgerPayments, target);
        const schedule = scheduleOf({ ...request, totalMinor: amountMinor }, today);
        const planId = randomUUID();
        const plan: PaymentPlan = {
          planId,
          patientId: caller.patientId,
          clinicId: caller.principal.clinicId ?? '',
          clinicName: clinic.name,
          timeZone: clinic.timeZone,
          number: planNumberOf(planId, now),
          currency,
          frequency: request.frequency!,
          totalMinor: amountMinor,
          covers: allocations,
          coversApplied: false,
          instalments: schedule,
          nextChargeOn: nextChargeOf(schedule),
          createdAt: now,
          updatedAt: now,
          version: 1,
        };
        const inserted = await plans.insert(plan, request.idempotencyKey, [
          paymentPlanCreated(caller, plan),
          auditEvent(caller, { action, resourceType: PAYMENT_PLAN, resourceId: planId }),
        ]);
        if (!inserted) throw new VersionConflict('payment plan');
        const covered = await applyCovers(plan);
        // A plan whose first instalment is today charges it at once rather than at the next round.
        return (await chargeDue(covered)).plan;
      });
    },

    /**
     * Cancels `caller`'s patient's plan (staff of their clinic): the instalments not charged yet
     * never will be, and what they would have covered is owed again as one charge due today (see
     * decision 14). Under the patient's lease, so a scheduler round either charged an instalment
     * before (it stays charged) or finds the plan cancelled. Without transactions: the plan is
     * marked cancelled with its event first, then the charge is made under its unique key, then
     * noted; a cancellation left half-way is finished by a retry or the scheduler's next round.
     * Cancelling a cancelled plan returns it as it is.
     */
    async cancel(caller: Caller, planId: string, action: string): Promise<PaymentPlan> {
      return ledgerLock(caller.patientId, async () => {
        const found = await plans.find({ patientId: caller.patientId }, planId);
        if (!found) throw new NotFound('payment plan not found');
        if (found.cancellation) return chargeRemainder(found);
        // An instalment whose date has come is charged as it would have been; the rest are cancelled.
        const { plan } = await chargeDue(await applyCovers(found));
        const { returnedMinor } = remainderOf(plan, await movedBy(plan));
        const now = clock();
        const cancelled: PaymentPlan = {
          ...plan,
          nextChargeOn: '',
          cancellation: {
            cancelledAt: now,
            returnedMinor,
            remainderInvoiceId: returnedMinor > 0 ? randomUUID() : '',
            remainderCharged: false,
          },
          version: plan.version + 1,
          updatedAt: now,
        };
        const marked = await plans.replace(plan, cancelled, [
          paymentPlanCancelled(caller, cancelled),
          auditEvent(caller, { action, resourceType: PAYMENT_PLAN, resourceId: planId }),
        ]);
        return chargeRemainder(marked);
      });
    },

    /**
     * One round of the scheduler: finishes plans left half-way and charges every instalment whose
     * date has come. Safe to run on every replica at once. Resolves to how many instalments it charged.
     */
    async chargeDueInstalments(): Promise<number> {
      const now = clock();
      const unfinished = await plans.unfinishedBefore(new Date(now.getTime() - UNFINISHED_AFTER_MS), BATCH);
      const due = await plans.withChargesDue(latestTodayAnywhere(now), BATCH);
      let charged = 0;
      for (const candidate of [...unfinished, ...due]) {
        try {
          charged += await ledgerLock(candidate.patientId, async () => {
            // Read again under the lease: another replica may have charged it meanwhile.
            const current = await plans.find({ patientId: candidate.patientId }, candidate.planId);
            if (!current) return 0;
            return bringUpToDate(current);
          });
        } catch (error) {
          // One patient's trouble (a lease held too long) does not hold up the others' instalments.
          logger.warn(
            { err: { name: (error as Error).name, message: (error as Error).message }, planId: candidate.planId },
            'instalment charge failed',
          );
        }
      }
      return charged;
    },
  };
}
