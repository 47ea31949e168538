// Objects no metadata names, removed after a grace period. A service stores a file's bytes first
// and its metadata second (so a refused or failed write leaves no metadata pointing at nothing),
// and removes the object again when the metadata write fails; only a crash between the two leaves
// an object behind that nothing names. The sweep finds those: every object of the service's bucket
// older than the grace period whose key no metadata document records is removed.
//
// Safe with several replicas and with uploads in flight: an object is a candidate only once it is
// older than the grace period (an upload writes its metadata right after its object, well within
// it), and only after the service's own collections were asked about it at that moment. Two
// replicas removing the same orphan is harmless (removing a missing object is no error). The
// bucket must be this service's alone, with this database: objects another database names would
// look orphaned here.
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { z } from 'zod';
import { systemClock, type Clock } from '../domain/index.js';
import { periodicJob, type PeriodicJob } from '../jobs/index.js';
import { meter } from '../telemetry/index.js';
import type { ObjectStore } from './index.js';

/** The sweep's settings, read by every service that keeps files. */
export const objectSweepEnv = z.object({
  /** How often the bucket is swept; 0 turns the sweep off (a bucket shared with another database). */
  OBJECT_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(15 * 60_000),
  /** How old an object must be before it may be removed for lack of metadata: far longer than any upload. */
  OBJECT_SWEEP_GRACE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(60 * 60_000),
});

/** Where a service records the keys of its objects: a collection and the (dotted) field holding a key. */
export interface KeyField {
  collection: string;
  field: string;
}

/** Of `keys`, those some document of the given collections records (one query per collection, by the field's index). */
export function referencesIn(connection: Connection, fields: KeyField[]): (keys: string[]) => Promise<Set<string>> {
  return async (keys) => {
    const found = new Set<string>();
    for (const { collection, field } of fields) {
      const documents = connection.collection(collection).find({ [field]: { $in: keys } }, { projection: { _id: 0, [field]: 1 } });
      for await (const document of documents) {
        const value = field.split('.').reduce<unknown>((at, name) => (at as Record<string, unknown> | null)?.[name], document);
        if (typeof value === 'string') found.add(value);
      }
    }
    return found;
  };
}

export interface OrphanSweepOptions {
  /** For logs: `documents`, `card photos`. */
  name: string;
  objects: ObjectStore;
  /** Of the keys given, those some metadata names (referencesIn, usually). */
  referenced(keys: string[]): Promise<Set<string>>;
  graceMs: number;
  intervalMs: number;
  /**
   * The real time, as the store stamps objects with it: not a service clock a test moves (a test
   * service days ahead would take every object of a shared test bucket for an old orphan).
   */
  clock?: Clock;
  logger: Logger;
  /** How many candidates are checked against the metadata at once. */
  batchSize?: number;
  /**
   * A first batch at least this large of which no object is named stops the round: a database
   * that names nothing old (a wrong MONGO_DB, a restore in progress) is not taken at its word.
   */
  suspiciousBatch?: number;
}

export interface OrphanSweep {
  job: PeriodicJob;
  /** One pass over the bucket; resolves to how many objects it removed. */
  sweepOnce(signal?: AbortSignal): Promise<number>;
}

const removedCounter = meter('portico.objects').createCounter('portico_orphan_objects_removed_total', {
  description: 'Objects removed because no metadata named them after the grace period',
});

export function orphanSweep(options: OrphanSweepOptions): OrphanSweep {
  const batchSize = options.batchSize ?? 500;
  const suspiciousBatch = options.suspiciousBatch ?? 50;

  async function sweepOnce(signal?: AbortSignal): Promise<number> {
    const cutoff = (options.clock ?? systemClock)().getTime() - options.graceMs;
    let removed = 0;
    let batch: string[] = [];
    let first = true;
    let refused = false;
    const settle = async () => {
      const named = await options.referenced(batch);
      if (first && named.size === 0 && batch.length >= suspiciousBatch) {
        options.logger.warn(
          { candidates: batch.length, bucket: options.objects.bucket },
          `${options.name}: no old object of the bucket is named in the database; nothing removed (is it this bucket's database?)`,
        );
        refused = true;
        return;
      }
      first = false;
      for (const key of batch) {
        if (signal?.aborted) break;
        if (named.has(key)) continue;
        await options.objects.remove(key);
        removed++;
      }
      batch = [];
    };
    for await (const object of options.objects.list()) {
      if (signal?.aborted || refused) break;
      if (object.lastModified.getTime() >= cutoff) continue;
      batch.push(object.key);
      if (batch.length >= batchSize) await settle();
    }
    if (batch.length && !signal?.aborted && !refused) await settle();
    if (removed) {
      removedCounter.add(removed, { bucket: options.objects.bucket });
      // The count only: keys carry patients' ids.
      options.logger.info({ removed, bucket: options.objects.bucket }, `${options.name}: objects no metadata names removed`);
    }
    return removed;
  }

  const job = periodicJob({
    name: `${options.name} orphan sweep`,
    intervalMs: options.intervalMs,
    logger: options.logger,
    run: (signal) => sweepOnce(signal),
  });
  return { job, sweepOnce };
}
