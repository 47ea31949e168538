// The CloudEvents Kafka binding (binary mode) used by every Portico event: ce_* headers, a
// protobuf payload, the patient id as key, and the W3C trace context beside them.
import type { IHeaders, KafkaMessage } from 'kafkajs';

export const CONTENT_TYPE = 'application/protobuf';

export interface EnvelopeFields {
  id: string;
  /** The payload's protobuf full name, e.g. portico.events.contacts.v1.ContactAdded. */
  type: string;
  /** The producing service, e.g. portico/contacts. */
  source: string;
  time: Date;
  /** W3C trace context (traceparent, tracestate) of the change that caused the event. */
  trace?: Record<string, string>;
}

export function cloudEventHeaders(fields: EnvelopeFields): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: fields.id,
    ce_type: fields.type,
    ce_source: fields.source,
    ce_time: fields.time.toISOString(),
    'content-type': CONTENT_TYPE,
    ...(fields.trace ?? {}),
  };
}

export interface ReceivedEvent {
  id: string;
  type: string;
  source: string;
  time: Date;
  key: string;
  payload: Buffer;
  headers: Record<string, string>;
  topic: string;
  partition: number;
  offset: string;
}

/** A message that can never be processed, whatever the retries: it goes to the dead-letter topic. */
export class PoisonMessageError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PoisonMessageError';
  }
}

export function headersAsStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

export function readEnvelope(message: KafkaMessage, topic: string, partition: number): ReceivedEvent {
  const headers = headersAsStrings(message.headers);
  for (const required of ['ce_id', 'ce_type', 'ce_source', 'ce_time']) {
    if (!headers[required]) throw new PoisonMessageError(`missing header ${required}`);
  }
  if (headers['content-type'] !== CONTENT_TYPE)
    throw new PoisonMessageError(`unexpected content-type ${headers['content-type'] ?? '(none)'}`);
  if (!message.value) throw new PoisonMessageError('empty payload');
  return {
    id: headers.ce_id!,
    type: headers.ce_type!,
    source: headers.ce_source!,
    time: new Date(headers.ce_time!),
    key: message.key?.toString() ?? '',
    payload: message.value,
    headers,
    topic,
    partition,
    offset: message.offset,
  };
}
