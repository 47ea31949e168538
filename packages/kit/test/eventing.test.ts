// The kit's consumer against real Kafka: retries with backoff, then parks what still fails on the
// dead-letter topic; a message that can never be read is parked at once; the partition moves on.
import { createHook } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ContactAddedSchema } from '@portico/contracts/gen/portico/events/contacts/v1/contact_events_pb';
import {
  cloudEventHeaders,
  createKafka,
  EventConsumer,
  on,
  OutboxRelay,
  OUTBOX_PENDING,
  outboxEvent,
  STANDALONE_OUTBOX,
} from '@portico/kit/eventing';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, mongoose, type Connection } from '@portico/kit/mongo';
import { outboxOf } from '@portico/kit/store';
import { env, recordTopics, testKafka, waitUntil } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const logger = createLogger('test', 'silent');
const topic = `test.eventing.${randomUUID().slice(0, 8)}`;
let db: Connection;

beforeAll(async () => {
  const admin = testKafka().admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 1 },
      { topic: `${topic}.dlq`, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  db = await connectMongo({ url: env.mongoUrl, dbName: `test_eventing_${randomUUID().slice(0, 8)}`, logger });
});

afterAll(async () => {
  await db?.dropDatabase();
  await db?.close();
});

function event(contactId: string, id = randomUUID()) {
  return {
    key: 'patient-1',
    value: Buffer.from(toBinary(ContactAddedSchema, create(ContactAddedSchema, { contactId, patientId: 'patient-1' }))),
    headers: cloudEventHeaders({ id, type: ContactAddedSchema.typeName, source: 'test', time: new Date() }),
  };
}

describe('an idempotent consumer', () => {
  it('retries a failing handler, parks poison and still-failing messages on the dead-letter topic, and processes a repeated event once', async () => {
    const attempts = new Map<string, number>();
    const handled: string[] = [];
    const consumer = new EventConsumer({
      kafka: createKafka({ clientId: 'test', brokers: env.kafkaBrokers, logger }),
      groupId: `test-${randomUUID()}`,
      topics: [topic],
      connection: db,
      logger,
      retry: { attempts: 3, initialMs: 50, maxMs: 200 },
      handlers: [
        on(ContactAddedSchema, async (added) => {
          const n = (attempts.get(added.contactId) ?? 0) + 1;
          attempts.set(added.contactId, n);
          if (added.contactId === 'always-fails') throw new Error('downstream is broken');
          if (added.contactId === 'fails-twice' && n <= 2) throw new Error('flaky');
          handled.push(added.contactId);
        }),
      ],
    });
    const dlq = await recordTopics([`${topic}.dlq`]);
    const producer = testKafka().producer();
    await producer.connect();
    try {
      await consumer.start();
      const repeated = event('sent-twice');
      await producer.send({
        topic,
        messages: [
          event('fails-twice'),
          event('always-fails'),
          { key: 'patient-1', value: Buffer.from('not protobuf at all'), headers: { 'content-type': 'text/plain' } },
          repeated,
          repeated,
          event('after-the-poison'),
        ],
      });
      await waitUntil(() => handled.includes('after-the-poison') || undefined, 30_000, 'the last message');
      await dlq.waitFor((r) => r.length >= 2);

      expect(handled).toEqual(['fails-twice', 'sent-twice', 'after-the-poison']);
      expect(attempts.get('fails-twice')).toBe(3);
      expect(attempts.get('always-fails')).toBe(3);
      expect(attempts.get('sent-twice')).toBe(1);
      expect(dlq.records.map((r) => r.headers['x-dlq-reason'])).toEqual(['handler failed: Error', 'missing header ce_id']);
      expect(dlq.records[0]!.headers).toMatchObject({ 'x-dlq-original-topic': topic, ce_type: ContactAddedSchema.typeName });
      // The parked message is the original, byte for byte, ready to replay.
      expect(dlq.records[1]!.value.toString()).toBe('not protobuf at all');
    } finally {
      await producer.disconnect();
      await consumer.stop();
      await dlq.stop();
    }
  });
});

describe('the outbox relay', () => {
  it('publishes a patient’s events in the order they happened, whichever document holds each', async () => {
    const collection = 'relay_order';
    const patientId = `patient-${randomUUID().slice(0, 8)}`;
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0, ms));
    const added = (contactId: string, occurredAt: Date) =>
      outboxEvent(ContactAddedSchema, create(ContactAddedSchema, { contactId, patientId }), { topic, key: patientId, occurredAt });
    // The document found first holds the later event: two contacts, the second changed before the first.
    await db.collection(collection).insertOne({ _id: 'second' as never, outbox: [added('second', at(200))], [OUTBOX_PENDING]: true });
    await db.collection(collection).insertOne({ _id: 'first' as never, outbox: [added('first', at(100))], [OUTBOX_PENDING]: true });
    const reader = await recordTopics([topic]);
    const relay = new OutboxRelay({
      connection: db,
      kafka: createKafka({ clientId: 'test-relay', brokers: env.kafkaBrokers, logger }),
      collections: [collection],
      source: 'test',
      logger,
    });
    try {
      expect(await relay.publishOnce()).toBe(2);
      const records = await reader.waitFor((r) => r.filter((x) => x.key === patientId).length >= 2);
      const contacts = records.filter((x) => x.key === patientId).map((x) => fromBinary(ContactAddedSchema, x.value).contactId);
      expect(contacts).toEqual(['first', 'second']);
    } finally {
      await relay.stop();
      await reader.stop();
    }
  });

  it('reads only the outbox it was nudged for, every outbox once per idle interval, and empties the standalone outbox', async () => {
    const nudgedName = 'relay_nudged';
    const otherName = 'relay_other';
    const patientId = `patient-${randomUUID().slice(0, 8)}`;
    const added = (contactId: string) =>
      outboxEvent(ContactAddedSchema, create(ContactAddedSchema, { contactId, patientId }), { topic, key: patientId });
    // The relay's own connection, with the driver reporting each command it sends.
    const monitored = await mongoose.createConnection(env.mongoUrl, { dbName: db.name, monitorCommands: true }).asPromise();
    const finds: string[] = [];
    monitored.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'find') finds.push(String(e.command.find));
    });
    const reader = await recordTopics([topic], { fromNow: true });
    // Long enough that the nudged round cannot be a round over every outbox come due.
    const idleMs = 15_000;
    const relay = new OutboxRelay({
      connection: monitored,
      kafka: createKafka({ clientId: 'test-relay-nudged', brokers: env.kafkaBrokers, logger }),
      collections: [nudgedName, otherName],
      source: 'test',
      logger,
      idleMs,
    });
    const published = (contactId: string) => (records: { key: string; value: Buffer }[]) =>
      records.some((r) => r.key === patientId && fromBinary(ContactAddedSchema, r.value).contactId === contactId);
    try {
      relay.start();
      await waitUntil(() => (finds.includes(otherName) ? true : undefined), 10_000, 'the first round over every outbox');
      finds.length = 0;
      // Another replica's write (nobody nudges this relay for it), then this replica's own.
      await monitored.collection(otherName).insertOne({ _id: 'other' as never, outbox: [added('other')], [OUTBOX_PENDING]: true });
      await monitored.collection(nudgedName).insertOne({ _id: 'nudged' as never, outbox: [added('nudged')], [OUTBOX_PENDING]: true });
      relay.nudge(nudgedName);
      await reader.waitFor(published('nudged'), 10_000);
      const readsForTheNudge = [...finds];
      // The other replica's event goes out with the next round over every outbox.
      await reader.waitFor(published('other'), idleMs * 3);
      expect(readsForTheNudge).toContain(nudgedName);
      expect(readsForTheNudge).not.toContain(otherName);
      expect(readsForTheNudge).not.toContain(STANDALONE_OUTBOX);
      // Three audit batches: published, then all three removed from the standalone outbox.
      const audits = ['a1', 'a2', 'a3'];
      for (const id of audits) await monitored.collection(STANDALONE_OUTBOX).insertOne({ outbox: [added(id)], createdAt: new Date() });
      relay.nudge(STANDALONE_OUTBOX);
      await reader.waitFor((records) => audits.every((id) => published(id)(records)), 10_000);
      await waitUntil(
        async () => ((await monitored.collection(STANDALONE_OUTBOX).countDocuments()) === 0 ? true : undefined),
        10_000,
        'the outbox emptied',
      );
      expect(await monitored.collection(nudgedName).findOne({ _id: 'nudged' as never })).toMatchObject({
        outbox: [],
        [OUTBOX_PENDING]: false,
      });
    } finally {
      await relay.stop();
      await reader.stop();
      await monitored.close();
    }
  });
  it('publishes the audit of a read straight to Kafka, and keeps it in the outbox while Kafka does not acknowledge', async () => {
    const patientId = `patient-${randomUUID().slice(0, 8)}`;
    const audit = (contactId: string) =>
      outboxEvent(ContactAddedSchema, create(ContactAddedSchema, { contactId, patientId }), { topic, key: patientId });
    const ours = (records: { key: string; value: Buffer }[]) =>
      records.filter((r) => r.key === patientId).map((r) => fromBinary(ContactAddedSchema, r.value).contactId);
    // Each relay's own connection, with the driver reporting what it writes to the standalone outbox.
    const monitored = await mongoose.createConnection(env.mongoUrl, { dbName: db.name, monitorCommands: true }).asPromise();
    const outboxWrites: string[] = [];
    monitored.getClient().on('commandStarted', (e) => {
      if (e.command[e.commandName] === STANDALONE_OUTBOX && ['insert', 'update', 'delete'].includes(e.commandName))
        outboxWrites.push(e.commandName);
    });
    const waiting = () => monitored.collection(STANDALONE_OUTBOX).countDocuments({ 'outbox.key': patientId });
    const reader = await recordTopics([topic], { fromNow: true });
    const up = new OutboxRelay({
      connection: monitored,
      kafka: createKafka({ clientId: 'test-relay-direct', brokers: env.kafkaBrokers, logger }),
      collections: [],
      source: 'test',
      logger,
    });
    // A relay whose Kafka does not answer: nothing listens on port 1.
    const down = new OutboxRelay({
      connection: monitored,
      kafka: createKafka({ clientId: 'test-relay-down', brokers: ['127.0.0.1:1'], logger }),
      collections: [],
      source: 'test',
      logger,
      directTimeoutMs: 500,
      directPauseMs: 60_000,
    });
    try {
      // Kafka up: two concurrent reads' audits are on the topic when they answer, and the outbox saw no write.
      const direct = outboxOf(
        monitored,
        (collection) => up.nudge(collection),
        (events) => up.publishDirect(events),
      );
      await Promise.all([direct.record([audit('read-1')]), direct.record([audit('read-2')])]);
      expect((await reader.waitFor((r) => ours(r).length >= 2, 10_000)).length).toBeGreaterThan(0);
      expect(ours(reader.records).sort()).toEqual(['read-1', 'read-2']);
      expect(outboxWrites).toEqual([]);
      expect(await waiting()).toBe(0);

      // Kafka not acknowledging: the read still answers, its audit kept in the outbox; the next
      // one does not wait on Kafka again (paused), and the relay publishes both once Kafka answers.
      const fallback = outboxOf(
        monitored,
        (collection) => down.nudge(collection),
        (events) => down.publishDirect(events),
      );
      await fallback.record([audit('while-down-1')]);
      const started = Date.now();
      await fallback.record([audit('while-down-2')]);
      expect(Date.now() - started).toBeLessThan(500);
      expect(outboxWrites).toEqual(['insert', 'insert']);
      expect(await waiting()).toBe(2);
      expect(ours(reader.records)).not.toContain('while-down-1');
      await up.publishOnce();
      const records = await reader.waitFor((r) => ours(r).length >= 4, 10_000);
      expect(ours(records).slice(2).sort()).toEqual(['while-down-1', 'while-down-2']);
      expect(await waiting()).toBe(0);
    } finally {
      await up.stop();
      await down.stop();
      await reader.stop();
      await monitored.close();
    }
  });
});

describe('a Kafka client with nothing to send', () => {
  it('lets the process sleep: no timer armed every millisecond, no TimeoutNegativeWarning among the logs', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const producer = createKafka({ clientId: 'test-idle', brokers: env.kafkaBrokers, logger }).producer({ idempotent: true });
    let timers = 0;
    const counting = createHook({
      init: (_id, type) => {
        if (type === 'Timeout') timers++;
      },
    });
    try {
      await producer.connect();
      await producer.send({ topic, messages: [event('before-idle')] });
      // A second idle: kafkajs 2.2.4 on its own armed about a thousand timers in it, per connection.
      counting.enable();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      counting.disable();
      expect(timers).toBeLessThan(20);
      expect(warnings).not.toContain('TimeoutNegativeWarning');
      // And it still sends at once when there is something to send.
      await producer.send({ topic, messages: [event('after-idle')] });
    } finally {
      counting.disable();
      process.off('warning', onWarning);
      await producer.disconnect();
    }
  });
});
