// Good Faith Estimates (seed step 7, No Surprises Act). The patient, their guardian, or staff of
// their clinic: the estimates, one estimate (with the notice when billed charges went $400 or more
// over a provider's estimate) and its PDF; the patient or guardian approves or declines the current
// version with an electronic signature (typed full name, the statement of intent, the ESIGN
// disclosure accepted; the gateway adds the browser's user agent and address as evidence). Staff
// (in the staff scope): issue an estimate, and reissue it as a new version. The billing service
// checks every rule again and lists every wrong field.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  EstimateDecisionKindSchema,
  EstimateStatusSchema,
  type Estimate as EstimateMessage,
  type EstimatesService,
} from '@portico/contracts/gen/portico/billing/v1/estimates_pb';
import type { ServiceClient } from '@portico/kit/grpc';
import { enumMapping } from '@portico/kit/vocabulary';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { IdempotencyKeyHeaders, PatientParams, problemResponses, ref, StringEnum, Uuid } from '../http/schemas.js';
import { Day, iso, money, MoneyInput, MoneyView, moneyIn, sendPdf } from './billing.js';
import { callMetadata } from './call-metadata.js';
import { fileResponse, OrganisationView } from './organisation.js';

export type EstimatesClient = ServiceClient<(typeof EstimatesService)['method']>;

const statuses = ['awaiting_decision', 'approved', 'declined'] as const;
const decisions = ['approve', 'decline'] as const;
const estimateStatus = enumMapping(EstimateStatusSchema, statuses);
const decisionKind = enumMapping(EstimateDecisionKindSchema, decisions);

const Location = Type.Object(
  {
    line1: Type.String({ maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ maxLength: 100 }),
    region: Type.String({ maxLength: 100, description: 'State' }),
    postalCode: Type.String({ maxLength: 20 }),
    countryCode: Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

const Provider = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    npi: Type.String({ maxLength: 10, description: 'National Provider Identifier: ten digits with a check digit' }),
    taxId: Type.String({ maxLength: 10, description: 'TIN (EIN), e.g. 12-3456789' }),
    location: Location,
  },
  { additionalProperties: false },
);

export const NewEstimate = Type.Object(
  {
    patientName: Type.String({ maxLength: 200 }),
    patientDateOfBirth: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
    primaryService: Type.String({ maxLength: 200 }),
    primaryServiceDate: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
    providers: Type.Array(Provider, { maxItems: 10 }),
    items: Type.Array(
      Type.Object(
        {
          providerNpi: Type.String({ maxLength: 10, description: 'One of the providers’ NPIs' }),
          serviceCode: Type.String({ maxLength: 5, description: 'CPT or HCPCS' }),
          modifiers: Type.Optional(Type.Array(Type.String({ maxLength: 2 }), { maxItems: 4 })),
          description: Type.String({ maxLength: 200 }),
          diagnosisCodes: Type.Array(Type.String({ maxLength: 8 }), { maxItems: 12, description: 'ICD-10-CM, e.g. F41.1' }),
          units: Type.Integer({ minimum: 1, maximum: 999 }),
          unitCharge: ref(MoneyInput),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  {
    $id: 'NewEstimate',
    additionalProperties: false,
    description: 'A Good Faith Estimate (45 CFR 149.610); the disclaimers and dispute instructions are added by the service',
  },
);

const ProviderView = Type.Object({
  name: Type.String(),
  npi: Type.String(),
  taxId: Type.String(),
  location: OrganisationView.properties.address,
});

export const EstimateView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    version: Type.Integer({ description: 'The current version; reissuing adds one' }),
    issuedAt: Type.String({ format: 'date-time' }),
    clinicName: Type.String(),
    patientName: Type.String(),
    patientDateOfBirth: Day,
    primaryService: Type.String(),
    primaryServiceDate: Day,
    providers: Type.Array(ProviderView),
    items: Type.Array(
      Type.Object({
        providerNpi: Type.String(),
        serviceCode: Type.String(),
        modifiers: Type.Array(Type.String()),
        description: Type.String(),
        diagnosisCodes: Type.Array(Type.String()),
        units: Type.Integer(),
        unitCharge: ref(MoneyView),
        charge: ref(MoneyView),
      }),
    ),
    providerTotals: Type.Array(Type.Object({ providerNpi: Type.String(), estimated: ref(MoneyView), billed: ref(MoneyView) })),
    total: ref(MoneyView),
    disclaimers: Type.Array(Type.String()),
    disputeInstructions: Type.String(),
    contentSha256: Type.String({ description: 'SHA-256 of this version: what a signature covers' }),
    status: StringEnum(statuses),
    decision: Type.Union([
      Type.Object({
        decision: StringEnum(decisions),
        version: Type.Integer(),
        decidedAt: Type.String({ format: 'date-time' }),
        typedName: Type.String(),
        intentStatement: Type.String(),
        actingAs: Type.String({ description: 'patient or guardian' }),
        disclosureVersion: Type.String(),
        signedContentSha256: Type.String(),
      }),
      Type.Null(),
    ]),
    exceeded: Type.Array(
      Type.Object({
        providerNpi: Type.String(),
        estimated: ref(MoneyView),
        billed: ref(MoneyView),
        excess: ref(MoneyView),
        billDate: Day,
        disputeDeadline: Day,
        invoiceIds: Type.Array(Uuid),
      }),
      { description: 'Providers whose billed charges exceed their estimate by $400 or more: the patient may dispute by disputeDeadline' },
    ),
  },
  { $id: 'Estimate', description: 'A Good Faith Estimate, its current version' },
);

export const EstimateDecisionInput = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'The version reviewed' }),
    decision: StringEnum(decisions),
    typedName: Type.String({ maxLength: 200, description: 'The signer’s full name, typed' }),
    intentStatement: Type.String({ maxLength: 100, description: '"I approve this estimate" or "I decline this estimate"' }),
    disclosureVersion: Type.String({ maxLength: 64 }),
    disclosureAccepted: Type.Boolean(),
  },
  { $id: 'EstimateDecision', additionalProperties: false },
);

export const estimateSchemas = [NewEstimate, EstimateView, EstimateDecisionInput];

const tags = ['Billing'];

export function estimateJson(message: EstimateMessage | undefined): Static<typeof EstimateView> {
  if (!message) throw new Error('service answered without an estimate');
  const status = estimateStatus.fromProto(message.status);
  if (!status) throw new Error('service answered an estimate without a status');
  const d = message.decision;
  const kind = d ? decisionKind.fromProto(d.kind) : undefined;
  return {
    id: message.estimateId,
    patientId: message.patientId,
    version: message.version,
    issuedAt: iso(message.issuedAt),
    clinicName: message.clinicName,
    patientName: message.patientName,
    patientDateOfBirth: message.patientDateOfBirth,
    primaryService: message.primaryService,
    primaryServiceDate: message.primaryServiceDate,
    providers: message.providers.map((p) => ({
      name: p.name,
      npi: p.npi,
      taxId: p.taxId,
      location: {
        line1: p.location?.line1 ?? '',
        line2: p.location?.line2 ?? '',
        city: p.location?.city ?? '',
        region: p.location?.region ?? '',
        postalCode: p.location?.postalCode ?? '',
        countryCode: p.location?.countryCode ?? '',
      },
    })),
    items: message.items.map((i) => ({
      providerNpi: i.providerNpi,
      serviceCode: i.serviceCode,
      modifiers: i.modifiers,
      description: i.description,
      diagnosisCodes: i.diagnosisCodes,
      units: i.units,
      unitCharge: money(i.unitCharge),
      charge: money(i.charge),
    })),
    providerTotals: message.providerTotals.map((t) => ({
      providerNpi: t.providerNpi,
      estimated: money(t.estimated),
      billed: money(t.billed),
    })),
    total: money(message.total),
    disclaimers: message.disclaimers,
    disputeInstructions: message.disputeInstructions,
    contentSha256: message.contentSha256,
    status,
    decision:
      d && kind
        ? {
            decision: kind,
            version: d.version,
            decidedAt: iso(d.decidedAt),
            typedName: d.typedName,
            intentStatement: d.intentStatement,
            actingAs: d.actingAs,
            disclosureVersion: d.disclosureVersion,
            signedContentSha256: d.signedContentSha256,
          }
        : null,
    exceeded: message.exceeded.map((n) => ({
      providerNpi: n.providerNpi,
      estimated: money(n.estimated),
      billed: money(n.billed),
      excess: money(n.excess),
      billDate: n.billDate,
      disputeDeadline: n.disputeDeadline,
      invoiceIds: n.invoiceIds,
    })),
  };
}

const EstimateParams = Type.Object({ patientId: Uuid, estimateId: Uuid }, { additionalProperties: false });
const OneEstimate = Type.Object({ estimate: ref(EstimateView) });

/** The routes of a patient's estimates, for the patient, their guardian, or staff of their clinic. */
export function estimateRoutes(app: FastifyInstance, client: EstimatesClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/patients/:patientId/billing/estimates';
  const errors = problemResponses(400, 404);

  api.get(
    '/api/v1/billing/signing-disclosure',
    {
      schema: {
        tags,
        summary: 'The electronic records disclosure (ESIGN) a signer accepts, with its version',
        response: { 200: Type.Object({ version: Type.String(), text: Type.String() }) },
      },
    },
    async (request) => {
      const { version, text } = await client.getSigningDisclosure({}, { metadata: callMetadata(request) });
      return { version, text };
    },
  );

  api.get(
    base,
    {
      schema: {
        tags,
        summary: 'Good Faith Estimates, newest first',
        params: PatientParams,
        response: { 200: Type.Object({ estimates: Type.Array(ref(EstimateView)) }), ...errors },
      },
    },
    async (request) => ({
      estimates: (await client.listEstimates(request.params, { metadata: callMetadata(request) })).estimates.map(estimateJson),
    }),
  );

  api.get(
    `${base}/:estimateId`,
    {
      schema: {
        tags,
        summary: 'One Good Faith Estimate, its current version',
        params: EstimateParams,
        response: { 200: OneEstimate, ...errors },
      },
    },
    async (request) => ({
      estimate: estimateJson((await client.getEstimate(request.params, { metadata: callMetadata(request) })).estimate),
    }),
  );

  api.get(
    `${base}/:estimateId/estimate.pdf`,
    {
      schema: {
        tags,
        summary: 'One Good Faith Estimate (PDF, download)',
        params: EstimateParams,
        response: { 200: fileResponse('The estimate', ['application/pdf']), ...errors },
      },
    },
    async (request, reply) => sendPdf(reply, (await client.getEstimatePdf(request.params, { metadata: callMetadata(request) })).document),
  );

  api.post(
    `${base}/:estimateId/decision`,
    {
      schema: {
        tags,
        summary: 'Approve or decline the current version with an electronic signature',
        description:
          'The patient or their guardian: the version reviewed, the typed full name, the statement of intent and the ESIGN disclosure accepted. 412 when the version is no longer current or was already decided.',
        params: EstimateParams,
        body: ref(EstimateDecisionInput),
        response: { 201: OneEstimate, ...errors, ...problemResponses(403, 412, 413, 415) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const response = await client.decideEstimate(
        {
          ...request.params,
          version: body.version,
          decision: decisionKind.toProto(body.decision),
          signature: {
            typedName: body.typedName,
            intentStatement: body.intentStatement,
            disclosureVersion: body.disclosureVersion,
            disclosureAccepted: body.disclosureAccepted,
          },
          userAgent: (request.headers['user-agent'] ?? '').slice(0, 512),
        },
        { metadata: callMetadata(request) },
      );
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ estimate: estimateJson(response.estimate) });
    },
  );
}

/** Staff routes, registered in the staff scope: patients and guardians are refused (403) before their body is read. */
export function staffEstimateRoutes(app: FastifyInstance, client: EstimatesClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/staff/patients/:patientId/billing/estimates';
  const changed = problemResponses(400, 404, 409, 412, 413, 415);

  const issue = async (
    request: { params: { patientId: string }; headers: { 'idempotency-key'?: string }; body: Static<typeof NewEstimate> },
    estimateId: string,
    metadata: ReturnType<typeof callMetadata>,
  ) => {
    const b = request.body;
    const response = await client.issueEstimate(
      {
        patientId: request.params.patientId,
        idempotencyKey: request.headers['idempotency-key'] ?? '',
        estimateId,
        patientName: b.patientName,
        patientDateOfBirth: b.patientDateOfBirth,
        primaryService: b.primaryService,
        primaryServiceDate: b.primaryServiceDate,
        providers: b.providers.map((p) => ({ ...p, location: { ...p.location, line2: p.location.line2 ?? '' } })),
        items: b.items.map((i) => ({ ...i, modifiers: i.modifiers ?? [], unitCharge: moneyIn(i.unitCharge) })),
      },
      { metadata },
    );
    return { estimate: estimateJson(response.estimate) };
  };

  api.post(
    base,
    {
      schema: {
        tags,
        summary: 'Issue a Good Faith Estimate to a patient',
        description:
          'Refused (400) with every missing or wrong field listed: NPIs (check digit), codes, charges. Idempotency-Key makes retries safe.',
        params: PatientParams,
        headers: IdempotencyKeyHeaders,
        body: ref(NewEstimate),
        response: { 201: OneEstimate, ...changed },
      },
    },
    async (request, reply) => {
      const body = await issue(request, '', callMetadata(request));
      return reply
        .code(201)
        .header('location', `/api/v1/patients/${request.params.patientId}/billing/estimates/${body.estimate.id}`)
        .send(body);
    },
  );

  api.post(
    `${base}/:estimateId/versions`,
    {
      schema: {
        tags,
        summary: 'Reissue a Good Faith Estimate: a new version the patient sees (and decides) instead',
        params: EstimateParams,
        headers: IdempotencyKeyHeaders,
        body: ref(NewEstimate),
        response: { 201: OneEstimate, ...changed },
      },
    },
    async (request, reply) => reply.code(201).send(await issue(request, request.params.estimateId, callMetadata(request))),
  );
}
