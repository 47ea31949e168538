// The images `make images` built, run as operators run them: every deployable (the gateway and
// each service under services/) in its own container, hardened as docker/compose.yaml says, on
// the host network against the local real servers. Each must answer its health and /metrics,
// export its traces over OTLP, pass its own HEALTHCHECK, carry a patient's login and contacts
// through the gateway, and stop on SIGTERM within the grace period with the calls in flight done.
// Starts containers: run in the serial group.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Client, credentials, status, type ServiceError } from '@grpc/grpc-js';
import {
  backendAddresses,
  baseEnvironment,
  BrowserSession,
  browserLoginClient,
  createUser,
  deleteUser,
  env,
  serviceEnvironment,
  freePort,
  waitUntil,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo } from '../delivery/tools.js';
import { startTraceReceiver, type TraceReceiver } from './otlp-receiver.js';
import { type Container, deployables, podman, processStatus, startContainer } from './podman.js';

const services = deployables().filter((d) => d !== 'gateway');
const dbName = `test_images_${randomUUID().slice(0, 8)}`;
/** What Kubernetes gives a pod between SIGTERM and SIGKILL (the chart's value). */
const graceSeconds = Number(
  /terminationGracePeriodSeconds: (\d+)/.exec(readFileSync(join(repo, 'charts/portico/values.yaml'), 'utf8'))![1],
);

interface Running {
  container: Container;
  metricsPort: number;
  /** gRPC address for a service, the public URL for the gateway. */
  address: string;
}
const running = new Map<string, Running>();
let traces: TraceReceiver;
let loginClient: Awaited<ReturnType<typeof browserLoginClient>>;
let patient: TestUser;

/** One unary call with raw bytes, as a generic gRPC tool makes it; resolves with the status code. */
function grpcCall(address: string, path: string, body = Buffer.alloc(0)): Promise<{ code: number; reply?: Buffer }> {
  const client = new Client(address, credentials.createInsecure());
  return new Promise((resolve) =>
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      { deadline: new Date(Date.now() + 10_000) },
      (error: ServiceError | null, reply?: Buffer) => {
        client.close();
        resolve(error ? { code: error.code } : { code: status.OK, reply });
      },
    ),
  );
}

// HealthCheckResponse { status = 1 }: SERVING.
const serving = async (address: string) => {
  const { code, reply } = await grpcCall(address, '/grpc.health.v1.Health/Check');
  return code === status.OK && reply?.[0] === 0x08 && reply[1] === 1;
};

/**
 * A GET on a fresh connection: its status once the whole answer arrived, the network error's
 * code when no answer began (refused, reset), `cut off` when an answer stopped half-way.
 */
function get(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('aborted', () => resolve('cut off'));
      response.on('error', () => resolve('cut off'));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end();
  });
}

const telemetryEnv = (name: string, metricsPort: number) => ({
  OTEL_SERVICE_NAME: `portico-${name}`,
  OTEL_EXPORTER_OTLP_ENDPOINT: traces.url,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  // Spans leave in batches twice a second; those of the last calls before a stop leave only
  // if the process flushes them at shutdown.
  OTEL_BSP_SCHEDULE_DELAY: '500',
  METRICS_PORT: String(metricsPort),
  LOG_LEVEL: 'info',
});

/**
 * Starts a container on free ports and waits until `ready`; on the host network another process
 * can take a port between the check and the bind, so a container that exits first is started
 * again on other ports.
 */
async function startOnFreePorts(
  name: string,
  start: (metricsPort: number) => Promise<{ container: Container; address: string; ready: () => Promise<boolean> }>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const metricsPort = await freePort();
    const { container, address, ready } = await start(metricsPort);
    const metricsUp = () =>
      fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(
        (r) => r.ok,
        () => false,
      );
    const outcome = await waitUntil(
      async () => {
        if ((await ready()) && (await metricsUp())) return 'ready';
        return podman(['inspect', '--format', '{{.State.Running}}', container.name]).stdout.trim() === 'false' ? 'exited' : undefined;
      },
      90_000,
      `${name} to be ready`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${container.logs()}`);
    });
    if (outcome === 'ready') {
      running.set(name, { container, metricsPort, address });
      return;
    }
    const logs = container.logs();
    container.remove();
    if (attempt === 3 || !logs.includes('EADDRINUSE')) throw new Error(`${name} exited at start:\n${logs}`);
  }
}

const startService = (name: string, more: NodeJS.ProcessEnv = {}) =>
  startOnFreePorts(name, async (metricsPort) => {
    const grpcPort = await freePort();
    // Every service gets what any of them may need (database, Kafka, Keycloak, S3, SMTP): a later
    // service runs here without new test code; each reads only its own variables.
    const container = startContainer(name, {
      ...serviceEnvironment(name, `${dbName}_${name}`),
      ...more,
      GRPC_PORT: String(grpcPort),
      ...telemetryEnv(name, metricsPort),
    });
    const address = `127.0.0.1:${grpcPort}`;
    return { container, address, ready: () => serving(address) };
  });

const startGateway = () =>
  startOnFreePorts('gateway', async (metricsPort) => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    await loginClient?.remove();
    loginClient = await browserLoginClient(publicUrl);
    const backends = backendAddresses(Object.fromEntries(services.map((s) => [s, running.get(s)!.address])));
    const container = startContainer('gateway', {
      ...baseEnvironment(`${dbName}_gateway`),
      ...backends,
      HTTP_PORT: String(port),
      PUBLIC_URL: publicUrl,
      OIDC_CLIENT_ID: loginClient.id,
      OIDC_CLIENT_SECRET: loginClient.secret,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      // The SIGTERM test keeps calling /readyz from one address.
      RATE_LIMIT_PER_MINUTE: '100000',
      ...telemetryEnv('gateway', metricsPort),
    });
    return { container, address: publicUrl, ready: async () => (await get(`${publicUrl}/readyz`)) === 200 };
  });

beforeAll(async () => {
  traces = await startTraceReceiver();
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  // The auth service first: every other service's patient directory asks it (AUTH_GRPC_URL).
  await startService('auth');
  const authUrl = { AUTH_GRPC_URL: running.get('auth')!.address };
  await Promise.all(services.filter((name) => name !== 'auth').map((name) => startService(name, authUrl)));
  await startGateway();
}, 180_000);

afterAll(async () => {
  for (const { container } of running.values()) container.remove();
  await traces?.stop();
  await loginClient?.remove();
  if (patient) await deleteUser(patient);
  const { connectMongo } = await import('@portico/kit/mongo');
  const { createLogger } = await import('@portico/kit/logging');
  const connection = await connectMongo({ url: env.mongoUrl, dbName, logger: createLogger('test', 'silent') });
  for (const name of deployables())
    await connection
      .useDb(`${dbName}_${name}`)
      .dropDatabase()
      .catch(() => {});
  await connection.close();
});

describe.each(deployables())('the %s image', (name) => {
  const it_ = (title: string, test: (r: Running) => Promise<void> | void) => it(title, () => test(running.get(name)!));

  it_('runs its process as uid 10001 with no capabilities, no new privileges and a read-only root filesystem', ({ container }) => {
    const proc = processStatus(container);
    expect(proc.Uid!.split(/\s+/)).toEqual(['10001', '10001', '10001', '10001']);
    expect(proc.Gid!.split(/\s+/)[0]).toBe('10001');
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(proc[set], set).toBe('0000000000000000');
    expect(proc.NoNewPrivs).toBe('1');
    const write = container.exec(['sh', '-c', 'touch /app/written-by-the-service']);
    expect(write.status).not.toBe(0);
    expect(write.stderr).toContain('Read-only file system');
    // /tmp is the only place it may write.
    expect(container.exec(['sh', '-c', 'touch /tmp/scratch && rm /tmp/scratch']).status).toBe(0);
  });

  it_('answers its health check', async ({ address }) => {
    if (name === 'gateway') expect(await get(`${address}/readyz`)).toBe(200);
    else expect(await serving(address)).toBe(true);
  });

  it_('serves Prometheus metrics named after itself, with its runtime series', async ({ metricsPort }) => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(new RegExp(`^target_info\\{[^}]*service_name="portico-${name}"`, 'm'));
    expect(text).toContain('nodejs_eventloop_utilization');
    // The gateway's request durations by method and status.
    if (name === 'gateway') expect(text).toMatch(/^http_server_request_duration_count\{[^}]*http_response_status_code="200"/m);
  });

  it_('exports the traces of the calls it serves over OTLP', async () => {
    const spans = await waitUntil(
      () => {
        const mine = traces.spans.filter((s) => s.service === `portico-${name}` && s.kind === 'server');
        return mine.length > 0 ? mine : undefined;
      },
      20_000,
      `server spans of portico-${name}`,
    );
    expect(spans[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it_('passes its image’s own HEALTHCHECK', ({ container }) => {
    const check = podman(['healthcheck', 'run', container.name]);
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    const state = podman(['inspect', '--format', '{{.State.Health.Status}}', container.name]);
    expect(state.stdout.trim()).toBe('healthy');
  });
});

describe('gateway, auth and contacts, all in containers', () => {
  it('lets a patient log in through the gateway and Keycloak, then add a contact and see it', async () => {
    const gateway = running.get('gateway')!.address;
    const browser = new BrowserSession(gateway);
    expect(await browser.logIn(patient.username, patient.password, '/contacts')).toBe('/contacts');
    const me = (await (await browser.api('/api/v1/me')).json()) as { csrfToken: string };
    const contacts = `/api/v1/patients/${patient.id}/contacts`;
    const added = await browser.api(contacts, {
      method: 'POST',
      csrf: me.csrfToken,
      body: JSON.stringify({
        name: 'Maria Lopez',
        relationship: 'Mother',
        phone: '(415) 555-2671',
        phoneRegion: 'US',
        purposes: ['emergency'],
      }),
    });
    expect(added.status).toBe(201);
    const { contact } = (await added.json()) as { contact: { id: string; phone: string } };
    expect(contact.phone).toBe('+14155552671');
    const listed = (await (await browser.api(contacts)).json()) as { contacts: { id: string; name: string; relationship: string }[] };
    expect(listed.contacts).toEqual([expect.objectContaining({ id: contact.id, name: 'Maria Lopez', relationship: 'Mother' })]);
  });
});

describe('SIGTERM', () => {
  // The gateway first, as a rollout would drain it, then the services it calls.
  it.each(deployables())(
    'stops the %s container within the grace period, finishing the calls in flight, with exit code 0 and its traces flushed',
    async (name) => {
      const { container, address } = running.get(name)!;
      const call =
        name === 'gateway' ? () => get(`${address}/readyz`) : () => grpcCall(address, '/grpc.health.v1.Health/Check').then((r) => r.code);
      // Callers keep calling, eight at a time, from before the SIGTERM until the process is gone.
      const outcomes: (number | string)[] = [];
      let stopped = false;
      const callers = Array.from({ length: 8 }, async () => {
        while (!stopped) outcomes.push(await call());
      });
      await waitUntil(() => (outcomes.length >= 16 ? true : undefined), 10_000, 'calls answered before the stop');
      const exitCode = await container.stop(graceSeconds);
      stopped = true;
      await Promise.all(callers);
      expect(exitCode, container.logs()).toBe(0);
      // Each call got its whole answer, or was turned away before it began: never cut off half-way.
      const answered = name === 'gateway' ? [200, 503] : [status.OK];
      const refused = name === 'gateway' ? ['ECONNREFUSED', 'ECONNRESET'] : [status.UNAVAILABLE];
      expect(outcomes.filter((o) => ![...answered, ...refused].includes(o as never))).toEqual([]);
      // Nothing went wrong on the way out.
      expect(container.logs()).not.toMatch(/"level":(50|60)/);
      // Telemetry was flushed at shutdown: every call answered has its span at the receiver.
      const served = traces.spans.filter((s) => s.service === `portico-${name}` && s.kind === 'server');
      expect(served.length).toBeGreaterThanOrEqual(outcomes.filter((o) => answered.includes(o as never)).length);
    },
    (graceSeconds + 30) * 1000,
  );
});
