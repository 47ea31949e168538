// Retention against the real servers: an access older than the retention period (six years by
// default) is not taken in, and the periodic sweep removes entries once they pass it. FerretDB has
// no TTL indexes, so the sweep is what an operator relies on.
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ActorRole } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import { AUDIT_TOPIC } from '@portico/kit/audit';
import { cloudEventHeaders } from '@portico/kit/eventing';
import type { RunningService } from '@portico/kit/runtime';
import { groupCaughtUp, startPlatform, startTestService, testKafka, waitUntil, type RunningPlatform } from '@portico/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DAY_MS = 24 * 60 * 60_000;
const SIX_YEARS_MS = (6 * 365 + 2) * DAY_MS;

let platform: RunningPlatform;
let sweeper: RunningService | undefined;

beforeAll(async () => {
  platform = await startPlatform({ services: ['audit'] });
});

afterAll(async () => {
  await sweeper?.lifecycle.shutdown('test over');
  await platform?.stop();
});

/** An audit event as a service's outbox relay publishes it, of an access at `occurredAt`. */
function accessEvent(patientId: string, occurredAt: Date) {
  const id = randomUUID();
  const event = create(PatientRecordAccessedSchema, {
    actor: { subject: patientId, role: ActorRole.PATIENT, clinicId: 'clinic-retention' },
    patientId,
    action: 'contacts.list',
    resourceType: 'contact',
    outcome: AccessOutcome.ALLOWED,
    occurredAt: timestampFromDate(occurredAt),
    sourceIp: '127.0.0.1',
    requestId: id,
  });
  return {
    id,
    message: {
      key: patientId,
      value: Buffer.from(toBinary(PatientRecordAccessedSchema, event)),
      headers: cloudEventHeaders({ id, type: PatientRecordAccessedSchema.typeName, source: 'portico/retention-test', time: occurredAt }),
    },
  };
}

describe('retention of the audit trail', () => {
  it('does not take in an access past six years, and sweeps out one that passes them', async () => {
    const patientId = randomUUID();
    const pastRetention = accessEvent(patientId, new Date(Date.now() - SIX_YEARS_MS - 2 * DAY_MS));
    const justWithin = accessEvent(patientId, new Date(Date.now() - SIX_YEARS_MS + 2 * DAY_MS));
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: AUDIT_TOPIC, messages: [pastRetention.message, justWithin.message] });
    await producer.disconnect();

    const entries = platform.db('audit').collection<{ _id: string }>('record_accesses');
    const stored = () => entries.find({ patientId }).toArray();
    await groupCaughtUp((platform.services.audit as RunningService & { groupId: string }).groupId, [AUDIT_TOPIC], 60_000);
    expect((await stored()).map((e) => e._id)).toEqual([justWithin.id]);

    // Three days on, the entry is past six years: the sweep (run at start, then hourly) removes it.
    sweeper = await startTestService(
      'audit',
      `${platform.runId}_audit`,
      { AUDIT_CONSUMER_GROUP: `test-sweep-${randomUUID()}`, AUDIT_CONSUMER_START: 'latest' },
      { clock: () => new Date(Date.now() + 3 * DAY_MS) },
    );
    await waitUntil(async () => (await stored()).length === 0 || undefined, 60_000, 'the sweep to remove the expired entry');
  });
});
