// Billing (seed step 7). A patient, a guardian for their patient, or staff for a patient of their
// clinic: the payment summary, invoices, payments with their receipts, and Make a Payment (the
// card is the processor's token only). Staff (in the staff scope): issue invoices, record
// front-desk payments, adjust invoices, refund payments, and the clinic's payments. Money is
// integer minor units with an ISO currency everywhere: an amount with a fraction of a cent is
// refused by the schema before any service is asked.
import {
  InvoiceStatusSchema,
  PaymentMethodSchema,
  PaymentProcessor,
  PaymentStatusSchema,
  type BillingService,
  type BillingDocument,
  type Invoice as InvoiceMessage,
  type Payment as PaymentMessage,
  type Superbill as SuperbillMessage,
} from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import type { Money as MoneyMessage } from '@portico/contracts/gen/portico/common/v1/money_pb';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { ServiceClient } from '@portico/kit/grpc';
import { enumMapping } from '@portico/kit/vocabulary';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import {
  IdempotencyKeyHeaders,
  NextPageToken,
  PageQuery,
  pageRequest,
  PatientParams,
  problemResponses,
  ref,
  RequestProblem,
  StringEnum,
  Uuid,
} from '../http/schemas.js';
import { NextInstalmentView, nextInstalmentJson } from './billing-payment-plans.js';
import { callMetadata } from './call-metadata.js';
import { contentDisposition, fileResponse } from './organisation.js';

export type BillingClient = ServiceClient<(typeof BillingService)['method']>;

const invoiceStatuses = ['open', 'overdue', 'paid'] as const;
const paymentStatuses = ['pending', 'succeeded', 'failed'] as const;
const paymentMethods = ['card_online', 'cash', 'check', 'card_terminal'] as const;
const deskMethods = ['cash', 'check', 'card_terminal'] as const;
const invoiceStatus = enumMapping(InvoiceStatusSchema, invoiceStatuses);
const paymentStatus = enumMapping(PaymentStatusSchema, paymentStatuses);
const paymentMethod = enumMapping(PaymentMethodSchema, paymentMethods);

const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217', examples: ['USD'] });
export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar date, YYYY-MM-DD', examples: ['2026-11-20'] });
/** Whole minor units: 12.50 dollars is 1250; a fraction of a cent cannot be written. */
const MinorUnits = Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'Whole minor units (cents), more than zero' });

export const MoneyView = Type.Object(
  { amountMinor: Type.Integer({ description: 'In the currency’s minor unit (cents for USD)' }), currency: Currency },
  { $id: 'Money', description: 'An amount: integer minor units with its ISO currency, never a float' },
);
export const MoneyInput = Type.Object(
  { amountMinor: MinorUnits, currency: Currency },
  { $id: 'MoneyInput', additionalProperties: false, description: 'An amount to take or give back: whole minor units, more than zero' },
);

export const InvoiceView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    number: Type.String({ examples: ['INV-2026-1A2B3C4D'] }),
    issuedAt: Type.String({ format: 'date-time' }),
    dueOn: Day,
    status: StringEnum(invoiceStatuses, { description: 'overdue: something is due after dueOn' }),
    lines: Type.Array(
      Type.Object({
        dateOfService: Day,
        procedureCode: Type.String({ description: 'CPT or HCPCS' }),
        modifiers: Type.Array(Type.String()),
        description: Type.String(),
        units: Type.Integer(),
        unitPrice: ref(MoneyView),
        amount: ref(MoneyView),
        paid: ref(MoneyView),
        due: ref(MoneyView),
        renderingProviderNpi: Type.String({ description: 'The rendering provider’s NPI; empty when not given' }),
        estimateId: Type.String({ description: 'The Good Faith Estimate the service was estimated on; empty when none' }),
      }),
    ),
    total: ref(MoneyView),
    paid: ref(MoneyView),
    adjusted: ref(MoneyView),
    due: ref(MoneyView),
    movedToPaymentPlan: ref(MoneyView),
  },
  {
    $id: 'Invoice',
    description:
      'An invoice; paid and due are derived from the ledger: total = paid + adjusted (the clinic’s adjustments) + movedToPaymentPlan (what payment plans took over) + due',
  },
);

export const PaymentView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    receiptNumber: Type.String({ examples: ['RCT-2026-1A2B3C4D'] }),
    receivedAt: Type.String({ format: 'date-time' }),
    amount: ref(MoneyView),
    method: StringEnum(paymentMethods),
    status: StringEnum(paymentStatuses, { description: 'pending: the processor has not answered yet; it is reconciled' }),
    allocations: Type.Array(Type.Object({ invoiceId: Uuid, invoiceNumber: Type.String(), amount: ref(MoneyView) })),
    refunded: ref(MoneyView),
    failureReason: Type.String({ description: 'Why the card was declined; empty otherwise' }),
    reference: Type.String({ description: 'Card’s last four digits or cheque number, when known' }),
  },
  { $id: 'Payment', description: 'A payment and the invoices it settled' },
);

export const BillingSummaryView = Type.Object(
  {
    balance: ref(MoneyView),
    overdue: ref(MoneyView),
    outstandingInvoices: Type.Integer(),
    lastPayment: Type.Union([ref(PaymentView), Type.Null()]),
    nextInstalment: Type.Union([ref(NextInstalmentView), Type.Null()], { description: 'The next payment-plan instalment, if any' }),
  },
  { $id: 'BillingSummary', description: 'The payment summary of the Billing page' },
);

export const NewPayment = Type.Object(
  {
    pay: StringEnum(['whole_balance', 'invoices', 'amount'] as const, { description: 'What to pay' }),
    invoiceIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 100, description: 'pay=invoices: what they owe' })),
    amount: Type.Optional(ref(MoneyInput)),
    paymentMethodToken: Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'The card as the processor tokenised it in the browser (Stripe PaymentMethod id, or the sandbox’s token); never card data',
    }),
  },
  { $id: 'NewPayment', additionalProperties: false },
);

export const NewInvoice = Type.Object(
  {
    dueOn: Type.Optional(Day),
    lines: Type.Array(
      Type.Object(
        {
          dateOfService: Day,
          procedureCode: Type.String({
            pattern: '^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$',
            description: 'CPT or HCPCS code',
            examples: ['90834'],
          }),
          modifiers: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9A-Z]{2}$' }), { maxItems: 4 })),
          description: Type.String({ minLength: 1, maxLength: 200 }),
          units: Type.Integer({ minimum: 1, maximum: 999 }),
          unitPrice: ref(MoneyInput),
          renderingProviderNpi: Type.Optional(Type.String({ pattern: '^\\d{10}$', description: 'The rendering provider’s NPI' })),
          estimateId: Type.Optional(
            Type.String({
              format: 'uuid',
              description: 'The Good Faith Estimate it was estimated on (needs renderingProviderNpi): its $400 rule',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { $id: 'NewInvoice', additionalProperties: false },
);

export const StatementView = Type.Object(
  {
    month: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM, in the clinic’s zone' }),
    previousBalance: ref(MoneyView),
    charges: ref(MoneyView),
    payments: ref(MoneyView),
    adjustments: ref(MoneyView),
    movedToPaymentPlans: ref(MoneyView),
    refunds: ref(MoneyView),
    newBalance: ref(MoneyView),
  },
  {
    $id: 'Statement',
    description:
      'One month of the ledger: newBalance = previousBalance + charges − payments − adjustments (the clinic’s own) − movedToPaymentPlans (what payment plans took over) + refunds',
  },
);

export const SuperbillView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    createdAt: Type.String({ format: 'date-time' }),
    firstDateOfService: Day,
    lastDateOfService: Day,
    diagnosisCodes: Type.Array(Type.String(), { description: 'ICD-10-CM; pointers A, B, … in this order' }),
    lines: Type.Array(
      Type.Object({
        dateOfService: Day,
        placeOfService: Type.String(),
        procedureCode: Type.String(),
        modifiers: Type.Array(Type.String()),
        diagnosisPointers: Type.String(),
        units: Type.Integer(),
        charge: ref(MoneyView),
        paid: ref(MoneyView),
      }),
    ),
    totalCharges: ref(MoneyView),
    totalPaid: ref(MoneyView),
  },
  { $id: 'Superbill', description: 'A superbill for out-of-network reimbursement' },
);

export const NewSuperbill = Type.Object(
  {
    parties: Type.Object(
      {
        clinicNpi: Type.String({ maxLength: 20 }),
        clinicTaxId: Type.String({ maxLength: 20 }),
        providerName: Type.String({ maxLength: 200 }),
        providerCredentials: Type.String({ maxLength: 50 }),
        providerLicence: Type.String({ maxLength: 50 }),
        providerNpi: Type.String({ maxLength: 20 }),
        patientName: Type.String({ maxLength: 200 }),
        patientDateOfBirth: Type.String({ maxLength: 10 }),
        memberId: Type.Optional(Type.String({ maxLength: 50 })),
      },
      { additionalProperties: false, description: 'Every field but memberId is required; the billing service lists what is missing' },
    ),
    diagnosisCodes: Type.Array(Type.String({ maxLength: 10 }), { maxItems: 12, description: 'ICD-10-CM, e.g. F41.1' }),
    lines: Type.Array(
      Type.Object(
        {
          invoiceId: Uuid,
          lineIndex: Type.Integer({ minimum: 0, maximum: 49 }),
          placeOfService: Type.String({ maxLength: 2, description: '11 office, 02/10 telehealth' }),
          diagnosisPointers: Type.String({ maxLength: 4, description: 'Letters of diagnosisCodes, e.g. AB' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
  },
  { $id: 'NewSuperbill', additionalProperties: false },
);

export const billingSchemas = [
  MoneyView,
  MoneyInput,
  InvoiceView,
  PaymentView,
  BillingSummaryView,
  NewPayment,
  NewInvoice,
  StatementView,
  SuperbillView,
  NewSuperbill,
];

function superbillJson(message: SuperbillMessage | undefined): Static<typeof SuperbillView> {
  if (!message) throw new Error('service answered without a superbill');
  return {
    id: message.superbillId,
    patientId: message.patientId,
    createdAt: iso(message.createdAt),
    firstDateOfService: message.firstDateOfService,
    lastDateOfService: message.lastDateOfService,
    diagnosisCodes: message.diagnosisCodes,
    lines: message.lines.map((l) => ({
      dateOfService: l.dateOfService,
      placeOfService: l.placeOfService,
      procedureCode: l.procedureCode,
      modifiers: l.modifiers,
      diagnosisPointers: l.diagnosisPointers,
      units: l.units,
      charge: money(l.charge),
      paid: money(l.paid),
    })),
    totalCharges: money(message.totalCharges),
    totalPaid: money(message.totalPaid),
  };
}

const tags = ['Billing'];
export const iso = (t: Timestamp | undefined) => (t ? timestampDate(t).toISOString() : '');
export const money = (m: MoneyMessage | undefined) => ({ amountMinor: Number(m?.amountMinor ?? 0n), currency: m?.currencyCode ?? '' });
export const moneyIn = (m: Static<typeof MoneyInput>) => ({ amountMinor: BigInt(m.amountMinor), currencyCode: m.currency });

export function invoiceJson(message: InvoiceMessage | undefined): Static<typeof InvoiceView> {
  if (!message) throw new Error('service answered without an invoice');
  const status = invoiceStatus.fromProto(message.status);
  if (!status) throw new Error('service answered an invoice without a status');
  return {
    id: message.invoiceId,
    patientId: message.patientId,
    number: message.number,
    issuedAt: iso(message.issuedAt),
    dueOn: message.dueOn,
    status,
    lines: message.lines.map((l) => ({
      dateOfService: l.dateOfService,
      procedureCode: l.procedureCode,
      modifiers: l.modifiers,
      description: l.description,
      units: l.units,
      unitPrice: money(l.unitPrice),
      amount: money(l.amount),
      paid: money(l.paid),
      due: money(l.due),
      renderingProviderNpi: l.renderingProviderNpi,
      estimateId: l.estimateId,
    })),
    total: money(message.total),
    paid: money(message.paid),
    adjusted: money(message.adjusted),
    due: money(message.due),
    movedToPaymentPlan: money(message.movedToPaymentPlan),
  };
}

export function paymentJson(message: PaymentMessage | undefined): Static<typeof PaymentView> {
  if (!message) throw new Error('service answered without a payment');
  const status = paymentStatus.fromProto(message.status);
  const method = paymentMethod.fromProto(message.method);
  if (!status || !method) throw new Error('service answered a payment without a status or a method');
  return {
    id: message.paymentId,
    patientId: message.patientId,
    receiptNumber: message.receiptNumber,
    receivedAt: iso(message.receivedAt),
    amount: money(message.amount),
    method,
    status,
    allocations: message.allocations.map((a) => ({ invoiceId: a.invoiceId, invoiceNumber: a.invoiceNumber, amount: money(a.amount) })),
    refunded: money(message.refunded),
    failureReason: message.failureReason,
    reference: message.reference,
  };
}

/** A PDF a service rendered, sent as an attachment that is neither kept nor sniffed. */
export function sendPdf(reply: FastifyReply, document: Pick<BillingDocument, 'fileName' | 'content'> | undefined) {
  if (!document) throw new Error('service answered without a document');
  return reply
    .type('application/pdf')
    .header('content-disposition', contentDisposition('attachment', document.fileName))
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(Buffer.from(document.content));
}

// Required, but checked by the billing service after it has checked who asks for whom: someone
// paying another patient's bill learns nothing, not even that the header is missing.
const PaymentKeyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_.:-]{8,128}$',
      description: 'Required: a retry or a double click with the same key charges once; the same key for another payment is refused (412)',
    }),
  ),
});

/** The target of a payment as the billing service takes it; RequestProblem when the body does not say it consistently. */
function targetOf(body: Static<typeof NewPayment>) {
  if (body.pay === 'whole_balance' && !body.invoiceIds && !body.amount) return { case: 'wholeBalance' as const, value: true };
  if (body.pay === 'invoices' && body.invoiceIds && !body.amount)
    return { case: 'invoices' as const, value: { invoiceIds: body.invoiceIds } };
  if (body.pay === 'amount' && body.amount && !body.invoiceIds) return { case: 'amount' as const, value: moneyIn(body.amount) };
  throw new RequestProblem('Say what to pay: pay=whole_balance alone, pay=invoices with invoiceIds, or pay=amount with amount.', [
    { field: 'body.pay', message: 'does not match the fields given' },
  ]);
}

const InvoiceParams = Type.Object({ patientId: Uuid, invoiceId: Uuid }, { additionalProperties: false });
const PaymentParams = Type.Object({ patientId: Uuid, paymentId: Uuid }, { additionalProperties: false });
const OnePayment = Type.Object({ payment: ref(PaymentView) });
const OneInvoice = Type.Object({ invoice: ref(InvoiceView) });

/** The routes of a patient's billing, for the patient, their guardian, or staff of their clinic. */
export function billingRoutes(app: FastifyInstance, client: BillingClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/patients/:patientId/billing';
  const errors = problemResponses(400, 404);

  api.get(
    '/api/v1/billing/payment-settings',
    {
      schema: {
        tags,
        summary: 'Which processor takes cards (sandbox or Stripe) and its publishable key',
        response: {
          200: Type.Object({
            processor: StringEnum(['sandbox', 'stripe'] as const),
            publishableKey: Type.String({ description: 'Stripe’s publishable key; empty for the sandbox' }),
            currency: Currency,
          }),
        },
      },
    },
    async (request) => {
      const response = await client.getPaymentSettings({}, { metadata: callMetadata(request) });
      return {
        processor: response.processor === PaymentProcessor.STRIPE ? ('stripe' as const) : ('sandbox' as const),
        publishableKey: response.publishableKey,
        currency: response.currencyCode,
      };
    },
  );

  api.get(
    `${base}/summary`,
    {
      schema: {
        tags,
        summary: 'The payment summary: balance, overdue, last payment, next instalment',
        params: PatientParams,
        response: { 200: ref(BillingSummaryView), ...errors },
      },
    },
    async (request) => {
      const { summary } = await client.getBillingSummary({ patientId: request.params.patientId }, { metadata: callMetadata(request) });
      return {
        balance: money(summary?.balance),
        overdue: money(summary?.overdue),
        outstandingInvoices: summary?.outstandingInvoices ?? 0,
        lastPayment: summary?.lastPayment ? paymentJson(summary.lastPayment) : null,
        nextInstalment: nextInstalmentJson(summary?.nextInstalment),
      };
    },
  );

  api.get(
    `${base}/invoices`,
    {
      schema: {
        tags,
        summary: 'Invoices, newest first; outstanding=true keeps those with something due',
        params: PatientParams,
        querystring: Type.Object(
          { outstanding: Type.Optional(StringEnum(['true', 'false'] as const)), ...PageQuery },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ invoices: Type.Array(ref(InvoiceView)), nextPageToken: NextPageToken }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listInvoices(
        { patientId: request.params.patientId, outstandingOnly: request.query.outstanding === 'true', page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { invoices: response.invoices.map(invoiceJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );

  api.get(
    `${base}/invoices/:invoiceId`,
    { schema: { tags, summary: 'One invoice with its line items', params: InvoiceParams, response: { 200: OneInvoice, ...errors } } },
    async (request) => ({ invoice: invoiceJson((await client.getInvoice(request.params, { metadata: callMetadata(request) })).invoice) }),
  );

  api.get(
    `${base}/payments`,
    {
      schema: {
        tags,
        summary: 'Payments, newest first, each with the invoices it settled',
        params: PatientParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Type.Object({ payments: Type.Array(ref(PaymentView)), nextPageToken: NextPageToken }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listPayments(
        { patientId: request.params.patientId, page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { payments: response.payments.map(paymentJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );

  api.post(
    `${base}/payments`,
    {
      schema: {
        tags,
        summary: 'Make a Payment: the whole balance, chosen invoices, or an amount',
        description:
          'Applied oldest invoice first unless invoices are chosen. An amount is more than zero, not more than the balance, in whole minor units. 201 with the payment: succeeded, failed (declined, with failureReason) or pending (the processor has not answered; it is reconciled, never charged twice).',
        params: PatientParams,
        headers: PaymentKeyHeaders,
        body: ref(NewPayment),
        response: { 201: OnePayment, ...errors, ...problemResponses(412, 413, 415) },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const response = await client.makePayment(
        {
          patientId,
          idempotencyKey: request.headers['idempotency-key'] ?? '',
          target: targetOf(request.body),
          paymentMethodToken: request.body.paymentMethodToken,
        },
        { metadata: callMetadata(request) },
      );
      const body = { payment: paymentJson(response.payment) };
      return reply
        .code(201)
        .header('location', `${base.replace(':patientId', patientId)}/payments/${body.payment.id}`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  api.get(
    `${base}/payments/:paymentId`,
    { schema: { tags, summary: 'One payment', params: PaymentParams, response: { 200: OnePayment, ...errors } } },
    async (request) => ({ payment: paymentJson((await client.getPayment(request.params, { metadata: callMetadata(request) })).payment) }),
  );

  api.get(
    `${base}/statements`,
    {
      schema: {
        tags,
        summary: 'Monthly statements, newest first, each with its totals',
        params: PatientParams,
        response: { 200: Type.Object({ statements: Type.Array(ref(StatementView)) }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listStatements({ patientId: request.params.patientId }, { metadata: callMetadata(request) });
      return {
        statements: response.statements.map((s) => ({
          month: s.month,
          previousBalance: money(s.previousBalance),
          charges: money(s.charges),
          payments: money(s.payments),
          adjustments: money(s.adjustments),
          movedToPaymentPlans: money(s.movedToPaymentPlans),
          refunds: money(s.refunds),
          newBalance: money(s.newBalance),
        })),
      };
    },
  );

  api.get(
    `${base}/statements/:month.pdf`,
    {
      schema: {
        tags,
        summary: 'One month’s statement (PDF, download)',
        params: Type.Object(
          {
            patientId: Uuid,
            // Checked by the billing service after it has checked who asks for whom.
            month: Type.String({ maxLength: 40, description: 'YYYY-MM', examples: ['2026-11'] }),
          },
          { additionalProperties: false },
        ),
        response: { 200: fileResponse('The statement', ['application/pdf']), ...errors },
      },
    },
    async (request, reply) => sendPdf(reply, (await client.getStatement(request.params, { metadata: callMetadata(request) })).document),
  );

  api.get(
    `${base}/superbills`,
    {
      schema: {
        tags,
        summary: 'Super bills, newest first',
        params: PatientParams,
        response: { 200: Type.Object({ superbills: Type.Array(ref(SuperbillView)) }), ...errors },
      },
    },
    async (request) => ({
      superbills: (
        await client.listSuperbills({ patientId: request.params.patientId }, { metadata: callMetadata(request) })
      ).superbills.map(superbillJson),
    }),
  );

  api.get(
    `${base}/superbills/:superbillId.pdf`,
    {
      schema: {
        tags,
        summary: 'One super bill (PDF, download)',
        params: Type.Object({ patientId: Uuid, superbillId: Uuid }, { additionalProperties: false }),
        response: { 200: fileResponse('The super bill', ['application/pdf']), ...errors },
      },
    },
    async (request, reply) => sendPdf(reply, (await client.getSuperbill(request.params, { metadata: callMetadata(request) })).document),
  );

  api.get(
    `${base}/payments/:paymentId/receipt.pdf`,
    {
      schema: {
        tags,
        summary: 'The receipt of a settled payment (PDF, download)',
        params: PaymentParams,
        response: { 200: fileResponse('The receipt', ['application/pdf']), ...errors, ...problemResponses(412) },
      },
    },
    async (request, reply) =>
      sendPdf(reply, (await client.getPaymentReceipt(request.params, { metadata: callMetadata(request) })).document),
  );
}

/**
 * Staff routes, registered in the staff scope: patients and guardians are refused (403) before
 * their body is read; the billing service checks the clinic again.
 */
export function staffBillingRoutes(app: FastifyInstance, client: BillingClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/staff/patients/:patientId/billing';
  const changed = problemResponses(400, 404, 409, 412, 413, 415);
  const key = (headers: { 'idempotency-key'?: string }) => headers['idempotency-key'] ?? '';

  api.post(
    `${base}/invoices`,
    {
      schema: {
        tags,
        summary: 'Issue an invoice to a patient',
        description: 'Send an Idempotency-Key header to make retries safe: the same key returns the invoice the first request issued.',
        params: PatientParams,
        headers: IdempotencyKeyHeaders,
        body: ref(NewInvoice),
        response: { 201: OneInvoice, ...changed },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const currencies = new Set(request.body.lines.map((l) => l.unitPrice.currency));
      if (currencies.size > 1)
        throw new RequestProblem('All lines of an invoice are in one currency.', [{ field: 'body.lines', message: 'mix currencies' }]);
      const response = await client.issueInvoice(
        {
          patientId,
          idempotencyKey: key(request.headers),
          dueOn: request.body.dueOn ?? '',
          currencyCode: [...currencies][0] ?? '',
          lines: request.body.lines.map((l) => ({
            dateOfService: l.dateOfService,
            procedureCode: l.procedureCode,
            modifiers: l.modifiers ?? [],
            description: l.description,
            units: l.units,
            unitPriceMinor: BigInt(l.unitPrice.amountMinor),
            renderingProviderNpi: l.renderingProviderNpi ?? '',
            estimateId: l.estimateId ?? '',
          })),
        },
        { metadata: callMetadata(request) },
      );
      const body = { invoice: invoiceJson(response.invoice) };
      return reply.code(201).header('location', `/api/v1/patients/${patientId}/billing/invoices/${body.invoice.id}`).send(body);
    },
  );

  api.post(
    `${base}/payments`,
    {
      schema: {
        tags,
        summary: 'Record a payment taken at the front desk',
        description: 'Applied oldest invoice first, or to the chosen invoices; not more than they owe. Idempotency-Key makes retries safe.',
        params: PatientParams,
        headers: IdempotencyKeyHeaders,
        body: Type.Object(
          {
            amount: ref(MoneyInput),
            method: StringEnum(deskMethods),
            invoiceIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
            reference: Type.Optional(Type.String({ maxLength: 64, description: 'Cheque number or terminal reference' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: OnePayment, ...changed },
      },
    },
    async (request, reply) => {
      const response = await client.recordPayment(
        {
          patientId: request.params.patientId,
          idempotencyKey: key(request.headers),
          amount: moneyIn(request.body.amount),
          method: paymentMethod.toProto(request.body.method),
          invoiceIds: request.body.invoiceIds ?? [],
          reference: request.body.reference ?? '',
        },
        { metadata: callMetadata(request) },
      );
      return reply.code(201).send({ payment: paymentJson(response.payment) });
    },
  );

  api.post(
    `${base}/invoices/:invoiceId/adjustments`,
    {
      schema: {
        tags,
        summary: 'Adjust an invoice (a write-off or a discount), at most what it owes',
        params: InvoiceParams,
        headers: IdempotencyKeyHeaders,
        body: Type.Object(
          { amount: ref(MoneyInput), reason: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 201: OneInvoice, ...changed },
      },
    },
    async (request, reply) => {
      const response = await client.adjustInvoice(
        { ...request.params, amount: moneyIn(request.body.amount), reason: request.body.reason, idempotencyKey: key(request.headers) },
        { metadata: callMetadata(request) },
      );
      return reply.code(201).send({ invoice: invoiceJson(response.invoice) });
    },
  );

  api.post(
    `${base}/payments/:paymentId/refunds`,
    {
      schema: {
        tags,
        summary: 'Refund part or all of a payment (online ones through the processor)',
        params: PaymentParams,
        headers: IdempotencyKeyHeaders,
        body: Type.Object(
          { amount: ref(MoneyInput), reason: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
        response: { 201: OnePayment, ...changed },
      },
    },
    async (request, reply) => {
      const response = await client.refundPayment(
        {
          ...request.params,
          amount: moneyIn(request.body.amount),
          reason: request.body.reason ?? '',
          idempotencyKey: key(request.headers),
        },
        { metadata: callMetadata(request) },
      );
      return reply.code(201).send({ payment: paymentJson(response.payment) });
    },
  );

  api.post(
    `${base}/superbills`,
    {
      schema: {
        tags,
        summary: 'Make a super bill of chosen invoice lines',
        description:
          'Refused (400) with every missing or wrong field listed when anything insurers ask for is missing: NPIs, tax id, provider, patient, diagnoses, places of service. Idempotency-Key makes retries safe.',
        params: PatientParams,
        headers: IdempotencyKeyHeaders,
        body: ref(NewSuperbill),
        response: { 201: Type.Object({ superbill: ref(SuperbillView) }), ...changed },
      },
    },
    async (request, reply) => {
      const response = await client.createSuperbill(
        {
          patientId: request.params.patientId,
          idempotencyKey: key(request.headers),
          parties: { ...request.body.parties, memberId: request.body.parties.memberId ?? '' },
          diagnosisCodes: request.body.diagnosisCodes,
          lines: request.body.lines,
        },
        { metadata: callMetadata(request) },
      );
      return reply.code(201).send({ superbill: superbillJson(response.superbill) });
    },
  );

  api.get(
    '/api/v1/staff/billing/payments',
    {
      schema: {
        tags,
        summary: 'Every payment of the clinic, newest first',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Type.Object({ payments: Type.Array(ref(PaymentView)), nextPageToken: NextPageToken }), ...problemResponses(400) },
      },
    },
    async (request) => {
      const response = await client.listClinicPayments({ page: pageRequest(request.query) }, { metadata: callMetadata(request) });
      return { payments: response.payments.map(paymentJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );
}
