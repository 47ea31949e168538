// Staff at work: issue invoices, record payments taken at the front desk, adjust invoices, refund
// payments, and see every payment of their clinic. Each handler checks the caller is staff of the
// patient's clinic, applies the ledger's rules and stores the change with its events and audit.
import { randomUUID } from 'node:crypto';
import type { BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { auditEvent } from '@portico/kit/audit';
import { InvalidInput, NotFound, requireUuid, VersionConflict } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import { auditStaffRead, authoriseStaff, authoriseStaffFor, patientScope, type RequestContext } from '@portico/kit/requests';
import { dueDateOf, validateLines } from '../domain/invoice.js';
import { planRefund, settlementOf, todayIn, type Invoice, type Payment, type Refund } from '../domain/ledger.js';
import { isKnownCurrency, positiveAmount, sum } from '../domain/money.js';
import { invoiceIssued, paymentRefunded } from '../events/billing-events.js';
import { PAYMENT, requireIdempotencyKey } from '../payments/checkout.js';
import { INVOICE, type BillingHandlerDeps } from './handler-deps.js';
import { invoiceMessage, numbersOf, paymentMessage, paymentMethods } from './messages.js';

type Methods = (typeof BillingService)['method'];
type StaffMethods = 'issueInvoice' | 'recordPayment' | 'adjustInvoice' | 'refundPayment' | 'listClinicPayments';

/** An invoice number patients can quote: INV-2026-1A2B3C4D. */
const invoiceNumberOf = (invoiceId: string, at: Date) => `INV-${at.getUTCFullYear()}-${invoiceId.slice(0, 8).toUpperCase()}`;

export function staffHandlers(deps: BillingHandlerDeps): Pick<ServiceHandlers<Methods>, StaffMethods> {
  const { invoices, payments, ledgerLock, checkout, processor, clinics, currency, clock } = deps;
  const staffFor = (ctx: RequestContext, patientId: string, action: string, resourceType = INVOICE) =>
    authoriseStaffFor(ctx, patientId, { action, resourceType });

  /** The invoice as the patient's ledger shows it now. */
  async function presentInvoice(invoice: Invoice) {
    return invoiceMessage(invoice, await payments.ofPatient({ patientId: invoice.patientId }), clock());
  }

  async function presentPayment(payment: Payment) {
    return paymentMessage(payment, numbersOf(await invoices.ofPatient({ patientId: payment.patientId })));
  }

  return {
    async issueInvoice(request, ctx) {
      const action = 'billing.issue_invoice';
      const caller = await staffFor(ctx, request.patientId, action);
      const key = request.idempotencyKey ? requireIdempotencyKey(request.idempotencyKey) : '';
      if (request.currencyCode && (!isKnownCurrency(request.currencyCode) || request.currencyCode !== currency))
        throw new InvalidInput('invoice', [{ field: 'currency_code', message: `must be ${currency}, the clinic's billing currency` }]);
      const clinic = await clinics(ctx);
      const now = clock();
      const today = todayIn(now, clinic.timeZone);
      const lines = validateLines(
        request.lines.map((l) => ({ ...l, unitPriceMinor: Number(l.unitPriceMinor) })),
        today,
      );
      await deps.estimateLinks?.checkLines(caller.patientId, lines);
      const dueOn = dueDateOf(request.dueOn, today);
      const invoiceId = randomUUID();
      const invoice: Invoice = {
        invoiceId,
        patientId: caller.patientId,
        clinicId: caller.principal.clinicId ?? clinic.clinicId,
        clinicName: clinic.name,
        timeZone: clinic.timeZone,
        number: invoiceNumberOf(invoiceId, now),
        currency,
        issuedAt: now,
        dueOn,
        lines,
        totalMinor: sum(lines.map((l) => l.amountMinor)),
        adjustments: [],
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      const events = [invoiceIssued(caller, invoice), auditEvent(caller, { action, resourceType: INVOICE, resourceId: invoiceId })];
      // A retry (or a double click) returns the invoice the first request issued.
      const issued = await ledgerLock(caller.patientId, async () => {
        const first = key ? await invoices.findByKey(caller.patientId, key) : undefined;
        if (first) return first;
        if (!(await invoices.insert(invoice, key || invoiceId, events))) throw new VersionConflict(INVOICE);
        return invoice;
      });
      await deps.estimateLinks?.invoiceIssued(issued);
      return { invoice: await presentInvoice(issued) };
    },

    async recordPayment(request, ctx) {
      const action = 'billing.record_payment';
      const caller = await staffFor(ctx, request.patientId, action, PAYMENT);
      const method = paymentMethods.fromProto(request.method);
      if (!method || method === 'card_online')
        throw new InvalidInput('request', [{ field: 'method', message: 'must be cash, check or card_terminal' }]);
      const amountMinor = positiveAmount(request.amount?.amountMinor, request.amount?.currencyCode ?? '', currency, 'amount');
      if (request.reference.length > 64)
        throw new InvalidInput('request', [{ field: 'reference', message: 'must be at most 64 characters' }]);
      const invoiceIds = request.invoiceIds.map((id) => requireUuid(id, 'invoice_ids'));
      const payment = await checkout.pay(
        caller,
        {
          patientId: caller.patientId,
          idempotencyKey: request.idempotencyKey ? requireIdempotencyKey(request.idempotencyKey) : randomUUID(),
          target: { kind: 'amount', amountMinor, invoiceIds },
          method,
          paymentMethodToken: '',
          reference: request.reference,
        },
        action,
      );
      return { payment: await presentPayment(payment) };
    },

    async adjustInvoice(request, ctx) {
      const action = 'billing.adjust_invoice';
      const caller = await staffFor(ctx, request.patientId, action);
      const invoiceId = requireUuid(request.invoiceId, 'invoice_id');
      const key = request.idempotencyKey ? requireIdempotencyKey(request.idempotencyKey) : randomUUID();
      const amountMinor = positiveAmount(request.amount?.amountMinor, request.amount?.currencyCode ?? '', currency, 'amount');
      const reason = request.reason.trim();
      if (!reason || reason.length > 200)
        throw new InvalidInput('request', [{ field: 'reason', message: 'is required, at most 200 characters' }]);
      const invoice = await ledgerLock(caller.patientId, async () => {
        const current = await invoices.find(patientScope(caller), invoiceId);
        if (!current) throw new NotFound('invoice not found');
        if (current.adjustments.some((a) => a.idempotencyKey === key)) return current;
        const { dueMinor } = settlementOf(current, await payments.ofPatient({ patientId: caller.patientId }));
        if (amountMinor > dueMinor)
          throw new InvalidInput('request', [{ field: 'amount', message: 'must not be more than the invoice owes' }]);
        const now = clock();
        const next: Invoice = {
          ...current,
          adjustments: [...current.adjustments, { adjustmentId: randomUUID(), amountMinor, reason, at: now, idempotencyKey: key }],
          version: current.version + 1,
          updatedAt: now,
        };
        return invoices.replace(current, next, [auditEvent(caller, { action, resourceType: INVOICE, resourceId: invoiceId })]);
      });
      return { invoice: await presentInvoice(invoice) };
    },

    async refundPayment(request, ctx) {
      const action = 'billing.refund_payment';
      const caller = await staffFor(ctx, request.patientId, action, PAYMENT);
      const paymentId = requireUuid(request.paymentId, 'payment_id');
      const key = request.idempotencyKey ? requireIdempotencyKey(request.idempotencyKey) : randomUUID();
      const amountMinor = positiveAmount(request.amount?.amountMinor, request.amount?.currencyCode ?? '', currency, 'amount');
      const reason = request.reason.trim();
      if (reason.length > 200) throw new InvalidInput('request', [{ field: 'reason', message: 'must be at most 200 characters' }]);
      const payment = await ledgerLock(caller.patientId, async () => {
        const current = await payments.find(patientScope(caller), paymentId);
        if (!current) throw new NotFound('payment not found');
        if (current.refunds.some((r) => r.idempotencyKey === key)) return current;
        const allocations = planRefund(current, amountMinor);
        // Money paid by card online goes back the same way; cash and cheques are handed back by the clinic.
        const processorReference =
          current.method === 'card_online'
            ? (await processor.refund({ idempotencyKey: `refund-${key}`, chargeReference: current.processorReference, amountMinor }))
                .reference
            : '';
        const now = clock();
        const refund: Refund = {
          refundId: randomUUID(),
          amountMinor,
          reason,
          at: now,
          idempotencyKey: key,
          allocations,
          processorReference,
        };
        const next: Payment = { ...current, refunds: [...current.refunds, refund], version: current.version + 1, updatedAt: now };
        return payments.replace(current, next, [
          paymentRefunded(caller, next, refund),
          auditEvent(caller, { action, resourceType: PAYMENT, resourceId: paymentId }),
        ]);
      });
      return { payment: await presentPayment(payment) };
    },

    async listClinicPayments(request, ctx) {
      const action = 'billing.list_clinic_payments';
      const caller = await authoriseStaff(ctx, { action, resourceType: PAYMENT });
      const page = pageOf(request.page);
      const found = await payments.ofClinic(caller.clinicId, page);
      await auditStaffRead(ctx, caller, { action, resourceType: PAYMENT });
      return { payments: found.map((p) => paymentMessage(p, new Map())), page: { nextPageToken: nextPageToken(page, found.length) } };
    },
  };
}
