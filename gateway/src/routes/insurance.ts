// /api/v1/patients/{patientId}/insurance — seed step 8: the patient's coverages, added and edited
// with photos of the card, and the staff's review under /api/v1/staff/.
//
// A coverage and its two photos arrive as one multipart/form-data request (a `details` part with
// the JSON of CoverageInput, and `frontPhoto` / `backPhoto` file parts): the photos cross as bytes,
// not base64 (a third larger), and the gateway stops reading a photo at 10 MB instead of taking
// in the whole body first. Each photo is then passed on in the one gRPC call that stores the
// coverage, so the service refuses or keeps the coverage and its photos together.
import { create } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import {
  CardSide,
  CoverageDetailsSchema,
  CoveragePriority,
  CoverageStatus,
  PlanType,
  SubscriberRelationship,
  VerificationState,
  type CardPhoto as CardPhotoMessage,
  type Coverage as CoverageMessage,
  type InsuranceService,
} from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import type { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import type { ServiceClient } from '@portico/kit/grpc';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import Value from 'typebox/value';
import { problems, sendProblem } from '../http/problem.js';
import {
  IdempotencyKeyHeaders,
  IfMatchHeaders,
  PatientParams,
  expectedVersion,
  problemResponses,
  ref,
  RequestProblem,
  StringEnum,
  Uuid,
} from '../http/schemas.js';
import { callMetadata } from './call-metadata.js';
import {
  Coverage,
  CoverageChange,
  CoverageInput,
  CoverageParams,
  InformationRequest,
  planTypes,
  priorities,
  relationships,
  verificationStates,
  type CoverageInputBody,
} from './insurance-schemas.js';

export type InsuranceClient = ServiceClient<(typeof InsuranceService)['method']>;
type AuthClient = ServiceClient<(typeof AuthService)['method']>;

/** The largest card photo, as the insurance service accepts it. */
export const MAX_CARD_PHOTO_BYTES = 10 * 1024 * 1024;

const tags = ['Insurance'];

/** The API's names of a protobuf enum's values, in the same order. */
const byName = <N extends string, V extends number>(names: readonly N[], values: readonly V[]) => ({
  toProto: (name: N): V => values[names.indexOf(name)]!,
  fromProto: (value: number): N => names[(values as readonly number[]).indexOf(value)] ?? names[0]!,
});
const priority = byName(priorities, [CoveragePriority.PRIMARY, CoveragePriority.SECONDARY, CoveragePriority.TERTIARY]);
const planType = byName(planTypes, [
  PlanType.HMO,
  PlanType.PPO,
  PlanType.EPO,
  PlanType.POS,
  PlanType.HDHP,
  PlanType.MEDICARE,
  PlanType.MEDICAID,
  PlanType.OTHER,
]);
const relationship = byName(relationships, [
  SubscriberRelationship.SELF,
  SubscriberRelationship.PARENT,
  SubscriberRelationship.GUARDIAN,
  SubscriberRelationship.SPOUSE,
  SubscriberRelationship.OTHER,
]);
const verification = byName(verificationStates, [
  VerificationState.SUBMITTED,
  VerificationState.VERIFIED,
  VerificationState.NEEDS_INFORMATION,
]);

function detailsOf(body: CoverageInputBody | undefined) {
  if (!body) return undefined;
  return create(CoverageDetailsSchema, {
    payerName: body.payerName,
    planName: body.planName ?? '',
    planType: planType.toProto(body.planType),
    memberId: body.memberId,
    groupNumber: body.groupNumber ?? '',
    subscriber: {
      relationship: relationship.toProto(body.subscriber.relationship),
      name: body.subscriber.name ?? '',
      dateOfBirth: body.subscriber.dateOfBirth ?? '',
    },
    priority: priority.toProto(body.priority),
    effectiveDate: body.effectiveDate,
    endDate: body.endDate ?? '',
    ...(body.copay ? { copay: { amountMinor: BigInt(body.copay.amountMinor), currencyCode: body.copay.currencyCode } } : {}),
  });
}

const photoJson = (photo: CardPhotoMessage | undefined) =>
  photo
    ? { contentType: photo.contentType, sizeBytes: Number(photo.sizeBytes), uploadedAt: timestampDate(photo.uploadedAt!).toISOString() }
    : undefined;

export function coverageJson(message: CoverageMessage | undefined): Static<typeof Coverage> {
  if (!message?.details) throw new Error('service answered without a coverage');
  const { details } = message;
  const front = photoJson(message.frontPhoto);
  const back = photoJson(message.backPhoto);
  return {
    id: message.coverageId,
    patientId: message.patientId,
    payerName: details.payerName,
    planName: details.planName,
    planType: planType.fromProto(details.planType),
    memberId: details.memberId,
    groupNumber: details.groupNumber,
    subscriber: {
      relationship: relationship.fromProto(details.subscriber?.relationship ?? SubscriberRelationship.SELF),
      name: details.subscriber?.name ?? '',
      dateOfBirth: details.subscriber?.dateOfBirth ?? '',
    },
    priority: priority.fromProto(details.priority),
    effectiveDate: details.effectiveDate,
    endDate: details.endDate,
    ...(details.copay ? { copay: { amountMinor: Number(details.copay.amountMinor), currencyCode: details.copay.currencyCode } } : {}),
    status: message.status === CoverageStatus.INACTIVE ? 'inactive' : 'active',
    verification: verification.fromProto(message.verification),
    informationRequest: message.informationRequest,
    ended: message.ended,
    ...(front ? { frontPhoto: front } : {}),
    ...(back ? { backPhoto: back } : {}),
    version: Number(message.version),
    createdAt: timestampDate(message.createdAt!).toISOString(),
    updatedAt: timestampDate(message.updatedAt!).toISOString(),
  };
}

interface CoverageForm {
  details: CoverageInputBody | undefined;
  frontPhoto?: { content: Uint8Array };
  backPhoto?: { content: Uint8Array };
}

const PHOTO_FIELDS = new Set(['frontPhoto', 'backPhoto']);

class PhotoTooLarge extends Error {
  constructor(readonly field: string) {
    super('photo too large');
  }
}

/**
 * The multipart form of an add or edit. A request that is not multipart carries no details: the
 * service still decides first whether the caller may act for the patient (404 before 400).
 */
async function readCoverageForm(request: FastifyRequest): Promise<CoverageForm> {
  const form: CoverageForm = { details: undefined };
  if (!request.isMultipart()) return form;
  let detailsText: string | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (!PHOTO_FIELDS.has(part.fieldname)) {
        part.file.resume();
        throw new RequestProblem('The form has a part this API does not know.', [
          { field: part.fieldname, message: 'is not a known field' },
        ]);
      }
      let content: Buffer;
      try {
        content = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new PhotoTooLarge(part.fieldname);
        throw error;
      }
      // An empty file input sends an empty part: no photo for that side.
      if (content.length > 0) form[part.fieldname as 'frontPhoto' | 'backPhoto'] = { content };
    } else if (part.fieldname === 'details') {
      detailsText = String(part.value);
    } else {
      throw new RequestProblem('The form has a part this API does not know.', [{ field: part.fieldname, message: 'is not a known field' }]);
    }
  }
  if (detailsText === undefined)
    throw new RequestProblem('The form needs its details part.', [{ field: 'details', message: 'is required' }]);
  let details: unknown;
  try {
    details = JSON.parse(detailsText);
  } catch {
    throw new RequestProblem('The details part is not valid JSON.', [{ field: 'details', message: 'is not valid JSON' }]);
  }
  if (!Value.Check(CoverageInput, details)) {
    const errors = [...Value.Errors(CoverageInput, details)]
      .filter((e) => e.keyword !== 'boolean')
      .map((e) => ({
        field: ['details', ...e.instancePath.split('/').filter(Boolean)].join('.'),
        message: e.keyword === 'additionalProperties' ? 'has a field that is not known' : e.message,
      }));
    throw new RequestProblem('Some fields are missing or not valid.', errors);
  }
  form.details = details as CoverageInputBody;
  return form;
}

/** Reads the form, answering 413 naming the photo that is larger than 10 MB. */
async function withForm(
  request: FastifyRequest,
  reply: FastifyReply,
  use: (form: CoverageForm) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  let form: CoverageForm;
  try {
    form = await readCoverageForm(request);
  } catch (error) {
    if (error instanceof PhotoTooLarge)
      return sendProblem(reply, {
        ...problems.tooLarge('A card photo may be at most 10 MB.'),
        errors: [{ field: error.field, message: 'must be at most 10 MB' }],
      });
    throw error;
  }
  return use(form);
}

const FORM_DESCRIPTION =
  'multipart/form-data: a `details` part holding the JSON of CoverageInput, and optional `frontPhoto` and `backPhoto` file parts (JPEG, PNG or HEIC by their bytes, at most 10 MB each; a larger one is refused with 413 naming it).';

export function insuranceRoutes(app: FastifyInstance, client: InsuranceClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/patients/:patientId/insurance';
  const One = Type.Object({ coverage: ref(Coverage) });
  const errors = problemResponses(400, 404);
  const formLimits = { bodyLimit: 2 * MAX_CARD_PHOTO_BYTES + 128 * 1024 };

  api.get(
    base,
    {
      schema: {
        tags,
        summary: 'A patient’s coverages: active ones by priority, then inactive ones',
        params: PatientParams,
        response: { 200: Type.Object({ coverages: Type.Array(ref(Coverage)) }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listCoverages({ patientId: request.params.patientId }, { metadata: callMetadata(request) });
      return { coverages: response.coverages.map(coverageJson) };
    },
  );

  api.post(
    base,
    {
      ...formLimits,
      schema: {
        tags,
        summary: 'Add a coverage with photos of the card',
        description: `${FORM_DESCRIPTION} Send an Idempotency-Key header to make retries safe.`,
        consumes: ['multipart/form-data'],
        params: PatientParams,
        headers: IdempotencyKeyHeaders,
        response: { 201: One, ...errors, ...problemResponses(413, 415) },
      },
    },
    async (request, reply) =>
      withForm(request, reply, async (form) => {
        const { patientId } = request.params;
        const response = await client.addCoverage(
          {
            patientId,
            details: detailsOf(form.details),
            ...(form.frontPhoto ? { frontPhoto: form.frontPhoto } : {}),
            ...(form.backPhoto ? { backPhoto: form.backPhoto } : {}),
            idempotencyKey: request.headers['idempotency-key'] ?? '',
          },
          { metadata: callMetadata(request) },
        );
        const body = { coverage: coverageJson(response.coverage) };
        return reply.code(201).header('location', `/api/v1/patients/${patientId}/insurance/${body.coverage.id}`).send(body);
      }),
  );

  api.put(
    `${base}/:coverageId`,
    {
      ...formLimits,
      schema: {
        tags,
        summary: 'Edit a coverage (replaces its details; a photo sent replaces that side)',
        description: `${FORM_DESCRIPTION} The coverage is submitted again for the clinic to verify. Send If-Match with the version you read.`,
        consumes: ['multipart/form-data'],
        params: CoverageParams,
        headers: IfMatchHeaders,
        response: { 200: One, ...errors, ...problemResponses(409, 412, 413, 415) },
      },
    },
    async (request, reply) =>
      withForm(request, reply, async (form) => {
        const { patientId, coverageId } = request.params;
        const response = await client.updateCoverage(
          {
            patientId,
            coverageId,
            details: detailsOf(form.details),
            ...(form.frontPhoto ? { frontPhoto: form.frontPhoto } : {}),
            ...(form.backPhoto ? { backPhoto: form.backPhoto } : {}),
            expectedVersion: expectedVersion(request.headers['if-match']),
          },
          { metadata: callMetadata(request) },
        );
        return reply.send({ coverage: coverageJson(response.coverage) });
      }),
  );

  api.post(
    `${base}/:coverageId/deactivate`,
    {
      schema: {
        tags,
        summary: 'Deactivate a coverage (it stays listed as inactive)',
        params: CoverageParams,
        response: { 200: One, ...errors },
      },
    },
    async (request) => {
      const { patientId, coverageId } = request.params;
      const response = await client.deactivateCoverage({ patientId, coverageId }, { metadata: callMetadata(request) });
      return { coverage: coverageJson(response.coverage) };
    },
  );

  // One address per side (…/photos/front, …/photos/back), so an <img> can show each.
  for (const side of ['front', 'back'] as const) {
    api.get(
      `${base}/:coverageId/photos/${side}`,
      {
        schema: {
          tags,
          summary: `The photo of the card's ${side}, as uploaded`,
          params: CoverageParams,
          produces: ['image/jpeg', 'image/png', 'image/heic'],
          response: { 200: Type.Unsafe({ type: 'string', format: 'binary' }), ...errors },
        },
      },
      async (request, reply) => {
        const { patientId, coverageId } = request.params;
        const response = await client.getCardPhoto(
          { patientId, coverageId, side: side === 'front' ? CardSide.FRONT : CardSide.BACK },
          { metadata: callMetadata(request) },
        );
        return reply
          .type(response.contentType)
          .header('content-disposition', `attachment; filename="insurance-card-${side}"`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(Buffer.from(response.content));
      },
    );
  }
}

/** The staff's review: registered with the staff routes, which refuse everyone else before the body is read. */
export function staffInsuranceRoutes(app: FastifyInstance, client: InsuranceClient, auth: AuthClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/staff/patients/:patientId/insurance/:coverageId';
  const One = Type.Object({ coverage: ref(Coverage) });
  const changed = { 200: One, ...problemResponses(400, 404, 409, 412, 413, 415) };

  api.get(
    '/api/v1/staff/insurance',
    {
      schema: {
        tags,
        summary: 'The clinic’s coverages of every patient, latest change first',
        querystring: Type.Object(
          {
            verification: Type.Optional(StringEnum(verificationStates)),
            pageSize: Type.Optional(Type.String({ pattern: '^\\d{1,3}$' })),
            pageToken: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        description: 'With the name of each patient the page names (`patients`), for the staff’s work list.',
        response: {
          200: Type.Object({
            coverages: Type.Array(ref(Coverage)),
            patients: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
            nextPageToken: Type.String(),
          }),
          ...problemResponses(400),
        },
      },
    },
    async (request) => {
      const { verification: state, pageSize, pageToken } = request.query;
      const response = await client.listClinicCoverages(
        {
          verification: state ? verification.toProto(state) : VerificationState.UNSPECIFIED,
          pageSize: Number(pageSize ?? 0),
          pageToken: pageToken ?? '',
        },
        { metadata: callMetadata(request) },
      );
      // The page's patients by name, asked of the auth service in parallel (a page holds 100 at most).
      const ids = [...new Set(response.coverages.map((c) => c.patientId))];
      const patients = await Promise.all(
        ids.map(async (id) => {
          const found = await auth.getPatient({ patientId: id }, { metadata: callMetadata(request) }).catch(() => undefined);
          const name = [found?.patient?.givenName, found?.patient?.familyName].filter(Boolean).join(' ');
          return { id, name: name || found?.patient?.email || '' };
        }),
      );
      return { coverages: response.coverages.map(coverageJson), patients, nextPageToken: response.nextPageToken };
    },
  );

  api.get(
    `${base}/history`,
    {
      schema: {
        tags,
        summary: 'Who changed what on a coverage, oldest first',
        params: CoverageParams,
        response: { 200: Type.Object({ changes: Type.Array(ref(CoverageChange)) }), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { patientId, coverageId } = request.params;
      const response = await client.listCoverageHistory({ patientId, coverageId }, { metadata: callMetadata(request) });
      return {
        changes: response.changes.map((c) => ({
          at: timestampDate(c.at!).toISOString(),
          actorId: c.actorSubject,
          actorName: c.actorName,
          actorRole: c.actorRole,
          action: c.action as Static<typeof CoverageChange>['action'],
          changedFields: c.changedFields,
          message: c.message,
        })),
      };
    },
  );

  api.post(
    `${base}/verify`,
    {
      schema: {
        tags,
        summary: 'The clinic checked the coverage with the payer',
        params: CoverageParams,
        headers: IfMatchHeaders,
        response: changed,
      },
    },
    async (request) => {
      const { patientId, coverageId } = request.params;
      const response = await client.verifyCoverage(
        { patientId, coverageId, expectedVersion: expectedVersion(request.headers['if-match']) },
        { metadata: callMetadata(request) },
      );
      return { coverage: coverageJson(response.coverage) };
    },
  );

  api.post(
    `${base}/request-information`,
    {
      schema: {
        tags,
        summary: 'Ask the patient for more information about a coverage',
        params: CoverageParams,
        headers: IfMatchHeaders,
        body: ref(InformationRequest),
        response: changed,
      },
    },
    async (request) => {
      const { patientId, coverageId } = request.params;
      const response = await client.requestCoverageInformation(
        { patientId, coverageId, message: request.body.message, expectedVersion: expectedVersion(request.headers['if-match']) },
        { metadata: callMetadata(request) },
      );
      return { coverage: coverageJson(response.coverage) };
    },
  );
}

export const insuranceSchemas = [CoverageInput, Coverage, CoverageChange, InformationRequest];
