// Runs a built Portico service as a child process, as production would, so tests can kill it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './environment.js';
import { waitUntil } from './kafka.js';

export interface ServiceProcess {
  child: ChildProcess;
  /** Port the gRPC server bound, read from its log. */
  grpcPort: number;
  logs: string[];
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** User + system CPU seconds a process has used so far, from /proc (benchmarks compare two reads). */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Node's arguments for a service a benchmark starts: as the images run it (OpenTelemetry loaded
 * first, its tracing and metrics included in what is measured), or SERVICE_NODE_ARGS when set
 * (e.g. empty to measure without it, or V8 flags to try).
 */
export function serviceNodeArgs(): string[] {
  const given = process.env.SERVICE_NODE_ARGS;
  return (given ?? '--import @portico/kit/telemetry/register').split(' ').filter(Boolean);
}

/** Starts a built entry point and waits until it serves: its gRPC port is logged, or `readyUrl` answers 200. */
export async function spawnService(
  entry: string,
  env: NodeJS.ProcessEnv,
  options: {
    readyUrl?: string;
    nodeArgs?: string[];
    /**
     * Stop reading the log once it serves (benchmarks): parsing and keeping every request's line
     * would load the very process that measures, and its pauses would show as the service's.
     */
    ignoreLogsOnceReady?: boolean;
  } = {},
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(repoRoot, entry)], {
    cwd: repoRoot,
    // info at least: the port is read from the start-up log line.
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let grpcPort = 0;
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      logs.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'gRPC server listening' && entry.port) grpcPort = entry.port;
      } catch {
        /* not JSON: kept in logs as it is */
      }
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    options.readyUrl
      ? waitUntil(
          async () =>
            (await fetch(options.readyUrl!).then(
              (r) => r.ok,
              () => false,
            )) || undefined,
          30_000,
          `${entry} to be ready`,
        )
      : waitUntil(() => (grpcPort ? grpcPort : undefined), 30_000, `${entry} to listen`),
    exited.then((code) => {
      throw new Error(`${entry} exited with ${code}:\n${logs.join('\n')}`);
    }),
  ]);
  if (options.ignoreLogsOnceReady) {
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.off('data', collect);
      stream.resume();
    }
  }
  return {
    child,
    grpcPort,
    logs,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Stops or starts one of the real servers through the same script operators use. */
export function infra(action: 'up' | 'down', server: string): void {
  const result = spawnSync('bash', [join(repoRoot, 'deploy/infra/infra.sh'), action, server], { encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0) throw new Error(`infra.sh ${action} ${server} failed:\n${result.stdout}\n${result.stderr}`);
}
