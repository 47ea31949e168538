export {
  outboxEvent,
  outboxField,
  outboxEntrySchema,
  recordStandaloneEvents,
  STANDALONE_OUTBOX,
  OUTBOX_PENDING,
  withOutbox,
} from './outbox.js';
export type { OutboxEntry } from './outbox.js';
export { OutboxRelay } from './relay.js';
export type { RelayOptions } from './relay.js';
export { EventConsumer, on } from './consumer.js';
export type { EventHandler, ConsumerOptions, ConsumerStart } from './consumer.js';
export { cloudEventHeaders, readEnvelope, headersAsStrings, PoisonMessageError, CONTENT_TYPE } from './envelope.js';
export type { ReceivedEvent, EnvelopeFields } from './envelope.js';
export { createKafka, deadLetterTopic } from './kafka.js';
