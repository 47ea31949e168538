// Translation between the trail's entries and the wire.
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { RecordAccessSchema, RecordOpeningSchema } from '@portico/contracts/gen/portico/audit/v1/audit_pb';
import { ActorRole, ActorSchema } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import { AccessOutcome } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import type { RecordAccess } from '../domain/record-access.js';
import { actorRoles } from '../events/record-access-consumer.js';

const actorMessage = ({ actor }: RecordAccess) =>
  create(ActorSchema, {
    subject: actor.subject,
    role: actor.role ? actorRoles.toProto(actor.role) : ActorRole.UNSPECIFIED,
    clinicId: actor.clinicId,
  });

export const recordAccessMessage = (access: RecordAccess) =>
  create(RecordAccessSchema, {
    eventId: access.eventId,
    actor: actorMessage(access),
    patientId: access.patientId,
    action: access.action,
    resourceType: access.resourceType,
    resourceId: access.resourceId,
    outcome: access.outcome === 'allowed' ? AccessOutcome.ALLOWED : AccessOutcome.DENIED,
    occurredAt: timestampFromDate(access.occurredAt),
    sourceIp: access.sourceIp,
    requestId: access.requestId,
  });

export const recordOpeningMessage = (access: RecordAccess) =>
  create(RecordOpeningSchema, {
    actor: actorMessage(access),
    action: access.action,
    resourceType: access.resourceType,
    occurredAt: timestampFromDate(access.occurredAt),
  });

export const dateOf = (timestamp: Timestamp | undefined): Date | undefined => (timestamp ? timestampDate(timestamp) : undefined);
