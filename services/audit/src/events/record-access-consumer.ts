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
import { EventConsumer, on, type ConsumerOptions, type ReceivedEvent } from '@portico/kit/eventing';
import type { Kafka } from 'kafkajs';
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

/** `earliest`, `latest` or an ISO instant: where a consumer group that never read the topic begins. */
export type ConsumerStart = string;

/**
 * A consumer group that has never read the topic is placed at `start` before it joins, so it
 * misses nothing published after that point; a group with a position keeps it.
 */
async function placeNewGroup(kafka: Kafka, groupId: string, start: ConsumerStart): Promise<void> {
  if (start === 'earliest') return; // the consumer itself reads a new group's topic from the beginning
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [AUDIT_TOPIC] });
    if (committed?.partitions.some((p) => Number(p.offset) >= 0)) return;
    const offsets =
      start === 'latest'
        ? (await admin.fetchTopicOffsets(AUDIT_TOPIC)).map(({ partition, high }) => ({ partition, offset: high }))
        : await admin.fetchTopicOffsetsByTimestamp(AUDIT_TOPIC, Date.parse(start));
    await admin.setOffsets({ groupId, topic: AUDIT_TOPIC, partitions: offsets });
  } finally {
    await admin.disconnect();
  }
}

/** The kit's consumer, placed at the configured start before its first join. */
class RecordAccessConsumer extends EventConsumer {
  constructor(
    private readonly placement: { kafka: Kafka; groupId: string; start: ConsumerStart },
    options: ConsumerOptions,
  ) {
    super(options);
  }

  override async start(): Promise<void> {
    const { kafka, groupId, start } = this.placement;
    await placeNewGroup(kafka, groupId, start);
    await super.start();
  }
}

export function recordAccessConsumer(
  { kafka, connection, logger, clock }: Pick<Platform, 'kafka' | 'connection' | 'logger' | 'clock'>,
  settings: { groupId: string; retentionDays: number; start: ConsumerStart; repository: RecordAccessRepository },
): EventConsumer {
  return new RecordAccessConsumer(
    { kafka, groupId: settings.groupId, start: settings.start },
    {
      kafka,
      connection,
      logger,
      groupId: settings.groupId,
      topics: [AUDIT_TOPIC],
      handlers: [
        on(PatientRecordAccessedSchema, async (event, envelope) => {
          const access = recordAccessOf(event, envelope, clock());
          // Replaying an old topic must not bring back what the retention period already removed.
          if (access.occurredAt < retentionCutoff(access.keptAt, settings.retentionDays)) return;
          await settings.repository.append(access);
        }),
      ],
    },
  );
}
