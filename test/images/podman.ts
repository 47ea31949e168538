// Runs the images `make images` built, with podman, hardened as docker/compose.yaml runs them,
// on the host network against the local real servers. Shared by the tests under test/images.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Loose, parseYaml, repo, run, serviceDirs, tempDir, type RunResult } from '../delivery/tools.js';

const podmanEnv = { ...process.env, CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? join(repo, 'deploy/images/containers.conf') };

/** Every deployable that has an image: the gateway and each folder of services/. */
export const deployables = (): string[] => ['gateway', ...serviceDirs()];

export function podman(args: string[]): RunResult {
  return run('podman', args, undefined, podmanEnv);
}

/** podman without blocking the test process (for `stop` while calls are in flight). */
export function podmanLater(args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('podman', args, { env: podmanEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

const compose = (): Loose => parseYaml(readFileSync(join(repo, 'docker/compose.yaml'), 'utf8'))[0];

/** The image and the hardening compose gives a deployable, as podman run arguments. */
export function composeRunOptions(name: string): { image: string; args: string[] } {
  const service = compose().services[name];
  if (!service) throw new Error(`docker/compose.yaml has no service ${name}`);
  const args: string[] = [];
  if (service.user) args.push('--user', service.user);
  if (service.read_only) args.push('--read-only');
  for (const path of service.tmpfs ?? []) args.push('--tmpfs', path);
  for (const cap of service.cap_drop ?? []) args.push('--cap-drop', cap);
  for (const option of service.security_opt ?? []) args.push('--security-opt', option);
  return { image: imageWithTag(service.image), args };
}

/**
 * compose's image with the tag `make images` gave it: PORTICO_IMAGE_TAG (deploy/images/env.sh)
 * when set, so images built under another tag are tested without touching the `dev` ones.
 */
const imageWithTag = (image: string) => {
  const tag = process.env.PORTICO_IMAGE_TAG;
  return tag ? image.replace(/:[^:/]+$/, `:${tag}`) : image;
};

export interface Container {
  name: string;
  deployable: string;
  /** Output of the process so far (pino JSON lines). */
  logs(): string;
  exec(command: string[]): RunResult;
  /** SIGTERM, then SIGKILL after `graceSeconds` like Kubernetes; resolves with the exit code. */
  stop(graceSeconds: number): Promise<number>;
  remove(): void;
}

/** Starts a deployable's image on the host network with these variables; no waiting. */
export function startContainer(deployable: string, env: Record<string, string | undefined>): Container {
  const { image, args } = composeRunOptions(deployable);
  const name = `portico-test-${deployable}-${randomUUID().slice(0, 8)}`;
  // Variables through a file readable by us only: test secrets stay out of the process list.
  const envFile = join(tempDir('container-env'), 'env');
  writeFileSync(
    envFile,
    Object.entries(env)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  chmodSync(envFile, 0o600);
  // No systemd here to run health checks on a timer: the tests run them (podman healthcheck run).
  const started = podman([
    'run',
    '--detach',
    '--name',
    name,
    '--network',
    'host',
    '--health-interval',
    'disable',
    ...args,
    '--env-file',
    envFile,
    image,
  ]);
  if (started.status !== 0) throw new Error(`podman run ${image} failed: ${started.stderr}`);
  return {
    name,
    deployable,
    logs: () => {
      const out = podman(['logs', name]);
      return `${out.stdout}${out.stderr}`;
    },
    exec: (command) => podman(['exec', name, ...command]),
    stop: async (graceSeconds) => {
      const stopped = await podmanLater(['stop', '--time', String(graceSeconds), name]);
      if (stopped.status !== 0) throw new Error(`podman stop ${name} failed: ${stopped.stderr}`);
      return Number(podman(['inspect', '--format', '{{.State.ExitCode}}', name]).stdout.trim());
    },
    remove: () => void podman(['rm', '--force', '--time', '0', name]),
  };
}

/** Fields of /proc/<pid>/status inside the container (PID 1 is the deployable's process). */
export function processStatus(container: Container, pid = 1): Record<string, string> {
  const out = container.exec(['cat', `/proc/${pid}/status`]);
  if (out.status !== 0) throw new Error(`reading /proc/${pid}/status in ${container.name} failed: ${out.stderr}`);
  return Object.fromEntries(
    out.stdout
      .split('\n')
      .filter((line) => line.includes(':'))
      .map((line) => {
        const at = line.indexOf(':');
        return [line.slice(0, at), line.slice(at + 1).trim()];
      }),
  );
}
