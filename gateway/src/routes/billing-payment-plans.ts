// Payment plans (seed step 7): the patient, their guardian or staff of their clinic see the
// patient's plans — total, instalments, schedule, what is paid and what comes next; staff (in the
// staff scope) make a plan for chosen invoices or an amount of the balance. Served by the billing
// service's PaymentPlansService. Money is whole minor units with an ISO currency.
import {
  InstalmentStatusSchema,
  PaymentPlanFrequencySchema,
  PaymentPlanStatusSchema,
  type Instalment as InstalmentMessage,
  type NextInstalment as NextInstalmentMessage,
  type PaymentPlan as PaymentPlanMessage,
  type PaymentPlansService,
} from '@portico/contracts/gen/portico/billing/v1/payment_plans_pb';
import type { Money as MoneyMessage } from '@portico/contracts/gen/portico/common/v1/money_pb';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { ServiceClient } from '@portico/kit/grpc';
import { enumMapping } from '@portico/kit/vocabulary';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { IdempotencyKeyHeaders, Nullable, PatientParams, problemResponses, ref, StringEnum, Uuid } from '../http/schemas.js';
import { callMetadata } from './call-metadata.js';

export type PaymentPlansClient = ServiceClient<(typeof PaymentPlansService)['method']>;

const frequencies = ['weekly', 'every_two_weeks', 'monthly'] as const;
const instalmentStatuses = ['scheduled', 'due', 'overdue', 'paid', 'cancelled'] as const;
const planStatuses = ['active', 'completed', 'cancelled'] as const;
const frequency = enumMapping(PaymentPlanFrequencySchema, frequencies);
const instalmentStatus = enumMapping(InstalmentStatusSchema, instalmentStatuses);
const planStatus = enumMapping(PaymentPlanStatusSchema, planStatuses);

// The Money and MoneyInput components of the billing routes, referred to by their ids.
type Money = { amountMinor: number; currency: string };
const MoneyRef = Type.Unsafe<Money>({ $ref: 'Money#' });
const MoneyInputRef = Type.Unsafe<Money>({ $ref: 'MoneyInput#' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar date, YYYY-MM-DD', examples: ['2026-12-15'] });

export const InstalmentView = Type.Object(
  {
    number: Type.Integer({ minimum: 1 }),
    dueOn: Type.String({ description: 'YYYY-MM-DD in the clinic’s zone: the day it becomes a charge' }),
    amount: MoneyRef,
    paid: MoneyRef,
    remaining: MoneyRef,
    status: StringEnum(instalmentStatuses, {
      description:
        'scheduled: its date has not come; due/overdue/paid once it is charged; cancelled: never charged (the plan was cancelled)',
    }),
    invoiceId: Type.String({ description: 'The invoice it became on its date; empty before' }),
  },
  { $id: 'Instalment', description: 'One instalment of a payment plan' },
);

export const PaymentPlanView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    number: Type.String({ examples: ['PLAN-2026-1A2B3C4D'] }),
    createdAt: Type.String({ format: 'date-time' }),
    frequency: StringEnum(frequencies),
    status: StringEnum(planStatuses),
    total: MoneyRef,
    paid: MoneyRef,
    remaining: MoneyRef,
    instalments: Type.Array(ref(InstalmentView)),
    nextInstalment: Nullable(ref(InstalmentView)),
    covers: Type.Array(Type.Object({ invoiceId: Uuid, invoiceNumber: Type.String(), amount: MoneyRef }), {
      description: 'The invoices whose amounts the plan took over',
    }),
    cancellation: Nullable(
      Type.Object(
        {
          cancelledAt: Type.String({ format: 'date-time' }),
          returnedToBalance: MoneyRef,
          remainderInvoiceId: Type.String({
            description: 'The invoice that charges what went back onto the balance; empty when nothing did',
          }),
          remainderInvoiceNumber: Type.String(),
        },
        { description: 'Once staff cancelled the plan: what its instalments not charged would have covered is owed again as one invoice' },
      ),
    ),
  },
  { $id: 'PaymentPlan', description: 'A payment plan: what is paid is read from the instalments’ invoices' },
);

export const NextInstalmentView = Type.Object(
  { planId: Uuid, planNumber: Type.String(), instalment: ref(InstalmentView) },
  { $id: 'NextInstalment', description: 'The earliest instalment not paid yet across the patient’s plans' },
);

export const NewPaymentPlan = Type.Object(
  {
    invoiceIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 100, description: 'Chosen outstanding invoices' })),
    amount: Type.Optional(MoneyInputRef),
    instalmentCount: Type.Integer({ minimum: 2, maximum: 36, examples: [3] }),
    frequency: StringEnum(frequencies),
    firstDueOn: Day,
  },
  {
    $id: 'NewPaymentPlan',
    additionalProperties: false,
    description:
      'invoiceIds: all they owe (or amount of it); amount alone: that much of the balance, oldest invoice first; neither: the whole balance',
  },
);

export const paymentPlanSchemas = [InstalmentView, PaymentPlanView, NextInstalmentView, NewPaymentPlan];

const money = (m: MoneyMessage | undefined): Money => ({ amountMinor: Number(m?.amountMinor ?? 0n), currency: m?.currencyCode ?? '' });

function instalmentJson(message: InstalmentMessage): Static<typeof InstalmentView> {
  return {
    number: message.number,
    dueOn: message.dueOn,
    amount: money(message.amount),
    paid: money(message.paid),
    remaining: money(message.remaining),
    status: instalmentStatus.fromProto(message.status) ?? 'scheduled',
    invoiceId: message.invoiceId,
  };
}

function planJson(message: PaymentPlanMessage | undefined): Static<typeof PaymentPlanView> {
  if (!message) throw new Error('service answered without a payment plan');
  const often = frequency.fromProto(message.frequency);
  const status = planStatus.fromProto(message.status);
  if (!often || !status) throw new Error('service answered a payment plan without a frequency or a status');
  return {
    id: message.planId,
    patientId: message.patientId,
    number: message.number,
    createdAt: message.createdAt ? timestampDate(message.createdAt).toISOString() : '',
    frequency: often,
    status,
    total: money(message.total),
    paid: money(message.paid),
    remaining: money(message.remaining),
    instalments: message.instalments.map(instalmentJson),
    nextInstalment: message.nextInstalment ? instalmentJson(message.nextInstalment) : null,
    covers: message.covers.map((c) => ({ invoiceId: c.invoiceId, invoiceNumber: c.invoiceNumber, amount: money(c.amount) })),
    cancellation: message.cancellation
      ? {
          cancelledAt: message.cancellation.cancelledAt ? timestampDate(message.cancellation.cancelledAt).toISOString() : '',
          returnedToBalance: money(message.cancellation.returnedToBalance),
          remainderInvoiceId: message.cancellation.remainderInvoiceId,
          remainderInvoiceNumber: message.cancellation.remainderInvoiceNumber,
        }
      : null,
  };
}

/** The Billing summary's next instalment, or null. */
export const nextInstalmentJson = (message: NextInstalmentMessage | undefined): Static<typeof NextInstalmentView> | null =>
  message?.instalment ? { planId: message.planId, planNumber: message.planNumber, instalment: instalmentJson(message.instalment) } : null;

const tags = ['Billing'];
const PlanParams = Type.Object({ patientId: Uuid, planId: Uuid }, { additionalProperties: false });
const OnePlan = Type.Object({ plan: ref(PaymentPlanView) });

/** A patient's plans, for the patient, their guardian or staff of their clinic. */
export function paymentPlanRoutes(app: FastifyInstance, client: PaymentPlansClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/patients/:patientId/billing/payment-plans';
  const errors = problemResponses(400, 404);

  api.get(
    base,
    {
      schema: {
        tags,
        summary: 'Payment plans, newest first: total, instalments, what is paid and what comes next',
        params: PatientParams,
        response: { 200: Type.Object({ plans: Type.Array(ref(PaymentPlanView)) }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listPaymentPlans({ patientId: request.params.patientId }, { metadata: callMetadata(request) });
      return { plans: response.plans.map(planJson) };
    },
  );

  api.get(
    `${base}/:planId`,
    { schema: { tags, summary: 'One payment plan with its schedule', params: PlanParams, response: { 200: OnePlan, ...errors } } },
    async (request) => ({ plan: planJson((await client.getPaymentPlan(request.params, { metadata: callMetadata(request) })).plan) }),
  );
}

/** Staff make and cancel plans (staff scope: patients and guardians are refused before the body is read). */
export function staffPaymentPlanRoutes(app: FastifyInstance, client: PaymentPlansClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/staff/patients/:patientId/billing/payment-plans';
  api.post(
    `${base}/:planId/cancel`,
    {
      schema: {
        tags,
        summary: 'Cancel a payment plan',
        description:
          'Send no body. The instalments not charged yet are never charged; what they would have covered is owed again at once, as one invoice due today. Instalments already charged stay owed. Cancelling a cancelled plan answers it as it is; a plan whose instalments are all charged answers 412.',
        params: PlanParams,
        response: { 200: OnePlan, ...problemResponses(400, 404, 412) },
      },
    },
    async (request) => ({
      plan: planJson((await client.cancelPaymentPlan(request.params, { metadata: callMetadata(request) })).plan),
    }),
  );
  api.post(
    base,
    {
      schema: {
        tags,
        summary: 'Make a payment plan for a patient',
        description:
          'The instalments add up exactly to the total; the cents that do not divide evenly go one each to the first instalments. Idempotency-Key makes retries safe.',
        params: PatientParams,
        headers: IdempotencyKeyHeaders,
        body: ref(NewPaymentPlan),
        response: { 201: OnePlan, ...problemResponses(400, 404, 409, 412, 413, 415) },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const body = request.body;
      const response = await client.createPaymentPlan(
        {
          patientId,
          idempotencyKey: request.headers['idempotency-key'] ?? '',
          invoiceIds: body.invoiceIds ?? [],
          ...(body.amount ? { amount: { amountMinor: BigInt(body.amount.amountMinor), currencyCode: body.amount.currency } } : {}),
          instalmentCount: body.instalmentCount,
          frequency: frequency.toProto(body.frequency),
          firstDueOn: body.firstDueOn,
        },
        { metadata: callMetadata(request) },
      );
      const plan = planJson(response.plan);
      return reply.code(201).header('location', `/api/v1/patients/${patientId}/billing/payment-plans/${plan.id}`).send({ plan });
    },
  );
}
