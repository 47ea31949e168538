// One MongoDB database per service, reached through mongoose with retry at start-up. Code here must
// also run on FerretDB: no multi-document transactions, $lookup, TTL indexes or change streams.
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { withRetry } from '../lifecycle/index.js';

export async function connectMongo(options: { url: string; dbName: string; logger: Logger; attempts?: number }): Promise<Connection> {
  return withRetry(
    async () => {
      const connection = mongoose.createConnection(options.url, {
        dbName: options.dbName,
        serverSelectionTimeoutMS: 5_000,
        // FerretDB speaks the wire protocol without sessions; keep the driver from relying on them.
        retryWrites: false,
        autoIndex: true,
      });
      try {
        await connection.asPromise();
      } catch (error) {
        await connection.close().catch(() => {});
        throw error;
      }
      options.logger.info({ dbName: options.dbName }, 'connected to MongoDB');
      return connection;
    },
    {
      attempts: options.attempts ?? 30,
      initialMs: 250,
      maxMs: 5_000,
      onRetry: (error, attempt) =>
        options.logger.warn({ attempt, err: { message: (error as Error).message } }, 'MongoDB not reachable yet, retrying'),
    },
  );
}

export function isMongoHealthy(connection: Connection): boolean {
  return connection.readyState === 1;
}

export { mongoose };
export { withDocumentLock } from './document-locks.js';
export type { Connection };
