// The transactional outbox without multi-document transactions: an event waits inside the very
// document whose change it reports (an `outbox` array), so the change and the event are written in
// one atomic single-document operation. Events that belong to no document (audit of a read) wait
// in a document of their own in the `outbox` collection.
import { randomUUID } from 'node:crypto';
import { toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import mongoose, { type Connection } from 'mongoose';
import { currentTraceHeaders } from '../telemetry/index.js';

export interface OutboxEntry {
  eventId: string;
  topic: string;
  /** Kafka key: the patient id, so a patient's events stay in order on one partition. */
  key: string;
  type: string;
  payload: Buffer;
  occurredAt: Date;
  trace: Record<string, string>;
}

export const outboxEntrySchema = new mongoose.Schema<OutboxEntry>(
  {
    eventId: { type: String, required: true },
    topic: { type: String, required: true },
    key: { type: String, required: true },
    type: { type: String, required: true },
    payload: { type: Buffer, required: true },
    occurredAt: { type: Date, required: true },
    trace: { type: Object, default: {} },
  },
  { _id: false },
);

/** The field to add to any schema whose changes publish events. */
export const outboxField = { type: [outboxEntrySchema], default: [] };

/** Set while a document has events waiting: the relay finds them through an index, not a scan. */
export const OUTBOX_PENDING = 'outboxPending';

/**
 * Schema plugin for documents that carry an outbox: adds the indexed pending flag and raises it on
 * every write that adds events (create, or an update that pushes to `outbox`), so repositories
 * cannot forget it. The relay lowers it once the outbox is empty.
 */
export function withOutbox(schema: mongoose.Schema): void {
  schema.add({ outbox: outboxField, [OUTBOX_PENDING]: { type: Boolean, default: false } });
  schema.index({ [OUTBOX_PENDING]: 1 });
  schema.pre('save', function () {
    const outbox = this.get('outbox') as unknown[] | undefined;
    if (outbox && outbox.length > 0) this.set(OUTBOX_PENDING, true);
  });
  for (const operation of ['findOneAndUpdate', 'updateOne'] as const) {
    schema.pre(operation, function () {
      const update = this.getUpdate() as { $push?: Record<string, unknown>; $set?: Record<string, unknown> } | null;
      if (update?.$push?.outbox) this.setUpdate({ ...update, $set: { ...update.$set, [OUTBOX_PENDING]: true } });
    });
  }
}

/** Builds the pending event for a change, carrying the current trace context with it. */
export function outboxEvent<D extends DescMessage>(
  schema: D,
  message: MessageShape<D>,
  target: { topic: string; key: string; occurredAt?: Date },
): OutboxEntry {
  return {
    eventId: randomUUID(),
    topic: target.topic,
    key: target.key,
    type: schema.typeName,
    payload: Buffer.from(toBinary(schema, message)),
    occurredAt: target.occurredAt ?? new Date(),
    trace: currentTraceHeaders(),
  };
}

export const STANDALONE_OUTBOX = 'outbox';

/** Queues events that report no document change of their own (e.g. the audit of a read). */
export async function recordStandaloneEvents(connection: Connection, events: OutboxEntry[]): Promise<void> {
  if (events.length === 0) return;
  await connection.collection(STANDALONE_OUTBOX).insertOne({ outbox: events, createdAt: new Date() });
}
