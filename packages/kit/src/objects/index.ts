// Files kept in an S3-compatible object store (SeaweedFS here, any S3 API in production) through
// the minio client. Region and path-style addressing are fixed so the client never asks the
// server for a bucket's location and works with stores that have no virtual-host buckets.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'minio';
import type { Logger } from 'pino';
import { z } from 'zod';

/** The variables a process that keeps files reads; the bucket's default is the service's choice. */
export const objectStoreEnv = z.object({
  S3_ENDPOINT: z.string().url(),
  S3_ACCESS_KEY: z.string().min(1),
  S3_SECRET_KEY: z.string().min(1),
  S3_REGION: z.string().min(1).default('us-east-1'),
});

/** The object store a service's config names (objectStoreEnv plus its bucket), its bucket created when missing. */
export async function openObjectStore(
  config: z.output<typeof objectStoreEnv> & { S3_BUCKET: string },
  logger: Logger,
): Promise<ObjectStore> {
  const store = new ObjectStore({
    endpoint: config.S3_ENDPOINT,
    accessKey: config.S3_ACCESS_KEY,
    secretKey: config.S3_SECRET_KEY,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    logger,
  });
  await store.ensureBucket();
  return store;
}

export interface ObjectStoreOptions {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  bucket: string;
  logger: Logger;
}

export interface StoredObject {
  size: number;
  contentType: string;
}

/** An object as a listing of the bucket names it: its key and when it was written. */
export interface ListedObject {
  key: string;
  lastModified: Date;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super('object not found');
    this.name = 'ObjectNotFoundError';
  }
}

/** How long a presigned upload address lives: one upload, then it is useless. */
const PRESIGNED_SECONDS = 15 * 60;

const isNotFound = (error: unknown) => ['NoSuchKey', 'NotFound', 'NoSuchObject'].includes((error as { code?: string })?.code ?? '');

export class ObjectStore {
  private readonly client: Client;
  readonly bucket: string;

  constructor(private readonly options: ObjectStoreOptions) {
    const url = new URL(options.endpoint);
    const useSSL = url.protocol === 'https:';
    this.client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: true,
    });
    this.bucket = options.bucket;
  }

  /** Creates the bucket when it is missing (a fresh store, a new environment). */
  async ensureBucket(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.options.region);
      this.options.logger.info({ bucket: this.bucket }, 'bucket created');
    } catch (error) {
      // Another replica created it at the same moment.
      if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((error as { code?: string }).code ?? '')) throw error;
    }
  }

  async put(key: string, content: Buffer, contentType: string): Promise<void> {
    await this.client.putObject(this.bucket, key, content, content.length, { 'Content-Type': contentType });
  }

  /**
   * Streams `size` bytes to a new object without holding them: one PUT whose body is `content`
   * as it arrives. The minio client buffers any stream smaller than its part size (64 MiB) whole,
   * so the PUT goes through a short-lived presigned address (never logged) instead. A body that
   * fails, ends short or runs long aborts the PUT, and the store keeps nothing: a single PUT is
   * all or nothing.
   */
  async putStream(key: string, content: Readable, size: number, contentType: string, signal?: AbortSignal): Promise<void> {
    const address = new URL(await this.client.presignedPutObject(this.bucket, key, PRESIGNED_SECONDS));
    const send = address.protocol === 'https:' ? httpsRequest : httpRequest;
    const put = send(address, { method: 'PUT', headers: { 'content-length': String(size), 'content-type': contentType }, signal });
    const answered = new Promise<number>((resolve, reject) => {
      put.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      put.on('error', reject);
    });
    try {
      await pipeline(content, put);
    } catch (error) {
      put.destroy();
      answered.catch(() => {});
      throw error;
    }
    const status = await answered;
    if (status < 200 || status >= 300) throw new Error(`object store refused the upload (${status})`);
  }

  async stat(key: string): Promise<StoredObject> {
    try {
      const stat = await this.client.statObject(this.bucket, key);
      return { size: stat.size, contentType: String(stat.metaData?.['content-type'] ?? 'application/octet-stream') };
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  /** The object's bytes as a stream, so large files never sit whole in memory. */
  async read(key: string): Promise<Readable> {
    try {
      return await this.client.getObject(this.bucket, key);
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async readAll(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.read(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Removes an object; one that is already gone is not an error. */
  async remove(key: string): Promise<void> {
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** The keys of the objects under `prefix` (what a clinic or a patient has stored, for checks and clean-ups). */
  async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) if (item.name) keys.push(item.name);
    return keys;
  }

  /** Every object of the bucket under `prefix` (all of them by default), as the store lists them, page by page. */
  async *list(prefix = ''): AsyncGenerator<ListedObject> {
    for await (const item of this.client.listObjectsV2(this.bucket, prefix, true) as AsyncIterable<{ name?: string; lastModified?: Date }>)
      if (item.name && item.lastModified) yield { key: item.name, lastModified: item.lastModified };
  }

  /** For readiness: the store answers and the bucket is there. */
  async healthy(): Promise<boolean> {
    return this.client.bucketExists(this.bucket).catch(() => false);
  }
}

export { objectSweepEnv, orphanSweep, referencesIn, type KeyField, type OrphanSweep, type OrphanSweepOptions } from './orphan-sweep.js';
