// Reads what really reached a Kafka topic, for assertions on events.
import { randomUUID } from 'node:crypto';
import { headersAsStrings } from '@portico/kit/eventing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { env } from './environment.js';

export interface TopicRecord {
  topic: string;
  partition: number;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  offset: string;
}

export const testKafka = () =>
  new Kafka({ clientId: `test-${randomUUID().slice(0, 8)}`, brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });

/**
 * Collects every record of the topics into `records`, until stopped: from the beginning, or with
 * `fromNow` from each partition's end when called (a test that only looks for what it causes
 * need not read the whole history a busy machine's topic has kept).
 */
export async function recordTopics(
  topics: string[],
  options: { fromNow?: boolean } = {},
): Promise<{
  records: TopicRecord[];
  stop(): Promise<void>;
  waitFor(predicate: (r: TopicRecord[]) => boolean, timeoutMs?: number): Promise<TopicRecord[]>;
  /** Resolves once the reader has seen everything the topics held when it was called. */
  caughtUp(timeoutMs?: number): Promise<TopicRecord[]>;
}> {
  const consumer: Consumer = testKafka().consumer({
    groupId: `test-reader-${randomUUID()}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const records: TopicRecord[] = [];
  const ends = options.fromNow ? await topicEnd(topics) : [];
  // With fromNow, a partition's end when called: where the reader begins on it.
  const fromNowEnd = (topic: string, partition: number) => ends.find((e) => e.topic === topic && e.partition === partition)?.high;
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  // A rebalance can hand the reader a message again: keep each record (topic, partition, offset) once.
  const seen = new Set<string>();
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const id = `${topic}/${partition}/${message.offset}`;
      if (seen.has(id)) return;
      // Before the seek below takes hold, the reader may fetch from the beginning: not ours.
      if (Number(message.offset) < (fromNowEnd(topic, partition) ?? 0)) return;
      seen.add(id);
      records.push({
        topic,
        partition,
        key: message.key?.toString() ?? '',
        value: message.value ?? Buffer.alloc(0),
        headers: headersAsStrings(message.headers),
        offset: message.offset,
      });
    },
  });
  // kafkajs keeps a seek made before the partitions are assigned and applies it when they are.
  // Right after run() the group may not exist yet ("consumer#run must be called first"): try again.
  for (const { topic, partition, high } of ends) {
    await waitUntil(
      () => {
        try {
          consumer.seek({ topic, partition, offset: String(high) });
          return true;
        } catch (error) {
          if (/not initialized/i.test((error as Error).message)) return undefined;
          throw error;
        }
      },
      10_000,
      'the Kafka reader to start',
    );
  }
  const lastSeen = (topic: string, partition: number) =>
    records.reduce((max, r) => (r.topic === topic && r.partition === partition ? Math.max(max, Number(r.offset)) : max), -1);
  // Where the reader began on a partition: its end when called (fromNow), else its beginning.
  const startedAt = (topic: string, partition: number, low: number) => fromNowEnd(topic, partition) ?? low;
  return {
    records,
    stop: () => consumer.disconnect(),
    waitFor: (predicate, timeoutMs = 30_000) => waitUntil(() => (predicate(records) ? records : undefined), timeoutMs, 'Kafka records'),
    async caughtUp(timeoutMs = 30_000) {
      const end = await topicEnd(topics);
      await waitUntil(
        () =>
          end.every(
            ({ topic, partition, low, high }) => high <= startedAt(topic, partition, low) || lastSeen(topic, partition) >= high - 1,
          ) || undefined,
        timeoutMs,
        `the reader to reach the end of ${topics.join(', ')}`,
      );
      return records;
    },
  };
}

/** Each partition's end (the offset the next record will get) of the topics, as of now. */
export async function topicEnd(topics: string[]): Promise<{ topic: string; partition: number; low: number; high: number }[]> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const ends = await Promise.all(
      topics.map(async (topic) =>
        (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, partition: p.partition, low: Number(p.low), high: Number(p.high) })),
      ),
    );
    return ends.flat();
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until a consumer group has committed every record the topics hold now: after that, a
 * count of what its handlers did is final (nothing more is on its way), without a fixed sleep.
 */
export async function groupCaughtUp(groupId: string, topics: string[], timeoutMs = 30_000): Promise<void> {
  const end = await topicEnd(topics);
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await waitUntil(
      async () => {
        const committed = await admin.fetchOffsets({ groupId, topics });
        const at = (topic: string, partition: number) =>
          Number(committed.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
        return end.every(({ topic, partition, low, high }) => high === low || at(topic, partition) >= high) || undefined;
      },
      timeoutMs,
      `consumer group ${groupId} to reach the end of ${topics.join(', ')}`,
      200,
    );
  } finally {
    await admin.disconnect();
  }
}

/** Asks `probe` until it gives something (not undefined, null or false), or fails after `timeoutMs`. */
export async function waitUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
