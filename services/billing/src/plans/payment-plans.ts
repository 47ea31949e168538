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
//      a second invoice for it even if two replicas got that far.
import { randomUUID } from 'node:crypto';
import { auditEvent } from '@portico/kit/audit';
import { NotFound, VersionConflict, type Clock } from '@portico/kit/domain';
import type { Caller } from '@portico/kit/requests';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { planPayment, settlementOf, todayIn, type Invoice, type PaymentTarget } from '../domain/ledger.js';
import { checkTerms, instalmentsToCharge, nextChargeOf, scheduleOf, type PaymentPlan, type PlanFrequency } from '../domain/payment-plan.js';
import { invoiceIssued } from '../events/billing-events.js';
import { paymentPlanCreated } from '../events/payment-plan-events.js';
import type { LedgerLock } from '../store/ledger-lock.js';
import type { PaymentPlanRepository } from '../store/payment-plan-store.js';
import type { InvoiceRepository, PaymentRepository } from '../store/repositories.js';

export const PAYMENT_PLAN = 'payment_plan';

/** A plan number patients can quote: PLAN-2026-1A2B3C4D. */
const planNumberOf = (planId: string, at: Date) => `PLAN-${at.getUTCFullYear()}-${planId.slice(0, 8).toUpperCase()}`;
/** The same shape as the invoices staff issue. */
const invoiceNumberOf = (invoiceId: string, at: Date) => `INV-${at.getUTCFullYear()}-${invoiceId.slice(0, 8).toUpperCase()}`;
/** The key of the adjustment a plan makes on an invoice it covers, and of the invoice an instalment becomes. */
const coverKey = (planId: string) => `payment-plan:${planId}`;
const instalmentKey = (planId: string, number: number) => `payment-plan:${planId}:${number}`;
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

  /** Step 3: the instalments whose date has come become invoices (lease held). */
  async function chargeDue(plan: PaymentPlan): Promise<{ plan: PaymentPlan; charged: number }> {
    if (!plan.coversApplied) return { plan, charged: 0 };
    const now = clock();
    const due = instalmentsToCharge(plan, todayIn(now, plan.timeZone));
    if (!due.length) return { plan, charged: 0 };
    const charged = new Map<number, string>();
    for (const instalment of due) {
      const key = instalmentKey(plan.planId, instalment.number);
      const invoiceId = randomUUID();
      const invoice: Invoice = {
        invoiceId,
        patientId: plan.patientId,
        clinicId: plan.clinicId,
        clinicName: plan.clinicName,
        timeZone: plan.timeZone,
        number: invoiceNumberOf(invoiceId, now),
        currency: plan.currency,
        issuedAt: now,
        dueOn: instalment.dueOn,
        lines: [
          {
            dateOfService: instalment.dueOn,
            procedureCode: '',
            modifiers: [],
            description: `Payment plan ${plan.number}: instalment ${instalment.number} of ${plan.instalments.length}`,
            units: 1,
            unitPriceMinor: instalment.amountMinor,
            amountMinor: instalment.amountMinor,
          },
        ],
        totalMinor: instalment.amountMinor,
        adjustments: [],
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      if (await invoices.insert(invoice, key, [invoiceIssued(undefined, invoice)])) charged.set(instalment.number, invoiceId);
      else {
        // Charged already (a round that stopped before noting it on the plan): note that invoice.
        const first = await invoices.findByKey(plan.patientId, key);
        if (first) charged.set(instalment.number, first.invoiceId);
      }
    }
    const instalments = plan.instalments.map((i) => (charged.has(i.number) ? { ...i, invoiceId: charged.get(i.number)! } : i));
    const next = { ...plan, instalments, nextChargeOn: nextChargeOf(instalments), version: plan.version + 1, updatedAt: now };
    return { plan: await plans.replace(plan, next, []), charged: charged.size };
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
            return (await chargeDue(await applyCovers(current))).charged;
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
