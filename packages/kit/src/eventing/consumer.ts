// Idempotent consumers: each event id is processed at most once per consumer group (ids kept in
// the consumer's own database), failures are retried with backoff, and a message that still
// fails, or can never be read, is parked on the topic's dead-letter topic so the partition moves on.
import { fromBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { withRetry } from '../lifecycle/index.js';
import { meter, SpanKind, withSpanFromHeaders } from '../telemetry/index.js';
import { PoisonMessageError, readEnvelope, type ReceivedEvent } from './envelope.js';
import { deadLetterTopic } from './kafka.js';

export interface EventHandler {
  schema: DescMessage;
  handle(event: unknown, envelope: ReceivedEvent): Promise<void>;
}

/** Pairs an event type with what to do with it. */
export function on<D extends DescMessage>(
  schema: D,
  handle: (event: MessageShape<D>, envelope: ReceivedEvent) => Promise<void>,
): EventHandler {
  return { schema, handle: handle as EventHandler['handle'] };
}

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Where the processed event ids are kept. */
  connection: Connection;
  handlers: EventHandler[];
  logger: Logger;
  retry?: { attempts?: number; initialMs?: number; maxMs?: number };
  /**
   * Where a consumer group that has never read the topics begins: `earliest` (the default, every
   * record the topics still hold), `latest` (what is published from now on), or an ISO instant.
   * A group that has a position keeps it.
   */
  startAt?: ConsumerStart;
}

export type ConsumerStart = 'earliest' | 'latest' | (string & {});

/** Places a group that never read `topics` at `start` before it joins, so it misses nothing after that point. */
async function placeNewGroup(kafka: Kafka, groupId: string, topics: string[], start: ConsumerStart): Promise<void> {
  if (start === 'earliest') return; // a new group reads from the beginning by itself
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics });
    if (committed.some((topic) => topic.partitions.some((p) => Number(p.offset) >= 0))) return;
    for (const topic of topics) {
      const partitions =
        start === 'latest'
          ? (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }))
          : await admin.fetchTopicOffsetsByTimestamp(topic, Date.parse(start));
      await admin.setOffsets({ groupId, topic, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}

const consumed = meter('portico.eventing').createCounter('portico_events_consumed_total', { description: 'Events consumed, by outcome' });
const PROCESSED = 'processed_events';

export class EventConsumer {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private readonly handlers: Map<string, EventHandler>;

  constructor(private readonly options: ConsumerOptions) {
    this.handlers = new Map(options.handlers.map((h) => [h.schema.typeName, h]));
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics, logger } = this.options;
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
    });
    // A new Kafka cluster answers group requests with retriable errors (not the coordinator, the
    // coordinator loading) until its offsets topic is ready — seen on a fresh local broker when
    // the first services start: those are tried again, anything else fails the start at once.
    await withRetry(() => placeNewGroup(kafka, groupId, topics, this.options.startAt ?? 'earliest'), {
      attempts: 8,
      initialMs: 250,
      retryIf: (error) => (error as { retriable?: boolean }).retriable === true,
      onRetry: (error, attempt) =>
        logger.info({ attempt, reason: (error as Error).name }, 'consumer group not placeable yet; trying again'),
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        let envelope: ReceivedEvent;
        try {
          envelope = readEnvelope(message, topic, partition);
        } catch (error) {
          await this.park(topic, message.key, message.value, message.headers ?? {}, error);
          return;
        }
        await withSpanFromHeaders('portico.eventing', `${topic} process`, envelope.headers, SpanKind.CONSUMER, () =>
          this.process(envelope, message.headers ?? {}),
        );
      },
    });
    logger.info({ groupId, topics }, 'consumer started');
  }

  private async process(envelope: ReceivedEvent, rawHeaders: Record<string, unknown>): Promise<void> {
    const { groupId, connection, logger } = this.options;
    const processed = connection.collection<{ _id: string }>(PROCESSED);
    const marker = `${groupId}|${envelope.id}`;
    if (await processed.findOne({ _id: marker })) {
      consumed.add(1, { outcome: 'duplicate' });
      return;
    }
    const handler = this.handlers.get(envelope.type);
    if (handler) {
      let event: unknown;
      try {
        event = fromBinary(handler.schema, envelope.payload);
      } catch {
        await this.park(
          envelope.topic,
          envelope.key,
          envelope.payload,
          rawHeaders,
          new PoisonMessageError(`payload is not a valid ${envelope.type}`),
        );
        return;
      }
      const retry = this.options.retry ?? {};
      try {
        await withRetry(() => handler.handle(event, envelope), {
          attempts: retry.attempts ?? 5,
          initialMs: retry.initialMs ?? 200,
          maxMs: retry.maxMs ?? 5_000,
          onRetry: (error, attempt) =>
            logger.warn(
              { eventId: envelope.id, type: envelope.type, attempt, error: (error as Error).name },
              'event handler failed, retrying',
            ),
        });
      } catch (error) {
        await this.park(envelope.topic, envelope.key, envelope.payload, rawHeaders, error);
        return;
      }
    }
    await processed.insertOne({ _id: marker, processedAt: new Date() } as never).catch((error: { code?: number }) => {
      if (error.code !== 11000) throw error;
    });
    consumed.add(1, { outcome: handler ? 'processed' : 'ignored' });
  }

  /** Parks a message on the dead-letter topic with why, where it came from, and its original headers. */
  private async park(
    topic: string,
    key: Buffer | string | null | undefined,
    value: Buffer | null | undefined,
    headers: Record<string, unknown>,
    error: unknown,
  ): Promise<void> {
    const reason = error instanceof PoisonMessageError ? error.message : `handler failed: ${(error as Error)?.name ?? 'Error'}`;
    this.options.logger.error({ topic, reason }, 'parking message on the dead-letter topic');
    await this.producer!.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [
        {
          key: key ?? null,
          value: value ?? null,
          headers: {
            ...(headers as Record<string, string>),
            'x-dlq-reason': reason,
            'x-dlq-original-topic': topic,
            'x-dlq-consumer-group': this.options.groupId,
          },
        },
      ],
    });
    consumed.add(1, { outcome: 'dead-lettered' });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => {});
    await this.producer?.disconnect().catch(() => {});
  }
}
