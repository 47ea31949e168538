// The auth service: users as Portico sees them, invitations and their welcome emails, guardian
// links and the organisation profile, behind gRPC, publishing its facts to Kafka.
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { createKafka, OutboxRelay, recordStandaloneEvents } from '@portico/kit/eventing';
import { registration, startGrpcServer } from '@portico/kit/grpc';
import { createTokenVerifier } from '@portico/kit/identity';
import { isMainModule, Lifecycle } from '@portico/kit/lifecycle';
import { createLogger } from '@portico/kit/logging';
import { createMailer } from '@portico/kit/mail';
import { connectMongo, isMongoHealthy } from '@portico/kit/mongo';
import { ObjectStore } from '@portico/kit/objects';
import { loadAuthConfig, type AuthConfig } from './config.js';
import { systemClock, type Clock } from './domain/invitation.js';
import { MAX_UPLOAD_BYTES } from './domain/uploads.js';
import { authHandlers } from './grpc/auth-handlers.js';
import { InvitationExpirySweeper } from './invitations/expiry-sweeper.js';
import { KeycloakAdmin } from './keycloak/keycloak-admin.js';
import { welcomeMailer } from './mail/welcome-mailer.js';
import { GUARDIAN_LINKS_COLLECTION } from './store/guardian-links-model.js';
import { GuardianLinksRepository } from './store/guardian-links-repository.js';
import { INVITATIONS_COLLECTION } from './store/invitation-model.js';
import { InvitationRepository } from './store/invitation-repository.js';
import { ORGANISATIONS_COLLECTION } from './store/organisation-model.js';
import { OrganisationRepository } from './store/organisation-repository.js';

export interface AuthServiceOptions {
  /** Tests move time forward to prove expiry; production uses the system clock. */
  clock?: Clock;
  /** Tests capture the log stream to prove what it never contains. */
  logDestination?: Parameters<typeof createLogger>[2];
}

export async function startAuthService(config: AuthConfig, options: AuthServiceOptions = {}) {
  const logger = createLogger('auth', config.LOG_LEVEL, options.logDestination);
  const lifecycle = new Lifecycle(logger);
  const clock = options.clock ?? systemClock;

  const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, logger });
  lifecycle.onShutdown('mongo', () => connection.close());
  const organisations = new OrganisationRepository(connection);
  const invitations = new InvitationRepository(connection);
  const guardianLinks = new GuardianLinksRepository(connection);
  await Promise.all([organisations.init(), invitations.init(), guardianLinks.init()]);

  const objects = new ObjectStore({
    endpoint: config.S3_ENDPOINT,
    accessKey: config.S3_ACCESS_KEY,
    secretKey: config.S3_SECRET_KEY,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    logger,
  });
  await objects.ensureBucket();
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
  lifecycle.onShutdown('mailer', () => mailer.close());
  const keycloak = new KeycloakAdmin({
    baseUrl: config.KEYCLOAK_URL,
    realm: config.KEYCLOAK_REALM,
    clientId: config.KEYCLOAK_CLIENT_ID,
    clientSecret: config.KEYCLOAK_CLIENT_SECRET,
    logger,
  });

  const kafka = createKafka({ clientId: config.KAFKA_CLIENT_ID, brokers: config.KAFKA_BROKERS, logger });
  const relay = new OutboxRelay({
    connection,
    kafka,
    collections: [INVITATIONS_COLLECTION, ORGANISATIONS_COLLECTION, GUARDIAN_LINKS_COLLECTION],
    source: 'portico/auth',
    logger,
    onPublished: (events) => logger.debug({ count: events.length }, 'events published'),
  });
  relay.start();
  lifecycle.onShutdown('outbox relay', () => relay.stop());

  const sweeper = new InvitationExpirySweeper({
    invitations,
    keycloak,
    clock,
    logger,
    intervalMs: config.INVITATION_SWEEP_INTERVAL_MS,
    nudgeRelay: () => relay.nudge(),
  });
  sweeper.start();
  lifecycle.onShutdown('invitation sweeper', () => sweeper.stop());

  const verify = createTokenVerifier({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    ...(config.OIDC_JWKS_URL ? { jwksUrl: config.OIDC_JWKS_URL } : {}),
  });
  const handlers = authHandlers({
    verify,
    organisations,
    invitations,
    guardianLinks,
    objects,
    keycloak,
    welcome: welcomeMailer({ mailer, objects, logger }),
    clock,
    logger,
    recordEvents: (events) => recordStandaloneEvents(connection, events),
    nudgeRelay: () => relay.nudge(),
  });

  // Keycloak, the object store and SMTP being down fail only the calls that need them
  // (UNAVAILABLE); reading the profile still works, so only MongoDB decides readiness.
  const grpc = await startGrpcServer({
    port: config.GRPC_PORT,
    host: config.GRPC_HOST,
    services: [registration(AuthService, handlers)],
    dependencies: [{ name: 'mongodb', healthy: () => isMongoHealthy(connection) }],
    logger,
    // An upload arrives in one message: the file plus a little framing.
    maxReceiveMessageBytes: MAX_UPLOAD_BYTES + 64 * 1024,
  });
  lifecycle.onShutdown('gRPC server', () => grpc.shutdown(config.SHUTDOWN_GRACE_MS));

  return { grpc, relay, sweeper, connection, objects, lifecycle, logger };
}

if (isMainModule(import.meta.url)) {
  const config = loadAuthConfig();
  const service = await startAuthService(config);
  service.lifecycle.handleSignals(config.SHUTDOWN_GRACE_MS);
}
