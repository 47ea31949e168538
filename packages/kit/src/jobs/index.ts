// Background work that runs in rounds: the outbox relay, expiry sweeps, session clean-up. One
// helper owns the loop, so every job stops the same way at shutdown (the round in progress
// finishes), can be woken early after a write, and backs off the same way when a round fails.
import type { Logger } from 'pino';
import { sleep } from '../lifecycle/index.js';

export interface PeriodicJobOptions {
  /** For logs, in the operator's words: `outbox relay`, `invitation sweep`. */
  name: string;
  /** Pause between rounds when there is nothing more to do. */
  intervalMs: number;
  /**
   * One round. Resolving to `true` says there may be more to do right now: the next round
   * starts at once instead of after the interval (the relay draining a full batch).
   */
  run(signal: AbortSignal): Promise<boolean | void | unknown>;
  logger: Logger;
  /**
   * Pause after the n-th failure in a row (1, 2, ...); the interval when not given. A wake-up
   * does not cut it short, so a failing dependency is not hammered at the rate of writes.
   */
  backoffMs?: (failures: number) => number;
  /** Told of each failed round before the pause, e.g. to drop a broken connection. */
  onFailure?(error: unknown): Promise<void> | void;
}

export interface PeriodicJob {
  readonly name: string;
  start(): void;
  /** Lets the round in progress finish, then stops. */
  stop(): Promise<void>;
  /** Starts the next round now rather than at the end of the pause (remembered if a round is running). */
  wake(): void;
}

/** Exponential backoff from `initialMs`, doubling up to `maxMs`. */
export const exponentialBackoff =
  (initialMs: number, maxMs: number) =>
  (failures: number): number =>
    Math.min(maxMs, initialMs * 2 ** Math.min(failures, 16));

export function periodicJob(options: PeriodicJobOptions): PeriodicJob {
  let running = false;
  let loop: Promise<void> | undefined;
  let stopping = new AbortController();
  let wakeNow: (() => void) | undefined;
  let woken = false;
  let failures = 0;

  const pause = (ms: number): Promise<void> => {
    // Stopped while the round ran: no pause, the loop ends.
    if (!running) return Promise.resolve();
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    const early = new AbortController();
    const onStop = () => early.abort();
    stopping.signal.addEventListener('abort', onStop, { once: true });
    wakeNow = () => early.abort();
    return sleep(ms, early.signal).finally(() => {
      stopping.signal.removeEventListener('abort', onStop);
      wakeNow = undefined;
      woken = false;
    });
  };

  async function run(): Promise<void> {
    while (running) {
      try {
        const more = await options.run(stopping.signal);
        failures = 0;
        if (more !== true) await pause(options.intervalMs);
      } catch (error) {
        failures++;
        const backoff = options.backoffMs?.(failures) ?? options.intervalMs;
        options.logger.warn(
          { err: { name: (error as Error).name, message: (error as Error).message }, backoffMs: backoff },
          `${options.name} failed; will retry`,
        );
        await Promise.resolve(options.onFailure?.(error)).catch(() => {});
        await sleep(backoff, stopping.signal);
      }
    }
  }

  return {
    name: options.name,
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      loop = run();
    },
    async stop() {
      running = false;
      stopping.abort();
      await loop;
    },
    wake() {
      woken = true;
      wakeNow?.();
    },
  };
}
