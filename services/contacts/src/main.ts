// The contacts service: a patient's third-party contacts, behind gRPC, publishing its facts to Kafka.
import { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { createKafka, OutboxRelay, recordStandaloneEvents } from '@portico/kit/eventing';
import { registration, startGrpcServer } from '@portico/kit/grpc';
import { createTokenVerifier } from '@portico/kit/identity';
import { isMainModule, Lifecycle } from '@portico/kit/lifecycle';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, isMongoHealthy } from '@portico/kit/mongo';
import { loadContactsConfig, type ContactsConfig } from './config.js';
import { contactsHandlers } from './grpc/contacts-handlers.js';
import { CONTACTS_COLLECTION } from './store/contact-model.js';
import { ContactRepository } from './store/contact-repository.js';

export async function startContactsService(config: ContactsConfig) {
  const logger = createLogger('contacts', config.LOG_LEVEL);
  const lifecycle = new Lifecycle(logger);

  const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, logger });
  lifecycle.onShutdown('mongo', () => connection.close());
  const repository = new ContactRepository(connection);
  await repository.init();

  const kafka = createKafka({ clientId: config.KAFKA_CLIENT_ID, brokers: config.KAFKA_BROKERS, logger });
  const relay = new OutboxRelay({
    connection,
    kafka,
    collections: [CONTACTS_COLLECTION],
    source: 'portico/contacts',
    logger,
    onPublished: (events) => logger.debug({ count: events.length }, 'events published'),
  });
  relay.start();
  lifecycle.onShutdown('outbox relay', () => relay.stop());

  const verify = createTokenVerifier({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    ...(config.OIDC_JWKS_URL ? { jwksUrl: config.OIDC_JWKS_URL } : {}),
  });
  const handlers = contactsHandlers({
    repository,
    verify,
    recordEvents: (events) => recordStandaloneEvents(connection, events),
    nudgeRelay: () => relay.nudge(),
  });

  // Kafka being down does not make the service unready: changes wait in the outbox.
  const grpc = await startGrpcServer({
    port: config.GRPC_PORT,
    host: config.GRPC_HOST,
    services: [registration(ContactsService, handlers)],
    dependencies: [{ name: 'mongodb', healthy: () => isMongoHealthy(connection) }],
    logger,
  });
  lifecycle.onShutdown('gRPC server', () => grpc.shutdown(config.SHUTDOWN_GRACE_MS));

  return { grpc, relay, connection, lifecycle, logger };
}

if (isMainModule(import.meta.url)) {
  const config = loadContactsConfig();
  const service = await startContactsService(config);
  service.lifecycle.handleSignals(config.SHUTDOWN_GRACE_MS);
}
