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

/** Collects every record of the topics (from the beginning) into `records`, until stopped. */
export async function recordTopics(topics: string[]): Promise<{
  records: TopicRecord[];
  stop(): Promise<void>;
  waitFor(predicate: (r: TopicRecord[]) => boolean, timeoutMs?: number): Promise<TopicRecord[]>;
}> {
  const consumer: Consumer = testKafka().consumer({
    groupId: `test-reader-${randomUUID()}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const records: TopicRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  // A rebalance can hand the reader a message again: keep each record (topic, partition, offset) once.
  const seen = new Set<string>();
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const id = `${topic}/${partition}/${message.offset}`;
      if (seen.has(id)) return;
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
  return {
    records,
    stop: () => consumer.disconnect(),
    waitFor: (predicate, timeoutMs = 30_000) => waitUntil(() => (predicate(records) ? records : undefined), timeoutMs, 'Kafka records'),
  };
}

export async function waitUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
