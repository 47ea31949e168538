// The kit's orphan sweep against the real object store (SeaweedFS), on a bucket of this test's
// own, with the metadata side given as a plain function: what it names stays, what it does not is
// removed once old enough, and a database that names nothing old stops the round.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/index.js';
import { ObjectStore, orphanSweep } from './index.js';

const lines: string[] = [];
const logger = createLogger('test', 'info', { write: (line: string) => void lines.push(line) });
const store = new ObjectStore({
  endpoint: process.env.S3_ENDPOINT ?? 'http://127.0.0.1:8333',
  accessKey: process.env.S3_ACCESS_KEY ?? 'portico-dev',
  secretKey: process.env.S3_SECRET_KEY ?? 'portico-dev-secret',
  region: process.env.S3_REGION ?? 'us-east-1',
  bucket: 'portico-kit-sweep-test',
  logger,
});
/** Two hours from now: every object written by this test is past a grace period of one hour. */
const later = () => new Date(Date.now() + 2 * 60 * 60_000);

const putSome = async (count: number) => {
  const prefix = `run-${randomUUID()}/`;
  const keys = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  for (const key of keys) await store.put(key, Buffer.from(key), 'text/plain');
  return keys;
};

beforeAll(async () => {
  await store.ensureBucket();
  for (const key of await store.keys('')) await store.remove(key);
});

afterAll(async () => {
  for (const key of await store.keys('')) await store.remove(key);
});

describe('the orphan sweep', () => {
  it('removes, batch after batch, the old objects nothing names and keeps those named or still young', async () => {
    const keys = await putSome(5);
    const named = new Set([keys[0]!, keys[3]!]);
    const sweep = (clock?: () => Date) =>
      orphanSweep({
        name: 'test',
        objects: store,
        referenced: async (asked) => new Set(asked.filter((k) => named.has(k))),
        graceMs: 60 * 60_000,
        intervalMs: 60_000,
        logger,
        batchSize: 2,
        suspiciousBatch: 2,
        ...(clock ? { clock } : {}),
      });
    // Now, nothing is an hour old yet.
    expect(await sweep().sweepOnce()).toBe(0);
    expect(await sweep(later).sweepOnce()).toBe(3);
    expect((await store.keys('')).sort()).toEqual([...named].sort());
    expect(lines.some((l) => l.includes('"removed":3'))).toBe(true);
  });

  it('removes nothing when the database names none of a first batch of old objects', async () => {
    const keys = await putSome(3);
    const sweep = orphanSweep({
      name: 'test',
      objects: store,
      referenced: async () => new Set(),
      graceMs: 60 * 60_000,
      intervalMs: 60_000,
      clock: later,
      logger,
      suspiciousBatch: 3,
    });
    expect(await sweep.sweepOnce()).toBe(0);
    expect(await store.keys('')).toEqual(expect.arrayContaining(keys));
    expect(lines.some((l) => l.includes('nothing removed'))).toBe(true);
  });
});
