import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/index.js';
import { periodicJob } from './index.js';

const logger = createLogger('test', 'silent');
/** Resolves the n-th time `count` is called. */
function rounds() {
  const waiting: { n: number; resolve: () => void }[] = [];
  let done = 0;
  return {
    count() {
      done++;
      for (const w of waiting.filter((w) => w.n <= done)) w.resolve();
    },
    reached: (n: number) => new Promise<void>((resolve) => (done >= n ? resolve() : waiting.push({ n, resolve }))),
    get done() {
      return done;
    },
  };
}

describe('a periodic job', () => {
  it('runs at start, runs again at once while there is more to do, and when woken', async () => {
    const seen = rounds();
    let backlog = 2;
    const job = periodicJob({
      name: 'test job',
      intervalMs: 3_600_000,
      logger,
      run: async () => {
        seen.count();
        return backlog-- > 0;
      },
    });
    job.start();
    await seen.reached(3); // the first round and the two the backlog asked for
    job.wake();
    await seen.reached(4);
    await job.stop();
    expect(seen.done).toBe(4);
  });

  it('goes on after a failed round, and stop lets the round in progress finish', async () => {
    const seen = rounds();
    let finished = false;
    const job = periodicJob({
      name: 'test job',
      intervalMs: 3_600_000,
      logger,
      backoffMs: () => 0,
      run: async () => {
        seen.count();
        if (seen.done === 1) throw new Error('first round fails');
        await new Promise((r) => setImmediate(r));
        finished = true;
      },
    });
    job.start();
    await seen.reached(2);
    await job.stop();
    expect(finished).toBe(true);
  });
});
