// The service runtime: one call starts a Portico service from its config, the same way for every
// service — logger, lifecycle and signals, MongoDB, Kafka and the outbox relay over the
// collections the service names, the token verifier, the gRPC server whose health follows its
// dependencies, background jobs, and telemetry flushed at shutdown. A service hands it its
// repositories, handlers and jobs (its main.ts is a table of contents); defineService makes the
// one descriptor every service package exports, so a harness can start any set of them.
import type { Kafka } from 'kafkajs';
import type { DestinationStream } from 'pino';
import type { z } from 'zod';
import { loadConfigOrExit, type serviceEnv } from '../config/index.js';
import { systemClock, type Clock } from '../domain/index.js';
import type { EventConsumer } from '../eventing/consumer.js';
import { createKafka } from '../eventing/kafka.js';
import { OutboxRelay } from '../eventing/relay.js';
import type { ErrorTranslation } from '../grpc/errors.js';
import { startGrpcServer, type DependencyCheck, type PorticoGrpcServer, type ServiceRegistration } from '../grpc/server.js';
import { createTokenVerifier, type TokenVerifier } from '../identity/token-verifier.js';
import type { PeriodicJob } from '../jobs/index.js';
import { Lifecycle } from '../lifecycle/index.js';
import { createLogger, type Logger } from '../logging/index.js';
import { connectMongo, isMongoHealthy, type Connection } from '../mongo/index.js';
import { noPatientDirectory, type PatientDirectory } from '../requests/index.js';
import { outboxOf, type Outbox, type Store } from '../store/index.js';
import { flushTelemetryAtShutdown } from '../telemetry/index.js';

/** The variables the runtime reads: every service's (serviceEnv) plus its database and Kafka client names. */
export type ServiceConfig = z.output<typeof serviceEnv> & { MONGO_DB: string; KAFKA_CLIENT_ID: string };

/** How a harness or a test may start a service differently from production. */
export interface StartOptions {
  /** Where log lines go (a test captures them to prove what they never contain); stdout otherwise. */
  logDestination?: DestinationStream;
  /** Tells the time; tests move it forward to prove expiry. */
  clock?: Clock;
}

/** What the runtime has set up when the service's own setup runs. */
export interface Platform<C extends ServiceConfig = ServiceConfig> {
  name: string;
  config: C;
  logger: Logger;
  lifecycle: Lifecycle;
  connection: Connection;
  kafka: Kafka;
  /** What repositories are built from: the database and the outbox. */
  store: Store;
  outbox: Outbox;
  verify: TokenVerifier;
  clock: Clock;
}

/** What a service adds: its gRPC handlers, and optionally jobs, more dependencies, error translations. */
export interface ServiceParts<X> {
  grpc: ServiceRegistration[];
  /** Started once the service is set up, stopped after the gRPC server at shutdown. */
  jobs?: PeriodicJob[];
  /** Event consumers: started once the service is set up, stopped after the gRPC server at shutdown. */
  consumers?: EventConsumer[];
  /** Besides MongoDB, what decides whether the service answers SERVING. */
  dependencies?: DependencyCheck[];
  /** The service's own errors the bridge should answer with a status (before the kit's table). */
  errors?: ErrorTranslation[];
  /** Where authorisePatient looks patients up; none yet (see requests/PatientDirectory). */
  patients?: PatientDirectory;
  /** Largest request accepted; 4 MiB unless the service takes uploads in one message. */
  maxReceiveMessageBytes?: number;
  /** HTTP/2 receive window per call (bytes), for a service that takes files as client streams. */
  receiveWindowBytes?: number;
  /** Anything else the running service should expose to tests and tools. */
  exports?: X;
}

/** A service the runtime started. */
export interface RunningService {
  name: string;
  grpc: PorticoGrpcServer;
  lifecycle: Lifecycle;
  logger: Logger;
  connection: Connection;
  relay: OutboxRelay;
  jobs: PeriodicJob[];
  consumers: EventConsumer[];
}

export interface ServiceSpec<C extends ServiceConfig> {
  /** In the operator's words: `contacts`; it names the logs and the events' source (portico/<name>). */
  name: string;
  config: C;
  options?: StartOptions;
  /** Collections whose documents carry an outbox; the standalone outbox is always relayed too. */
  outbox: string[];
}

export async function startService<C extends ServiceConfig, X extends object = object>(
  spec: ServiceSpec<C>,
  setup: (platform: Platform<C>) => Promise<ServiceParts<X>> | ServiceParts<X>,
): Promise<RunningService & X> {
  const { name, config, options = {} } = spec;
  const logger = createLogger(name, config.LOG_LEVEL, options.logDestination);
  const lifecycle = new Lifecycle(logger);
  // Registered first so it runs last: the spans and metrics of the shutdown itself are sent too.
  lifecycle.onShutdown('telemetry', () => flushTelemetryAtShutdown());

  // Whatever was opened before a failure (the database, the relay) is closed again, so a service
  // that cannot start leaves nothing running behind it.
  try {
    const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, logger });
    lifecycle.onShutdown('mongo', () => connection.close());
    const kafka = createKafka({ clientId: config.KAFKA_CLIENT_ID, brokers: config.KAFKA_BROKERS, logger });
    const relay = new OutboxRelay({
      connection,
      kafka,
      collections: spec.outbox,
      source: `portico/${name}`,
      logger,
      onPublished: (events) => logger.debug({ count: events.length }, 'events published'),
    });
    lifecycle.onShutdown('outbox relay', () => relay.stop());
    const outbox = outboxOf(
      connection,
      (collection) => relay.nudge(collection),
      (events) => relay.publishDirect(events),
    );
    const verify = createTokenVerifier({
      issuer: config.OIDC_ISSUER,
      audience: config.OIDC_AUDIENCE,
      ...(config.OIDC_JWKS_URL ? { jwksUrl: config.OIDC_JWKS_URL } : {}),
    });
    const clock = options.clock ?? systemClock;

    const parts = await setup({ name, config, logger, lifecycle, connection, kafka, store: { connection, outbox }, outbox, verify, clock });
    relay.start();
    const jobs = parts.jobs ?? [];
    for (const job of jobs) {
      job.start();
      lifecycle.onShutdown(job.name, () => job.stop());
    }
    const consumers = parts.consumers ?? [];
    // Together, not one after another: each joins (and at shutdown leaves) its Kafka group in a few
    // seconds, and three in a row outlast the grace period a pod is given to stop.
    lifecycle.onShutdown('event consumers', () => Promise.all(consumers.map((consumer) => consumer.stop())));
    await Promise.all(consumers.map((consumer) => consumer.start()));

    // Kafka being down does not make a service unready: changes wait in the outbox.
    const grpc = await startGrpcServer({
      port: config.GRPC_PORT,
      host: config.GRPC_HOST,
      services: parts.grpc,
      dependencies: [{ name: 'mongodb', healthy: () => isMongoHealthy(connection) }, ...(parts.dependencies ?? [])],
      logger,
      bridge: { access: { verify, audit: outbox, patients: parts.patients ?? noPatientDirectory }, errors: parts.errors ?? [] },
      ...(parts.maxReceiveMessageBytes ? { maxReceiveMessageBytes: parts.maxReceiveMessageBytes } : {}),
      ...(parts.receiveWindowBytes ? { receiveWindowBytes: parts.receiveWindowBytes } : {}),
    });
    lifecycle.onShutdown('gRPC server', () => grpc.shutdown(config.SHUTDOWN_GRACE_MS));

    return { ...(parts.exports ?? ({} as X)), name, grpc, lifecycle, logger, connection, relay, jobs, consumers };
  } catch (error) {
    await lifecycle.shutdown('start failed');
    throw error;
  }
}

/** The one export of every service package, e.g. `contactsService`. */
export interface ServiceDescriptor<
  S extends z.ZodType<ServiceConfig> = z.ZodType<ServiceConfig>,
  R extends RunningService = RunningService,
> {
  name: string;
  /** The environment schema: loadConfig(descriptor.config, env) gives what start takes. */
  config: S;
  start(config: z.output<S>, options?: StartOptions): Promise<R>;
  /** Production entry: reads the environment (refusing to start on errors), starts, and stops on SIGTERM or SIGINT. */
  main(env?: NodeJS.ProcessEnv): Promise<R>;
}

export function defineService<S extends z.ZodType<ServiceConfig>, R extends RunningService>(definition: {
  name: string;
  config: S;
  start(config: z.output<S>, options?: StartOptions): Promise<R>;
}): ServiceDescriptor<S, R> {
  return {
    ...definition,
    async main(env = process.env) {
      const config = loadConfigOrExit(definition.config, env) as z.output<S>;
      const service = await definition.start(config);
      service.lifecycle.handleSignals(config.SHUTDOWN_GRACE_MS);
      return service;
    },
  };
}
