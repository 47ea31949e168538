// Takes every audit event from the audit topic into the trail. The kit's consumer makes it
// idempotent, retried and dead-lettered; the event id as the entry's key makes a replay of the
// topic by another group harmless too.
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { ActorRoleSchema, type ActorRole as ActorRoleProto } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import {
  AccessOutcome,
  PatientRecordAccessedSchema,
  type PatientRecordAccessed,
} from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import { AUDIT_TOPIC } from '@portico/kit/audit';
import { EventConsumer, on, type ConsumerStart, type ReceivedEvent } from '@portico/kit/eventing';
import type { Platform } from '@portico/kit/runtime';
import { enumMapping } from '@portico/kit/vocabulary';
import { retentionCutoff, type ActorRole, type RecordAccess } from '../domain/record-access.js';
import type { RecordAccessRepository } from '../store/record-access-repository.js';

export const actorRoles = enumMapping<ActorRole, ActorRoleProto>(ActorRoleSchema, ['patient', 'guardian', 'staff', 'service']);

export function recordAccessOf(event: PatientRecordAccessed, envelope: ReceivedEvent, keptAt: Date): RecordAccess {
  return {
    eventId: envelope.id,
    actor: {
      subject: event.actor?.subject ?? '',
      role: actorRoles.fromProto(event.actor?.role ?? 0) ?? '',
      clinicId: event.actor?.clinicId ?? '',
    },
    patientId: event.patientId,
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    // Anything not plainly allowed is kept as refused: the trail never overstates an access.
    outcome: event.outcome === AccessOutcome.ALLOWED ? 'allowed' : 'denied',
    occurredAt: event.occurredAt ? timestampDate(event.occurredAt) : envelope.time,
    sourceIp: event.sourceIp,
    requestId: event.requestId,
    keptAt,
  };
}

export function recordAccessConsumer(
  { kafka, connection, logger, clock }: Pick<Platform, 'kafka' | 'connection' | 'logger' | 'clock'>,
  settings: { groupId: string; retentionDays: number; start: ConsumerStart; repository: RecordAccessRepository },
): EventConsumer {
  return new EventConsumer({
    kafka,
    connection,
    logger,
    groupId: settings.groupId,
    startAt: settings.start,
    topics: [AUDIT_TOPIC],
    handlers: [
      on(PatientRecordAccessedSchema, async (event, envelope) => {
        const access = recordAccessOf(event, envelope, clock());
        // Replaying an old topic must not bring back what the retention period already removed.
        if (access.occurredAt < retentionCutoff(access.keptAt, settings.retentionDays)) return;
        await settings.repository.append(access);
      }),
    ],
  });
}
