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
