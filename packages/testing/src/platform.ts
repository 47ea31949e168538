// Runs any set of Portico's services and the gateway in the test process, on free ports, against
// the real servers, each run with databases of its own. The services come from one table: every
// folder under services/ whose package exports a service descriptor (defineService). A new
// service is found there, so it needs no harness code of its own.
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from '@portico/kit/config';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import { createLogger } from '@portico/kit/logging';
import type { RunningService, ServiceDescriptor, StartOptions } from '@portico/kit/runtime';
import { gatewayEnv, startGateway } from '@portico/gateway';
import { env, repoRoot } from './environment.js';
import { browserLoginClient } from './keycloak.js';

// Any descriptor, whatever its config and what its running service exports.
type AnyDescriptor = ServiceDescriptor<never, RunningService>;

export interface RunningPlatform {
  gatewayUrl: string;
  /** Prefix of every database this run made: `<runId>_<service>`. */
  runId: string;
  /** The services this run started, by name. */
  services: Record<string, RunningService>;
  /** host:port of a started service's gRPC server. */
  address(service: string): string;
  /** A direct connection to a service's own database (or 'gateway' for the sessions), to check what was really written. */
  db(service: string): Connection;
  /** Stops one service of the platform, leaving the rest running (a backend outage). */
  stopService(service: string): Promise<void>;
  stop(): Promise<void>;
}

/** The address the gateway is given for a backend that this run did not start: nothing listens there. */
const NOT_STARTED = '127.0.0.1:9';

/** The variables every Portico process reads, pointing at the real local servers. */
export function baseEnvironment(dbName: string): NodeJS.ProcessEnv {
  return {
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGO_URL: env.mongoUrl,
    MONGO_DB: dbName,
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    OIDC_ISSUER: env.issuer,
    OIDC_AUDIENCE: env.audience,
    METRICS_PORT: '0',
    // Read by the gateway only: the realm's development client and a fresh sealing secret.
    OIDC_CLIENT_SECRET: 'portico-gateway-dev-secret',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
  };
}

/**
 * Everything any service may read, for the service `name` with database `dbName`: the object
 * store (one bucket per service; keys carry the test's own ids), Mailpit, and the realm's
 * development client of the auth service. Each service's config schema keeps what it reads.
 */
export function serviceEnvironment(name: string, dbName: string): NodeJS.ProcessEnv {
  return {
    ...baseEnvironment(dbName),
    GRPC_PORT: '0',
    // Nothing listens here: a harness that starts the auth service points its directory at it.
    AUTH_GRPC_URL: NOT_STARTED,
    KEYCLOAK_URL: env.keycloakUrl,
    KEYCLOAK_REALM: env.realm,
    KEYCLOAK_CLIENT_SECRET: process.env.KEYCLOAK_AUTH_CLIENT_SECRET ?? 'portico-auth-dev-secret',
    S3_ENDPOINT: process.env.S3_ENDPOINT ?? 'http://127.0.0.1:8333',
    S3_ACCESS_KEY: process.env.S3_ACCESS_KEY ?? 'portico-dev',
    S3_SECRET_KEY: process.env.S3_SECRET_KEY ?? 'portico-dev-secret',
    S3_REGION: process.env.S3_REGION ?? 'us-east-1',
    S3_BUCKET: `portico-${name}-test`,
    SMTP_URL: process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025',
    // A test's audit trail, emails and patient directories start now, not with every event earlier runs
    // left on the topics (a directory still finds older patients through its look-up).
    AUDIT_CONSUMER_START: 'latest',
    NOTIFICATIONS_CONSUMER_START: 'latest',
    PATIENT_DIRECTORY_START: 'latest',
  };
}

/** The names of Portico's services: the folders under services/. */
export function serviceNames(): string[] {
  const folder = join(repoRoot, 'services');
  return readdirSync(folder)
    .filter((name) => existsSync(join(folder, name, 'package.json')))
    .sort();
}

const descriptors = new Map<string, Promise<AnyDescriptor>>();

/** The descriptor a service's package exports (the one export made by defineService). */
export function serviceDescriptor(name: string): Promise<AnyDescriptor> {
  let found = descriptors.get(name);
  if (!found) {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'services', name, 'package.json'), 'utf8')) as { name: string };
    found = import(manifest.name).then((module: Record<string, unknown>) => {
      const descriptor = Object.values(module).find(
        (value): value is AnyDescriptor =>
          typeof value === 'object' && value !== null && (value as AnyDescriptor).name === name && 'start' in value && 'config' in value,
      );
      if (!descriptor) throw new Error(`${manifest.name} exports no service descriptor named ${name} (defineService)`);
      return descriptor;
    });
    descriptors.set(name, found);
  }
  return found;
}

/** Starts one service in this process from its descriptor, with `environment` over the test defaults. */
export async function startTestService(
  name: string,
  dbName: string,
  environment: NodeJS.ProcessEnv = {},
  options: StartOptions = {},
): Promise<RunningService> {
  const descriptor = await serviceDescriptor(name);
  const config = loadConfig(descriptor.config, { ...serviceEnvironment(name, dbName), ...environment }) as never;
  return descriptor.start(config, options);
}

/**
 * The gateway's <NAME>_GRPC_URL for every service under services/: the address of each one
 * started (by name), and for the others an address where nothing listens (their routes answer 503).
 */
export function backendAddresses(started: Record<string, string>): NodeJS.ProcessEnv {
  return Object.fromEntries(serviceNames().map((name) => [`${name.toUpperCase()}_GRPC_URL`, started[name] ?? NOT_STARTED]));
}

/** A port nobody listens on now, so the gateway's public URL can be registered before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface PlatformOptions {
  /** Which services to start (all of them when absent); the gateway's other backends answer 503. */
  services?: string[];
  rateLimitPerMinute?: number;
  sessionIdleSeconds?: number;
  /** Shorter access tokens for the gateway's login client, to see refreshes happen. */
  accessTokenLifespanSeconds?: number;
  webRoot?: string;
  /** More variables for the gateway. */
  gatewayEnvironment?: NodeJS.ProcessEnv;
  /** How to start a service differently, by name: e.g. a clock the test moves. */
  serviceOptions?: Record<string, StartOptions>;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const runId = `test_${randomUUID().slice(0, 8)}`;
  const all = serviceNames();
  const wanted = options.services ?? all;
  const unknown = wanted.filter((name) => !all.includes(name));
  if (unknown.length) throw new Error(`no such service: ${unknown.join(', ')} (services/ holds ${all.join(', ')})`);

  // The auth service first: every other service's patient directory asks it (AUTH_GRPC_URL).
  const auth = wanted.includes('auth') ? [await startTestService('auth', `${runId}_auth`, {}, options.serviceOptions?.auth)] : [];
  const authAddress = auth[0] ? `127.0.0.1:${auth[0].grpc.port}` : NOT_STARTED;
  // Then the contacts service, when wanted: the documents service checks a release of
  // information names one of the patient's contacts (CONTACTS_GRPC_URL).
  const contacts = wanted.includes('contacts')
    ? [await startTestService('contacts', `${runId}_contacts`, { AUTH_GRPC_URL: authAddress }, options.serviceOptions?.contacts)]
    : [];
  const upstream = { AUTH_GRPC_URL: authAddress, ...(contacts[0] ? { CONTACTS_GRPC_URL: `127.0.0.1:${contacts[0].grpc.port}` } : {}) };
  const others = wanted.filter((name) => name !== 'auth' && name !== 'contacts');
  const started = [
    ...auth,
    ...contacts,
    ...(await Promise.all(others.map((name) => startTestService(name, `${runId}_${name}`, upstream, options.serviceOptions?.[name])))),
  ];
  const services = Object.fromEntries(started.map((service) => [service.name, service]));
  const address = (name: string) => {
    const service = services[name];
    if (!service) throw new Error(`${name} was not started in this platform`);
    return `127.0.0.1:${service.grpc.port}`;
  };

  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const loginClient = await browserLoginClient(publicUrl, options.accessTokenLifespanSeconds);
  // One <NAME>_GRPC_URL per service: the gateway's table of backends uses the same names.
  const backends = backendAddresses(Object.fromEntries(Object.keys(services).map((name) => [name, address(name)])));
  const gateway = await startGateway(
    loadConfig(gatewayEnv, {
      ...baseEnvironment(`${runId}_gateway`),
      ...backends,
      HTTP_PORT: String(port),
      PUBLIC_URL: publicUrl,
      OIDC_CLIENT_ID: loginClient.id,
      OIDC_CLIENT_SECRET: loginClient.secret,
      RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 10_000),
      ...(options.sessionIdleSeconds ? { SESSION_IDLE_SECONDS: String(options.sessionIdleSeconds) } : {}),
      ...(options.webRoot ? { WEB_ROOT: options.webRoot } : {}),
      ...options.gatewayEnvironment,
    }),
  );

  // Direct connections to every database of the run, to check what was really written.
  const logger = createLogger('test', 'silent');
  const connections = new Map(
    await Promise.all(
      ['gateway', ...Object.keys(services)].map(
        async (name) => [name, await connectMongo({ url: env.mongoUrl, dbName: `${runId}_${name}`, logger })] as const,
      ),
    ),
  );
  const db = (name: string) => {
    const connection = connections.get(name);
    if (!connection) throw new Error(`${name} was not started in this platform`);
    return connection;
  };
  const stopped = new Set<string>();
  const stopService = async (name: string) => {
    if (stopped.has(name)) return;
    stopped.add(name);
    await services[name]?.lifecycle.shutdown('test over');
  };

  return {
    gatewayUrl: publicUrl,
    runId,
    services,
    address,
    db,
    stopService,
    async stop() {
      await gateway.lifecycle.shutdown('test over');
      await Promise.all(Object.keys(services).map(stopService));
      for (const connection of connections.values()) {
        await connection.dropDatabase().catch(() => {});
        await connection.close();
      }
      await loginClient.remove();
    },
  };
}
