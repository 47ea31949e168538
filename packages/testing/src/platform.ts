// Runs the contacts service and the gateway in the test process, on free ports, against the real
// servers, each test file with a database of its own.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { loadConfig } from '@portico/kit/config';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import { createLogger } from '@portico/kit/logging';
import { authEnv, startAuthService } from '@portico/auth-service';
import { contactsEnv, startContactsService } from '@portico/contacts-service';
import { gatewayEnv, startGateway } from '@portico/gateway';
import { env } from './environment.js';
import { browserLoginClient } from './keycloak.js';

export interface RunningPlatform {
  gatewayUrl: string;
  contactsAddress: string;
  authAddress: string;
  dbName: string;
  /** A direct connection to the contacts service's database, to check what was really written. */
  contactsDb: Connection;
  /** The gateway's own database (sessions). */
  gatewayDb: Connection;
  stop(): Promise<void>;
}

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

/** What the auth service needs on top of the shared variables: the realm's dev client, the S3 store, Mailpit. */
export function authEnvironment(dbName: string): NodeJS.ProcessEnv {
  return {
    ...baseEnvironment(`${dbName}_auth`),
    KEYCLOAK_CLIENT_SECRET: 'portico-auth-dev-secret',
    S3_ENDPOINT: process.env.S3_ENDPOINT ?? 'http://127.0.0.1:8333',
    S3_ACCESS_KEY: process.env.S3_ACCESS_KEY ?? 'portico-dev',
    S3_SECRET_KEY: process.env.S3_SECRET_KEY ?? 'portico-dev-secret',
    S3_BUCKET: `test-auth-${dbName
      .slice(-8)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '0')}`,
    SMTP_URL: process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025',
  };
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
  rateLimitPerMinute?: number;
  sessionIdleSeconds?: number;
  /** Shorter access tokens for the gateway's login client, to see refreshes happen. */
  accessTokenLifespanSeconds?: number;
  webRoot?: string;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const dbName = `test_contacts_${randomUUID().slice(0, 8)}`;
  const contacts = await startContactsService(loadConfig(contactsEnv, { ...baseEnvironment(dbName), GRPC_PORT: '0' }));
  const contactsAddress = `127.0.0.1:${contacts.grpc.port}`;
  const auth = await startAuthService(loadConfig(authEnv, { ...authEnvironment(dbName), GRPC_PORT: '0' }));
  const authAddress = `127.0.0.1:${auth.grpc.port}`;
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const loginClient = await browserLoginClient(publicUrl, options.accessTokenLifespanSeconds);
  const gateway = await startGateway(
    loadConfig(gatewayEnv, {
      ...baseEnvironment(dbName),
      MONGO_DB: `${dbName}_gateway`,
      HTTP_PORT: String(port),
      PUBLIC_URL: publicUrl,
      CONTACTS_GRPC_URL: contactsAddress,
      AUTH_GRPC_URL: authAddress,
      OIDC_CLIENT_ID: loginClient.id,
      OIDC_CLIENT_SECRET: loginClient.secret,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 10_000),
      ...(options.sessionIdleSeconds ? { SESSION_IDLE_SECONDS: String(options.sessionIdleSeconds) } : {}),
      ...(options.webRoot ? { WEB_ROOT: options.webRoot } : {}),
    }),
  );
  const gatewayDb = await connectMongo({ url: env.mongoUrl, dbName: `${dbName}_gateway`, logger: createLogger('test', 'silent') });
  const contactsDb = await connectMongo({ url: env.mongoUrl, dbName, logger: createLogger('test', 'silent') });
  return {
    gatewayUrl: publicUrl,
    gatewayDb,
    contactsAddress,
    authAddress,
    dbName,
    contactsDb,
    async stop() {
      await gateway.lifecycle.shutdown('test over');
      await contacts.lifecycle.shutdown('test over');
      await auth.lifecycle.shutdown('test over');
      const authDb = contactsDb.useDb(`${dbName}_auth`);
      await authDb.dropDatabase().catch(() => {});
      for (const db of [contactsDb, gatewayDb]) {
        await db.dropDatabase().catch(() => {});
        await db.close();
      }
      await loginClient.remove();
    },
  };
}
