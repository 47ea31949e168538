// Runs the auth service in the test process against the real servers, with a database of its own,
// a clock the test can move forward, and every log line it writes kept for inspection.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Metadata } from '@grpc/grpc-js';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { authService } from '@portico/auth-service';
import { loadConfig } from '@portico/kit/config';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import { env, serviceEnvironment } from '@portico/testing';
import { expect } from 'vitest';

export interface RunningAuth {
  client: ReturnType<typeof connectService<(typeof AuthService)['method']>>;
  address: string;
  /** A direct connection to the service's database, to check what was really written. */
  db: Connection;
  dbName: string;
  logs: string[];
  /** Moves the service's clock; 0 is now. */
  advanceClock(ms: number): void;
  service: Awaited<ReturnType<typeof authService.start>>;
  stop(): Promise<void>;
}

export function authEnvironment(dbName: string): NodeJS.ProcessEnv {
  // Tests run sweeps themselves.
  return { ...serviceEnvironment('auth', dbName), INVITATION_SWEEP_INTERVAL_MS: '3600000' };
}

export async function startAuth(): Promise<RunningAuth> {
  const dbName = `test_auth_${randomUUID().slice(0, 8)}`;
  const logs: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (logs.push(chunk.toString()), done()) });
  let offset = 0;
  const service = await authService.start(loadConfig(authService.config, { ...authEnvironment(dbName), LOG_LEVEL: 'trace' }), {
    clock: () => new Date(Date.now() + offset),
    logDestination: destination as never,
  });
  const address = `127.0.0.1:${service.grpc.port}`;
  const client = connectService(AuthService, address, { defaultTimeoutMs: 30_000 });
  const db = await connectMongo({ url: env.mongoUrl, dbName, logger: createLogger('test', 'silent') });
  return {
    client,
    address,
    db,
    dbName,
    logs,
    advanceClock: (ms) => void (offset = ms),
    service,
    async stop() {
      client.close();
      await service.lifecycle.shutdown('test over');
      await db.dropDatabase().catch(() => {});
      await db.close();
    },
  };
}

export const as = (token: string): { metadata: Metadata } => ({ metadata: forwardedMetadata(token, { 'x-request-id': randomUUID() }) });

export { failure, violationsOf } from '@portico/testing';

/** Everything in every collection of the database, binary payloads included, as one string. */
export async function databaseText(db: Connection): Promise<string> {
  const collections = await db.db!.listCollections().toArray();
  const parts: string[] = [];
  for (const { name } of collections) {
    const documents = await db.db!.collection(name).find({}).toArray();
    parts.push(
      JSON.stringify(documents, (_key, value: unknown) => {
        const binary = value as { _bsontype?: string; buffer?: Uint8Array; type?: string; data?: number[] };
        if (binary?._bsontype === 'Binary' && binary.buffer) return Buffer.from(binary.buffer).toString('latin1');
        if (binary?.type === 'Buffer' && Array.isArray(binary.data)) return Buffer.from(binary.data).toString('latin1');
        return value;
      }),
    );
  }
  return parts.join('\n');
}

/** The username and temporary password a welcome email gives. */
export function credentialsIn(text: string): { username: string; password: string } {
  const username = /Username: (\S+)/.exec(text)?.[1];
  const password = /Temporary password: (\S+)/.exec(text)?.[1];
  expect(username && password, 'the email gives a username and a password').toBeTruthy();
  return { username: username!, password: password! };
}
