// Runs the contacts service and the gateway in the test process, on free ports, against the real
// servers, each test file with a database of its own.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@portico/kit/config';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import { createLogger } from '@portico/kit/logging';
import { contactsEnv, startContactsService } from '@portico/contacts-service';
import { gatewayEnv, startGateway } from '@portico/gateway';
import { env } from './environment.js';

export interface RunningPlatform {
  gatewayUrl: string;
  contactsAddress: string;
  dbName: string;
  /** A direct connection to the contacts service's database, to check what was really written. */
  contactsDb: Connection;
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
  };
}

export async function startPlatform(options: { rateLimitPerMinute?: number } = {}): Promise<RunningPlatform> {
  const dbName = `test_contacts_${randomUUID().slice(0, 8)}`;
  const contacts = await startContactsService(loadConfig(contactsEnv, { ...baseEnvironment(dbName), GRPC_PORT: '0' }));
  const contactsAddress = `127.0.0.1:${contacts.grpc.port}`;
  const gateway = await startGateway(
    loadConfig(gatewayEnv, {
      ...baseEnvironment(dbName),
      HTTP_PORT: '0',
      CONTACTS_GRPC_URL: contactsAddress,
      RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 10_000),
    }),
  );
  const contactsDb = await connectMongo({ url: env.mongoUrl, dbName, logger: createLogger('test', 'silent') });
  return {
    gatewayUrl: gateway.url,
    contactsAddress,
    dbName,
    contactsDb,
    async stop() {
      await gateway.lifecycle.shutdown('test over');
      await contacts.lifecycle.shutdown('test over');
      await contactsDb.dropDatabase().catch(() => {});
      await contactsDb.close();
    },
  };
}
