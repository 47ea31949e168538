// Orderly shutdown: on SIGTERM or SIGINT the process stops taking work, lets what is in flight
// finish within a grace period, closes its connections in reverse order of opening, then exits.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';

type Closer = { name: string; close: () => Promise<unknown> | unknown };

export class Lifecycle {
  private closers: Closer[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  /** Registers something to close at shutdown; the last registered closes first. */
  onShutdown(name: string, close: Closer['close']): void {
    this.closers.push({ name, close });
  }

  async shutdown(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info({ reason }, 'shutting down');
      for (const closer of [...this.closers].reverse()) {
        try {
          await closer.close();
        } catch (error) {
          this.logger.warn({ err: error, closer: closer.name }, 'closing failed');
        }
      }
      this.logger.info('stopped');
    })();
    return this.stopping;
  }

  /** Wires SIGTERM and SIGINT to shutdown and exits when it is done (or when graceMs runs out). */
  handleSignals(graceMs: number): void {
    const onSignal = (signal: NodeJS.Signals) => {
      const timer = setTimeout(() => {
        this.logger.error({ graceMs }, 'shutdown took too long, exiting');
        process.exit(1);
      }, graceMs + 2_000);
      timer.unref();
      void this.shutdown(signal).then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
}

/** Retries an async operation with exponential backoff until it succeeds or attempts run out. */
export async function withRetry<T>(
  operation: () => Promise<T>,
  options: {
    attempts?: number;
    initialMs?: number;
    maxMs?: number;
    onRetry?: (error: unknown, attempt: number) => void;
    /** Which failures are worth another try; every one unless given. */
    retryIf?: (error: unknown) => boolean;
    signal?: AbortSignal;
  } = {},
): Promise<T> {
  const { attempts = Infinity, initialMs = 200, maxMs = 5_000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || options.signal?.aborted || (options.retryIf && !options.retryIf(error))) throw error;
      options.onRetry?.(error, attempt);
      await sleep(Math.min(maxMs, initialMs * 2 ** (attempt - 1)), options.signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // An abort that already happened would never be heard.
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** True when the module with this URL is the script node was started with (not imported by a test). */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === moduleUrl;
  } catch {
    return false;
  }
}
