// Events are facts delivered at least once and processed once: with Kafka down the service keeps
// working and its events wait; a service killed with SIGKILL while relaying loses none; an
// idempotent consumer processes each event exactly once, counted by event id.
import { randomUUID } from 'node:crypto';
import { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { ContactPurpose } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { ContactAddedSchema } from '@portico/contracts/gen/portico/events/contacts/v1/contact_events_pb';
import { createKafka, EventConsumer, on } from '@portico/kit/eventing';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import {
  baseEnvironment,
  createUser,
  deleteUser,
  env,
  infra,
  passwordGrant,
  recordTopics,
  spawnService,
  waitUntil,
  type ServiceProcess,
  type TestUser,
} from '@portico/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const logger = createLogger('test', 'silent');
const dbName = `test_contacts_resilience_${randomUUID().slice(0, 8)}`;
let patient: TestUser;
let token: string;
let db: Connection;
let consumerDb: Connection;
let service: ServiceProcess | undefined;

const startService = () =>
  spawnService('services/contacts/dist/main.js', { ...baseEnvironment(dbName), LOG_LEVEL: 'info', GRPC_PORT: '0' });

/** Counts, per event id, how often the consumer's handler ran for this patient's ContactAdded events. */
async function countingConsumer() {
  const counts = new Map<string, number>();
  const contactOf = new Map<string, string>();
  const consumer = new EventConsumer({
    kafka: createKafka({ clientId: 'test-counter', brokers: env.kafkaBrokers, logger }),
    groupId: `test-counter-${randomUUID()}`,
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
  return { counts, processedFor, stop: () => consumer.stop() };
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
      await new Promise((r) => setTimeout(r, 2_000));
      const processed = consumer.processedFor(added);
      expect(processed).toHaveLength(20);
      expect(processed.every(([, times]) => times === 1)).toBe(true);
    } finally {
      await consumer.stop();
    }
  }, 240_000);

  it('loses no event when the service is killed with SIGKILL while relaying, and the consumer processes none twice', async () => {
    const patientKey = patient.id;
    service = await startService();
    infra('down', 'kafka');
    const added = await addContacts(service.grpcPort, 150);
    infra('up', 'kafka');

    // Kill the moment the first of these events reaches Kafka: the relay is mid-round.
    const reader = await recordTopics(['portico.contacts.v1']);
    try {
      const baseline = reader.records.filter((r) => r.key === patientKey).length;
      await reader.waitFor((r) => r.filter((x) => x.key === patientKey).length > baseline, 90_000);
      await service.kill('SIGKILL');
      const leftInOutbox = await pending();
      console.info(`killed mid-relay with ${leftInOutbox} of 150 events still in the outbox`);

      // A new process picks up what the dead one left.
      service = await startService();
      const consumer = await countingConsumer();
      try {
        await waitUntil(async () => (await pending()) === 0 || undefined, 60_000, 'outbox drained');
        await waitUntil(() => consumer.processedFor(added).length >= 150 || undefined, 90_000, 'all events processed');
        await new Promise((r) => setTimeout(r, 2_000));
        const processed = consumer.processedFor(added);
        // One ContactAdded per contact, each processed exactly once, even if Kafka holds duplicates.
        expect(new Set(processed.map(([eventId]) => eventId)).size).toBe(150);
        expect(processed.filter(([, times]) => times !== 1)).toEqual([]);
        const published = reader.records.filter((r) => r.key === patientKey && r.headers.ce_type?.endsWith('ContactAdded')).length;
        console.info(`Kafka holds ${published} ContactAdded records for 150 contacts (duplicates from the kill: ${published - 150})`);
      } finally {
        await consumer.stop();
      }
    } finally {
      await reader.stop();
    }
  }, 300_000);
});
