// What patients, and guardians for each of their patients, see and do in Billing: the payment
// summary, invoices, payments with their receipts, and Make a Payment. Staff of the patient's
// clinic see the same (they take payments through RecordPayment). Every read is audited.
import { create } from '@bufbuild/protobuf';
import {
  BillingSummarySchema,
  PaymentProcessor as PaymentProcessorProto,
  type BillingService,
} from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { InvalidInput, NotAllowedNow, NotFound, NotPermitted, requireUuid } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import { auditRead, authenticate, authorisePatient, patientScope, type Caller, type RequestContext } from '@portico/kit/requests';
import { DateTime } from 'luxon';
import { settlementOf, statusOf, totalsOf, type PaymentTarget } from '../domain/ledger.js';
import { positiveAmount, sum } from '../domain/money.js';
import { PAYMENT, requireIdempotencyKey } from '../payments/checkout.js';
import { receiptPdf } from '../pdf/receipt.js';
import { statementPdf } from '../pdf/statement.js';
import { ledgerEntries, statementFor, statementMonths, validateMonth } from '../domain/statement.js';
import { BILLING, INVOICE, type BillingHandlerDeps } from './handler-deps.js';
import { invoiceMessage, moneyMessage, numbersOf, paymentMessage, statementMessage } from './messages.js';
import { nextInstalmentOf } from './payment-plan-messages.js';

type Methods = (typeof BillingService)['method'];
type PatientMethods =
  | 'getBillingSummary'
  | 'listInvoices'
  | 'getInvoice'
  | 'listPayments'
  | 'getPayment'
  | 'makePayment'
  | 'getPaymentReceipt'
  | 'getPaymentSettings'
  | 'listStatements'
  | 'getStatement';

const STATEMENT = 'statement';

/** The longest processor token accepted (Stripe's pm_ ids are far shorter). */
const LONGEST_TOKEN = 255;

export function patientHandlers(deps: BillingHandlerDeps): Pick<ServiceHandlers<Methods>, PatientMethods> {
  const { invoices, payments, checkout, processor, clinics, currency, clock } = deps;
  const authorise = (ctx: RequestContext, patientId: string, action: string, resourceType = BILLING) =>
    authorisePatient(ctx, patientId, { action, resourceType });

  const ledgerOf = async (caller: Caller) => {
    const scope = patientScope(caller);
    const [all, paid] = await Promise.all([invoices.ofPatient(scope), payments.ofPatient(scope)]);
    return { invoices: all, payments: paid };
  };

  async function loadPayment(caller: Caller, paymentId: string) {
    const payment = await payments.find(patientScope(caller), requireUuid(paymentId, 'payment_id'));
    if (!payment) throw new NotFound('payment not found');
    return payment;
  }

  return {
    async getBillingSummary(request, ctx) {
      const action = 'billing.summary';
      const caller = await authorise(ctx, request.patientId, action);
      const ledger = await ledgerOf(caller);
      const now = clock();
      const dues = ledger.invoices.map((invoice) => ({ invoice, due: settlementOf(invoice, ledger.payments).dueMinor }));
      const overdue = sum(dues.filter((d) => statusOf(d.invoice, d.due, now) === 'overdue').map((d) => d.due));
      const last = ledger.payments.find((p) => p.status === 'succeeded');
      const nextInstalment = nextInstalmentOf(await deps.plans.ofPatient(patientScope(caller)), ledger.invoices, ledger.payments, now);
      await auditRead(ctx, caller, { action, resourceType: BILLING });
      return {
        summary: create(BillingSummarySchema, {
          balance: moneyMessage(totalsOf(ledger.invoices, ledger.payments).balanceMinor, currency),
          overdue: moneyMessage(overdue, currency),
          ...(last ? { lastPayment: paymentMessage(last, numbersOf(ledger.invoices)) } : {}),
          outstandingInvoices: dues.filter((d) => d.due > 0).length,
          ...(nextInstalment ? { nextInstalment } : {}),
        }),
      };
    },

    async listInvoices(request, ctx) {
      const action = 'billing.list_invoices';
      const caller = await authorise(ctx, request.patientId, action, INVOICE);
      const page = pageOf(request.page);
      const ledger = await ledgerOf(caller);
      const now = clock();
      const listed = ledger.invoices.filter((i) => !request.outstandingOnly || settlementOf(i, ledger.payments).dueMinor > 0);
      const shown = listed.slice(page.offset, page.offset + page.limit);
      await auditRead(ctx, caller, { action, resourceType: INVOICE });
      return {
        invoices: shown.map((i) => invoiceMessage(i, ledger.payments, now)),
        page: { nextPageToken: nextPageToken(page, shown.length) },
      };
    },

    async getInvoice(request, ctx) {
      const action = 'billing.get_invoice';
      const caller = await authorise(ctx, request.patientId, action, INVOICE);
      const invoice = await invoices.find(patientScope(caller), requireUuid(request.invoiceId, 'invoice_id'));
      if (!invoice) throw new NotFound('invoice not found');
      await auditRead(ctx, caller, { action, resourceType: INVOICE, resourceId: invoice.invoiceId });
      return { invoice: invoiceMessage(invoice, await payments.ofPatient({ patientId: caller.patientId }), clock()) };
    },

    async listPayments(request, ctx) {
      const action = 'billing.list_payments';
      const caller = await authorise(ctx, request.patientId, action, PAYMENT);
      const page = pageOf(request.page);
      const [listed, all] = await Promise.all([
        payments.listOfPatient(patientScope(caller), page),
        invoices.ofPatient(patientScope(caller)),
      ]);
      await auditRead(ctx, caller, { action, resourceType: PAYMENT });
      return {
        payments: listed.map((p) => paymentMessage(p, numbersOf(all))),
        page: { nextPageToken: nextPageToken(page, listed.length) },
      };
    },

    async getPayment(request, ctx) {
      const action = 'billing.get_payment';
      const caller = await authorise(ctx, request.patientId, action, PAYMENT);
      const payment = await loadPayment(caller, request.paymentId);
      await auditRead(ctx, caller, { action, resourceType: PAYMENT, resourceId: payment.paymentId });
      return { payment: paymentMessage(payment, numbersOf(await invoices.ofPatient(patientScope(caller)))) };
    },

    async makePayment(request, ctx) {
      const action = 'billing.make_payment';
      const caller = await authorise(ctx, request.patientId, action, PAYMENT);
      // Staff take payments through RecordPayment, where the money is in the clinic's hands.
      if (caller.actingAs === 'staff') throw new NotPermitted('staff record payments taken at the front desk with RecordPayment');
      const idempotencyKey = requireIdempotencyKey(request.idempotencyKey);
      const token = request.paymentMethodToken;
      if (!token || token.length > LONGEST_TOKEN)
        throw new InvalidInput('request', [
          { field: 'payment_method_token', message: 'is required: the card as the payment processor tokenised it' },
        ]);
      let target: PaymentTarget;
      const chosen = request.target;
      if (chosen.case === 'wholeBalance' && chosen.value) target = { kind: 'whole_balance' };
      else if (chosen.case === 'invoices')
        target = { kind: 'invoices', invoiceIds: chosen.value.invoiceIds.map((id) => requireUuid(id, 'invoice_ids')) };
      else if (chosen.case === 'amount')
        target = { kind: 'amount', amountMinor: positiveAmount(chosen.value.amountMinor, chosen.value.currencyCode, currency, 'amount') };
      else throw new InvalidInput('request', [{ field: 'target', message: 'must be the whole balance, chosen invoices or an amount' }]);
      const payment = await checkout.pay(
        caller,
        { patientId: caller.patientId, idempotencyKey, target, method: 'card_online', paymentMethodToken: token, reference: '' },
        action,
      );
      return { payment: paymentMessage(payment, numbersOf(await invoices.ofPatient(patientScope(caller)))) };
    },

    async getPaymentReceipt(request, ctx) {
      const action = 'billing.get_receipt';
      const caller = await authorise(ctx, request.patientId, action, PAYMENT);
      const payment = await loadPayment(caller, request.paymentId);
      if (payment.status !== 'succeeded') throw new NotAllowedNow('a receipt is given for a settled payment only');
      const all = await invoices.ofPatient(patientScope(caller));
      const invoice = all.find((i) => i.invoiceId === payment.allocations[0]?.invoiceId);
      const zone = invoice?.timeZone ?? 'UTC';
      const content = await receiptPdf(payment, {
        clinicName: invoice?.clinicName ?? '',
        invoiceNumbers: numbersOf(all),
        formatDate: (at) => DateTime.fromJSDate(at, { zone }).toFormat('d LLLL yyyy, HH:mm ZZZZ'),
      });
      await auditRead(ctx, caller, { action, resourceType: PAYMENT, resourceId: payment.paymentId });
      return { document: { fileName: `receipt-${payment.receiptNumber}.pdf`, contentType: 'application/pdf', content } };
    },

    async listStatements(request, ctx) {
      const action = 'billing.list_statements';
      const caller = await authorise(ctx, request.patientId, action, STATEMENT);
      const ledger = await ledgerOf(caller);
      const zone = ledger.invoices[0]?.timeZone ?? 'UTC';
      const entries = ledgerEntries(ledger.invoices, ledger.payments);
      await auditRead(ctx, caller, { action, resourceType: STATEMENT });
      return {
        statements: statementMonths(entries, zone, clock()).map((month) => statementMessage(statementFor(month, zone, entries), currency)),
      };
    },

    async getStatement(request, ctx) {
      const action = 'billing.get_statement';
      const caller = await authorise(ctx, request.patientId, action, STATEMENT);
      const month = validateMonth(request.month);
      const ledger = await ledgerOf(caller);
      const clinic = await clinics(ctx);
      const zone = ledger.invoices[0]?.timeZone ?? clinic.timeZone;
      const statement = statementFor(month, zone, ledgerEntries(ledger.invoices, ledger.payments));
      const content = await statementPdf(statement, {
        clinicName: clinic.name,
        profile: clinic.profile,
        patientId: caller.patientId,
        currency,
        timeZone: zone,
      });
      await auditRead(ctx, caller, { action, resourceType: STATEMENT, resourceId: month });
      return {
        document: { fileName: `statement-${month}.pdf`, contentType: 'application/pdf', content },
        statement: statementMessage(statement, currency),
      };
    },

    async getPaymentSettings(_request, ctx) {
      await authenticate(ctx);
      return {
        processor: processor.kind === 'stripe' ? PaymentProcessorProto.STRIPE : PaymentProcessorProto.SANDBOX,
        publishableKey: processor.publishableKey,
        currencyCode: currency,
      };
    },
  };
}
