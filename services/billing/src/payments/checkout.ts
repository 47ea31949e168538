// Taking a payment, from the patient's Make a Payment or the front desk, and settling payments
// whose outcome the processor did not tell. The order of steps is what keeps a card from being
// charged twice:
//   1. under the patient's ledger lease (one holder across replicas), a request whose idempotency key is known returns that
//      payment (refused if it asked for something else); otherwise the amount and the invoices are
//      planned from the ledger and the payment is stored PENDING — it counts against the balance
//      from now on, so no other payment can take the same amount;
//   2. the processor is asked with the same idempotency key; its answer settles the payment
//      (SUCCEEDED with its PaymentReceived event, or FAILED and no longer counted);
//   3. no answer (a timeout): the payment stays PENDING; the reconciliation job, or a retry of the
//      same request, asks the processor again with the same key, which answers the first outcome
//      instead of charging again.
import { randomUUID } from 'node:crypto';
import { auditEvent } from '@portico/kit/audit';
import { InvalidInput, NotAllowedNow, VersionConflict, type Clock } from '@portico/kit/domain';
import type { Caller } from '@portico/kit/requests';
import type { Logger } from 'pino';
import { fingerprintOf, planPayment, type Payment, type PaymentMethod, type PaymentTarget } from '../domain/ledger.js';
import { paymentReceived } from '../events/billing-events.js';
import { OutcomeUnknown, type PaymentProcessor } from '../processor/port.js';
import type { LedgerLock } from '../store/ledger-lock.js';
import type { InvoiceRepository, PaymentRepository } from '../store/repositories.js';

export const PAYMENT = 'payment';
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export function requireIdempotencyKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key))
    throw new InvalidInput('request', [{ field: 'idempotency_key', message: 'must be 8 to 128 letters, digits or _.:-' }]);
  return key;
}

/** A receipt number patients can quote: RCT-2026-1A2B3C4D. */
export const receiptNumberOf = (paymentId: string, at: Date) => `RCT-${at.getUTCFullYear()}-${paymentId.slice(0, 8).toUpperCase()}`;

export interface PaymentRequest {
  patientId: string;
  idempotencyKey: string;
  target: PaymentTarget;
  method: PaymentMethod;
  /** The processor's card token (online), empty at the front desk. */
  paymentMethodToken: string;
  /** Cheque number or terminal reference (front desk). */
  reference: string;
}

export interface CheckoutDeps {
  invoices: InvoiceRepository;
  payments: PaymentRepository;
  ledgerLock: LedgerLock;
  processor: PaymentProcessor;
  currency: string;
  clock: Clock;
  logger: Logger;
  reconcileAfterMs: number;
}

export function checkout(deps: CheckoutDeps) {
  const { invoices, payments, ledgerLock, processor, currency, clock, logger } = deps;

  /** Asks the processor (again) with the payment's own key and writes what it answered. */
  async function settle(payment: Payment, caller: Caller | undefined): Promise<Payment> {
    let answer;
    try {
      answer = await processor.charge({
        idempotencyKey: payment.idempotencyKey,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        paymentMethodToken: payment.paymentMethodToken,
        paymentId: payment.paymentId,
      });
    } catch (error) {
      if (error instanceof OutcomeUnknown) {
        logger.warn({ paymentId: payment.paymentId, processor: processor.kind }, 'payment outcome unknown; it will be reconciled');
        return payment;
      }
      // The processor refused the request itself (not the card): nothing was charged.
      logger.error(
        { paymentId: payment.paymentId, err: { name: (error as Error).name, message: (error as Error).message } },
        'processor refused the payment request',
      );
      answer = { outcome: 'declined' as const, reference: '', reason: 'The payment could not be processed; nothing was charged.' };
    }
    const now = clock();
    const base = { ...payment, processorReference: answer.reference, version: payment.version + 1, updatedAt: now };
    if (answer.outcome === 'succeeded') {
      const next: Payment = { ...base, status: 'succeeded', reference: answer.cardLast4 };
      return payments.replace(payment, next, [paymentReceived(caller, next)]);
    }
    return payments.replace(payment, { ...base, status: 'failed', failureReason: answer.reason }, []);
  }

  return {
    /**
     * Takes a payment as `caller`. Online (card_online) it goes through the processor; at the
     * front desk it is settled at once, since the money is in the clinic's hands.
     */
    pay(caller: Caller, request: PaymentRequest, action: string): Promise<Payment> {
      const { patientId, idempotencyKey } = request;
      const fingerprint = `${request.method}:${fingerprintOf(request.target, currency)}`;
      return ledgerLock(patientId, async () => {
        const first = await payments.findByKey(patientId, idempotencyKey);
        if (first) {
          if (first.requestFingerprint !== fingerprint)
            throw new NotAllowedNow('this idempotency key was used for a different payment: nothing was charged; start a new payment');
          return first.status === 'pending' ? settle(first, caller) : first;
        }
        const ledgerInvoices = await invoices.ofPatient({ patientId });
        const plan = planPayment(ledgerInvoices, await payments.ofPatient({ patientId }), request.target);
        const now = clock();
        const paymentId = randomUUID();
        const online = request.method === 'card_online';
        const payment: Payment = {
          paymentId,
          patientId,
          clinicId: ledgerInvoices.find((i) => i.invoiceId === plan.allocations[0]?.invoiceId)?.clinicId ?? '',
          receiptNumber: receiptNumberOf(paymentId, now),
          method: request.method,
          status: online ? 'pending' : 'succeeded',
          amountMinor: plan.amountMinor,
          currency,
          allocations: plan.allocations,
          refunds: [],
          receivedAt: now,
          failureReason: '',
          reference: request.reference,
          processorReference: '',
          paymentMethodToken: request.paymentMethodToken,
          idempotencyKey,
          requestFingerprint: fingerprint,
          version: 1,
          createdAt: now,
          updatedAt: now,
        };
        const audit = auditEvent(caller, { action, resourceType: PAYMENT, resourceId: paymentId });
        const events = online ? [audit] : [paymentReceived(caller, payment), audit];
        // Under the patient's lease nobody else can have taken the key meanwhile.
        if (!(await payments.insert(payment, events))) throw new VersionConflict(PAYMENT);
        return online ? settle(payment, caller) : payment;
      });
    },

    /** Settles every payment left pending longer than the reconciliation delay; how many were settled. */
    async reconcile(): Promise<number> {
      const due = await payments.pendingSince(new Date(clock().getTime() - deps.reconcileAfterMs), 100);
      let settled = 0;
      for (const stale of due) {
        const outcome = await ledgerLock(stale.patientId, async () => {
          const current = await payments.find({ patientId: stale.patientId }, stale.paymentId);
          return current?.status === 'pending' ? settle(current, undefined) : current;
        });
        if (outcome && outcome.status !== 'pending') settled++;
      }
      return settled;
    },
  };
}

export type Checkout = ReturnType<typeof checkout>;
