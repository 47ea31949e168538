// Removes entries past the retention period. FerretDB has no TTL indexes, so a periodic job does
// what a TTL index would, in batches so a large backlog never becomes one long delete.
import { periodicJob, type PeriodicJob } from '@portico/kit/jobs';
import type { Platform } from '@portico/kit/runtime';
import { retentionCutoff } from '../domain/record-access.js';
import type { RecordAccessRepository } from '../store/record-access-repository.js';

export function retentionSweep(
  { logger, clock }: Pick<Platform, 'logger' | 'clock'>,
  settings: { retentionDays: number; intervalMs: number; repository: RecordAccessRepository },
): PeriodicJob {
  return periodicJob({
    name: 'audit retention sweep',
    intervalMs: settings.intervalMs,
    logger,
    run: () => settings.repository.expire(retentionCutoff(clock(), settings.retentionDays)),
  });
}
