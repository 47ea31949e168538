// Events are facts delivered at least once and processed once: with Kafka down the service keeps
// working and its events wait; a service killed with SIGKILL while relaying loses none; an
// idempotent consumer processes each event exactly once, counted by event id.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { ContactPurpose } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { ContactAddedSchema } from '@portico/contracts/gen/portico/events/contacts/v1/contact_events_pb';
import { createKafka, EventConsumer, on } from '@portico/kit/eventing';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import {
  createUser,
  deleteUser,
  env,
  groupCaughtUp,
  infra,
  passwordGrant,
  serviceEnvironment,
  recordTopics,
  repoRoot,
  spawnService,
  waitUntil,
  type ServiceProcess,
  type TestUser,
  type TopicRecord,
} from '@portico/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const logger = createLogger('test', 'silent');
const dbName = `test_contacts_resilience_${randomUUID().slice(0, 8)}`;
let patient: TestUser;
let token: string;
let db: Connection;
let consumerDb: Connection;
let service: ServiceProcess | undefined;

const startService = () => spawnService('services/contacts/dist/main.js', { ...serviceEnvironment('contacts', dbName), LOG_LEVEL: 'info' });

/** Counts, per event id, how often the consumer's handler ran for this patient's ContactAdded events. */
async function countingConsumer() {
  const counts = new Map<string, number>();
  const contactOf = new Map<string, string>();
  const groupId = `test-counter-${randomUUID()}`;
  const consumer = new EventConsumer({
    kafka: createKafka({ clientId: 'test-counter', brokers: env.kafkaBrokers, logger }),
    groupId,
    topics: ['portico.contacts.v1'],
    connection: consumerDb,
    logger,
    handlers: [
      on(ContactAddedSchema, async (event, envelope) => {
        if (event.patientId !== patient.id) return;
        counts.set(envelope.id, (counts.get(envelope.id) ?? 0) + 1);
        contactOf.set(envelope.id, event.contactId);
      }),
    ],
  });
  await consumer.start();
  /** Event ids processed for the given contacts, and how often each was. */
  const processedFor = (contactIds: string[]) => {
    const wanted = new Set(contactIds);
    return [...counts].filter(([eventId]) => wanted.has(contactOf.get(eventId)!));
  };
  /** Resolves once the consumer has processed everything the topic holds now: its counts are final. */
  const caughtUp = () => groupCaughtUp(groupId, ['portico.contacts.v1'], 60_000);
  return { counts, processedFor, caughtUp, stop: () => consumer.stop() };
}

async function addContacts(port: number, count: number): Promise<string[]> {
  const client = connectService(ContactsService, `127.0.0.1:${port}`);
  const ids: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const response = await client.addContact(
        { patientId: patient.id, details: { name: `Contact ${i}`, phone: '+14155552671', purposes: [ContactPurpose.EMERGENCY] } },
        { metadata: forwardedMetadata(token) },
      );
      ids.push(response.contact!.contactId);
    }
  } finally {
    client.close();
  }
  return ids;
}

const pending = () => db.collection('contacts').countDocuments({ patientId: patient.id, 'outbox.0': { $exists: true } });

beforeAll(async () => {
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  token = await passwordGrant(patient);
  db = await connectMongo({ url: env.mongoUrl, dbName, logger });
  consumerDb = await connectMongo({ url: env.mongoUrl, dbName: `${dbName}_consumer`, logger });
});

afterEach(async () => {
  await service?.kill('SIGKILL');
  service = undefined;
  infra('up', 'kafka');
});

afterAll(async () => {
  await db?.dropDatabase().catch(() => {});
  await consumerDb?.dropDatabase().catch(() => {});
  await db?.close();
  await consumerDb?.close();
  if (patient) await deleteUser(patient);
});

describe('the outbox', () => {
  it('keeps accepting changes while Kafka is down and delivers every event once Kafka is back', async () => {
    service = await startService();
    infra('down', 'kafka');

    const added = await addContacts(service.grpcPort, 20);
    expect(added).toHaveLength(20);
    // The events wait beside the changes they report.
    expect(await pending()).toBe(20);

    infra('up', 'kafka');
    const consumer = await countingConsumer();
    try {
      await waitUntil(() => consumer.processedFor(added).length >= 20 || undefined, 90_000, '20 events processed');
      await waitUntil(async () => (await pending()) === 0 || undefined, 30_000, 'outbox drained');
      await consumer.caughtUp();
      const processed = consumer.processedFor(added);
      expect(processed).toHaveLength(20);
      expect(processed.every(([, times]) => times === 1)).toBe(true);
    } finally {
      await consumer.stop();
    }
  }, 240_000);

  it('loses no event when the service is killed with SIGKILL while relaying, and the consumer processes none twice', async () => {
    service = await startService();
    infra('down', 'kafka');
    const added = await addContacts(service.grpcPort, 150);
    const ours = (records: TopicRecord[]) =>
      records.filter((r) => r.key === patient.id && added.includes(fromBinary(ContactAddedSchema, r.value).contactId));

    // Killed while its relay keeps retrying a Kafka that is down: nothing was acknowledged.
    await service.kill('SIGKILL');
    service = undefined;
    infra('up', 'kafka');
    expect(await pending()).toBe(150);

    // The relay dies in the worst place: Kafka acknowledged a batch, the outbox still holds it.
    const reader = await recordTopics(['portico.contacts.v1']);
    try {
      const dying = spawnSync(process.execPath, [join(repoRoot, 'services/contacts/test/fixtures/relay-then-die.mjs')], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', ...serviceEnvironment('contacts', dbName) },
        timeout: 60_000,
      });
      expect(dying.signal).toBe('SIGKILL');
      await reader.waitFor((r) => ours(r).length >= 100);
      expect(await pending()).toBe(150);

      // A new service process picks up everything the dead ones left.
      service = await startService();
      const consumer = await countingConsumer();
      try {
        await waitUntil(async () => ((await pending()) === 0 ? true : undefined), 60_000, 'outbox drained');
        await waitUntil(() => (consumer.processedFor(added).length >= 150 ? true : undefined), 90_000, 'all events processed');
        await reader.waitFor((r) => ours(r).length >= 250);
        await Promise.all([reader.caughtUp(), consumer.caughtUp()]);

        // Kafka holds the first batch twice (at least once delivery) ...
        expect(ours(reader.records)).toHaveLength(250);
        // ... and the idempotent consumer processed every one of the 150 events exactly once.
        const processed = consumer.processedFor(added);
        expect(new Set(processed.map(([eventId]) => eventId)).size).toBe(150);
        expect(processed.filter(([, times]) => times !== 1)).toEqual([]);
      } finally {
        await consumer.stop();
      }
    } finally {
      await reader.stop();
    }
  }, 300_000);
});
