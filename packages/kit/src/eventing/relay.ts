// Publishes what waits in the outboxes to Kafka, then removes what the brokers acknowledged.
// Idempotent producer, acks from all in-sync replicas. A crash between publishing and removing
// republishes those events on the next round: delivery is at least once, and consumers are
// idempotent by event id. While Kafka is down the events simply wait and the relay backs off.
// Events with no document of their own (the audit of a read) are first offered to Kafka straight
// away (`publishDirect`); only what Kafka does not acknowledge soon enough waits in the outbox.
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { Kafka, Message, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { periodicJob, type PeriodicJob } from '../jobs/index.js';
import { withDocumentLock } from '../mongo/document-locks.js';
import { meter } from '../telemetry/index.js';
import { cloudEventHeaders } from './envelope.js';
import { OUTBOX_PENDING, STANDALONE_OUTBOX, type OutboxEntry } from './outbox.js';

export interface RelayOptions {
  connection: Connection;
  kafka: Kafka;
  /** Collections whose documents carry an `outbox` array; the standalone outbox is always added. */
  collections: string[];
  /** CloudEvents source, e.g. portico/contacts. */
  source: string;
  logger: Logger;
  batchSize?: number;
  idleMs?: number;
  /** Told after Kafka acknowledged a batch and before the batch leaves the outbox. */
  onPublished?: (events: OutboxEntry[]) => void;
  /** How long a direct publish may wait for Kafka's acknowledgement before the outbox takes it. */
  directTimeoutMs?: number;
  /** After a direct publish failed, how long events go to the outbox without trying Kafka first. */
  directPauseMs?: number;
}

type PendingDocument = { _id: unknown; outbox: OutboxEntry[] };

const published = meter('portico.eventing').createCounter('portico_events_published_total', {
  description: 'Events the outbox relay published to Kafka',
});

export class OutboxRelay {
  /** The producer, connected or connecting: one for the relay's rounds and direct publishes alike. */
  private producer: Promise<Producer> | undefined;
  /**
   * Sends go one after another: the idempotent producer numbers each partition's batches, and two
   * batches in flight at once (a round and a direct publish) could reach the broker out of turn.
   */
  private sending: Promise<unknown> = Promise.resolve();
  private directPausedUntil = 0;
  private stopped = false;
  private readonly job: PeriodicJob;
  private readonly idleMs: number;
  private readonly allCollections: string[];
  /** Collections written to since the last round looked at them: a nudged round reads only these. */
  private readonly nudged = new Set<string>();
  /** When the last round over every outbox began; -Infinity makes the next one such a round. */
  private lastFullRound = -Infinity;

  constructor(private readonly options: RelayOptions) {
    this.idleMs = options.idleMs ?? 1_000;
    this.allCollections = [...options.collections, STANDALONE_OUTBOX];
    this.job = periodicJob({
      name: 'outbox relay',
      // Writers nudge the relay, so the idle poll only catches what another replica left behind.
      intervalMs: this.idleMs,
      logger: options.logger,
      run: async () => (await this.round()) > 0,
      backoffMs: (failures) => Math.min(5_000, 200 * 2 ** Math.min(failures, 5)),
      onFailure: async () => {
        // What the failed round had taken off the nudged list is looked for again, everywhere.
        this.lastFullRound = -Infinity;
        await this.dropProducer();
      },
    });
  }

  start(): void {
    this.job.start();
  }

  /**
   * Asks the relay to look now instead of at its next idle tick (after a write): at `collection`
   * only when named. Under load every audited read nudges, and a round reading each of a service's
   * outboxes per nudge cost the database more than the reads themselves.
   */
  nudge(collection?: string): void {
    if (collection) this.nudged.add(collection);
    else this.lastFullRound = -Infinity;
    this.job.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.job.stop();
    await this.dropProducer();
  }

  /**
   * Publishes events that belong to no document (the audit of a read) at once, acknowledged by
   * every in-sync replica, so they need no outbox write, no relay read and no removal: on the read
   * path that was most of the database's work. Rejects when Kafka has not acknowledged within
   * `directTimeoutMs`, and at once for `directPauseMs` after such a failure, so a Kafka outage
   * costs a read one wait, not one per read: the caller then keeps the events in the outbox, which
   * the relay publishes once Kafka is back. A send that outlived its wait may still land as well:
   * delivery stays at least once, and consumers are idempotent by event id.
   */
  async publishDirect(entries: OutboxEntry[]): Promise<void> {
    if (this.stopped) throw new Error('the relay has stopped');
    if (Date.now() < this.directPausedUntil) throw new Error('Kafka did not acknowledge recently');
    const timeoutMs = this.options.directTimeoutMs ?? 1_000;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Kafka did not acknowledge within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.send(entries), expired]);
    } catch (error) {
      this.directPausedUntil = Date.now() + (this.options.directPauseMs ?? 5_000);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One round of the job: every outbox when that is due — at start, after a failed round, and at
   * least once per idle interval, since another replica's writes nudge only that replica — else
   * the nudged ones.
   */
  private async round(): Promise<number> {
    const now = Date.now();
    let names: string[];
    if (now - this.lastFullRound >= this.idleMs) {
      this.lastFullRound = now;
      names = this.allCollections;
    } else names = this.allCollections.filter((name) => this.nudged.has(name));
    this.nudged.clear();
    return this.publishFrom(names);
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      const connecting = producer.connect().then(() => producer);
      this.producer = connecting;
      // A failed connection is not kept: the next send connects again.
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = undefined;
      });
    }
    return this.producer;
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.then((connected) => connected.disconnect()).catch(() => {});
  }

  /**
   * Sends one batch when the sends before it are done, acknowledged by every in-sync replica, and
   * counts it published (before a round removes it from its outbox).
   */
  private send(entries: OutboxEntry[]): Promise<unknown> {
    const sent = this.sending.then(async () => {
      await (await this.connectedProducer()).sendBatch({ acks: -1, topicMessages: this.toTopicMessages(entries) });
      this.options.onPublished?.(entries);
      published.add(entries.length);
    });
    this.sending = sent.catch(() => {});
    return sent;
  }

  /** One round over every outbox; returns how many events it published. */
  publishOnce(): Promise<number> {
    return this.publishFrom(this.allCollections);
  }

  private async publishFrom(names: string[]): Promise<number> {
    const { connection } = this.options;
    const batchSize = this.options.batchSize ?? 100;
    let total = 0;
    for (const name of names) {
      const collection = connection.collection<PendingDocument>(name);
      const documents = await collection
        .find(name === STANDALONE_OUTBOX ? {} : { [OUTBOX_PENDING]: true }, { projection: { outbox: 1 }, limit: batchSize })
        .toArray();
      if (documents.length === 0) continue;
      // A full batch may have more behind it: the next round (at once, since this one published) reads it again.
      if (documents.length === batchSize) this.nudged.add(name);
      // Several documents may hold events of one patient (two contacts changed one after the
      // other): publish in the order they happened, not the order the documents were found, so a
      // patient's events keep their order on the partition their key picks. The sort is stable:
      // events of one instant keep their order within their document.
      const entries = documents
        .flatMap((d) => d.outbox)
        .sort((a, b) => new Date(a.occurredAt).getTime() - new Date(b.occurredAt).getTime());
      await this.send(entries);
      if (name === STANDALONE_OUTBOX) await collection.deleteMany({ _id: { $in: documents.map((d) => d._id) } } as never);
      else
        for (const document of documents) {
          // $pullAll of the exact entries read: events appended meanwhile stay. (A $pull by condition
          // would read better, but FerretDB's $pull matches whole values only.)
          await withDocumentLock(name, document._id, async () => {
            await collection.updateOne({ _id: document._id } as never, { $pullAll: { outbox: document.outbox } } as never);
            // Lowered only when nothing arrived meanwhile; a later write raises it again.
            await collection.updateOne(
              { _id: document._id, outbox: { $size: 0 } } as never,
              { $set: { [OUTBOX_PENDING]: false } } as never,
            );
          });
        }
      total += entries.length;
    }
    return total;
  }

  private toTopicMessages(entries: OutboxEntry[]): { topic: string; messages: Message[] }[] {
    const byTopic = new Map<string, Message[]>();
    const tracer = trace.getTracer('portico.eventing');
    for (const entry of entries) {
      // The publish span continues the trace of the request that caused the event.
      const parent = propagation.extract(ROOT_CONTEXT, entry.trace ?? {});
      const span = tracer.startSpan(
        `${entry.topic} publish`,
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': entry.topic, 'messaging.message.id': entry.eventId },
        },
        parent,
      );
      const traceHeaders: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), traceHeaders);
      span.end();
      const message: Message = {
        key: entry.key,
        value: payloadBytes(entry.payload),
        headers: cloudEventHeaders({
          id: entry.eventId,
          type: entry.type,
          source: this.options.source,
          time: new Date(entry.occurredAt),
          trace: traceHeaders,
        }),
      };
      byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), message]);
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }
}

/** Read through the native driver a payload is a BSON Binary, through mongoose a Buffer. */
function payloadBytes(payload: unknown): Buffer {
  if (Buffer.isBuffer(payload)) return payload;
  const binary = payload as { buffer?: Uint8Array };
  if (binary?.buffer instanceof Uint8Array) return Buffer.from(binary.buffer);
  throw new Error('outbox entry without a payload');
}
