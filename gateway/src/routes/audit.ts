// A patient's record-access history (DESIGN rule 10), read from the audit service: staff see every
// access and refusal, filterable by date and person; a patient or guardian sees who opened the
// record. Read only: the trail has no route that adds, changes or removes an entry.
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { AuditService, RecordAccess, RecordOpening } from '@portico/contracts/gen/portico/audit/v1/audit_pb';
import { ActorRole, type Actor } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import { AccessOutcome } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import type { ServiceClient } from '@portico/kit/grpc';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { NextPageToken, PageQuery, pageRequest, PatientParams, problemResponses, ref, StringEnum, Uuid } from '../http/schemas.js';
import { callMetadata } from './call-metadata.js';

type Client = ServiceClient<(typeof AuditService)['method']>;

const ROLE_NAME: Record<number, 'patient' | 'guardian' | 'staff' | 'service'> = {
  [ActorRole.PATIENT]: 'patient',
  [ActorRole.GUARDIAN]: 'guardian',
  [ActorRole.STAFF]: 'staff',
  [ActorRole.SERVICE]: 'service',
};

const ActorView = Type.Object({
  id: Type.String({ description: 'The user id of the person who acted' }),
  role: StringEnum(['patient', 'guardian', 'staff', 'service', 'unknown'] as const, { description: 'The role they acted in' }),
  clinicId: Type.String(),
});

export const RecordAccessView = Type.Object(
  {
    id: Type.String({ description: 'The audit event id: one entry per event' }),
    actor: ActorView,
    patientId: Type.String(),
    action: Type.String({ description: 'What was done, e.g. contacts.list' }),
    resourceType: Type.String(),
    resourceId: Type.String(),
    outcome: StringEnum(['allowed', 'refused'] as const),
    occurredAt: Type.String({ format: 'date-time' }),
    sourceIp: Type.String({ description: 'The client address the gateway saw' }),
    requestId: Type.String(),
  },
  { $id: 'RecordAccess', description: 'One access to a patient’s record, or one refused attempt' },
);

export const RecordOpeningView = Type.Object(
  {
    actor: ActorView,
    action: Type.String(),
    resourceType: Type.String(),
    occurredAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RecordOpening', description: 'One time someone opened or changed the patient’s record' },
);

export const auditSchemas = [RecordAccessView, RecordOpeningView];

const HistoryQuery = Type.Object(
  {
    ...PageQuery,
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Accesses at or after this instant' })),
    before: Type.Optional(Type.String({ format: 'date-time', description: 'Accesses before this instant' })),
    actorId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
const OpeningsQuery = Type.Object(PageQuery, { additionalProperties: false });

const iso = (t: Timestamp | undefined) => (t ? timestampDate(t).toISOString() : '');
const stamp = (value: string | undefined) => (value ? timestampFromDate(new Date(value)) : undefined);
const actorJson = (actor: Actor | undefined): Static<typeof ActorView> => ({
  id: actor?.subject ?? '',
  role: ROLE_NAME[actor?.role ?? 0] ?? 'unknown',
  clinicId: actor?.clinicId ?? '',
});

const accessJson = (access: RecordAccess): Static<typeof RecordAccessView> => ({
  id: access.eventId,
  actor: actorJson(access.actor),
  patientId: access.patientId,
  action: access.action,
  resourceType: access.resourceType,
  resourceId: access.resourceId,
  outcome: access.outcome === AccessOutcome.ALLOWED ? 'allowed' : 'refused',
  occurredAt: iso(access.occurredAt),
  sourceIp: access.sourceIp,
  requestId: access.requestId,
});

const openingJson = (opening: RecordOpening): Static<typeof RecordOpeningView> => ({
  actor: actorJson(opening.actor),
  action: opening.action,
  resourceType: opening.resourceType,
  occurredAt: iso(opening.occurredAt),
});

const tags = ['Record access history'];

/** The patient's or guardian's view: who opened the record. */
export function auditRoutes(app: FastifyInstance, client: Client): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/patients/:patientId/access-history',
    {
      schema: {
        tags,
        summary: 'Who opened the patient’s record, newest first (the patient or their guardian)',
        params: PatientParams,
        querystring: OpeningsQuery,
        response: {
          200: Type.Object({ openings: Type.Array(ref(RecordOpeningView)), nextPageToken: NextPageToken }),
          ...problemResponses(400, 404),
        },
      },
    },
    async (request) => {
      const response = await client.listRecordOpenings(
        { patientId: request.params.patientId, page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { openings: response.openings.map(openingJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );
}

/**
 * The staff view, registered in the staff routes' scope so that non-staff are refused (403) before
 * anything of the request is read, like the rest of the staff API; the audit service checks again.
 */
export function staffAuditRoutes(app: FastifyInstance, client: Client): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/staff/patients/:patientId/access-history',
    {
      schema: {
        tags,
        summary: 'Every access to a patient’s record, allowed or refused, newest first (staff of the patient’s clinic)',
        params: PatientParams,
        querystring: HistoryQuery,
        response: {
          200: Type.Object({ accesses: Type.Array(ref(RecordAccessView)), nextPageToken: NextPageToken }),
          ...problemResponses(400, 403, 404),
        },
      },
    },
    async (request) => {
      const { query } = request;
      const response = await client.listRecordAccesses(
        {
          patientId: request.params.patientId,
          page: pageRequest(query),
          occurredFrom: stamp(query.from),
          occurredBefore: stamp(query.before),
          actorSubject: query.actorId ?? '',
        },
        { metadata: callMetadata(request) },
      );
      return { accesses: response.accesses.map(accessJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );
}
