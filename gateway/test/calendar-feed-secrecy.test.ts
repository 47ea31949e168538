// A calendar feed's address is its credential (DESIGN rule 4: no secret in a log line). The
// gateway runs here as production runs it, a process with telemetry loaded first, whose log is
// read line by line and whose trace spans reach an OTLP receiver in this test: requests for the
// feed — served, unknown, revoked, malformed, mistyped without .ics, or refused by the rate limit
// — are logged and traced by the route's pattern, and the secret never appears in either.
// Calendar programs that poll too fast are slowed down by the same rate limit as every other caller.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  backendAddresses,
  baseEnvironment,
  createUser,
  deleteUser,
  freePort,
  passwordGrant,
  spawnService,
  startPlatform,
  waitUntil,
  type RunningPlatform,
  type ServiceProcess,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RATE_LIMIT = 30;
const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let platform: RunningPlatform;
let receiver: Server;
/** Every OTLP export the gateway sent, as it arrived. */
const exports: string[] = [];
let gateway: ServiceProcess;
let gatewayUrl: string;
let staff: TestUser;
let patient: TestUser;

/** Where a collector would be: keeps what the gateway exports over OTLP/HTTP JSON. */
function startReceiver(): Promise<number> {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      exports.push(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve((receiver.address() as AddressInfo).port)));
}

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'appointments'] });
  const otlpPort = await startReceiver();
  const port = await freePort();
  gatewayUrl = `http://127.0.0.1:${port}`;
  gateway = await spawnService(
    'gateway/dist/main.js',
    {
      // The platform's gateway database: its sessions go when the platform stops.
      ...baseEnvironment(`${platform.runId}_gateway`),
      ...backendAddresses({ auth: platform.address('auth'), appointments: platform.address('appointments') }),
      HTTP_PORT: String(port),
      PUBLIC_URL: gatewayUrl,
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      OTEL_SERVICE_NAME: 'gateway',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
    { readyUrl: `${gatewayUrl}/readyz`, nodeArgs: ['--import', '@portico/kit/telemetry/register'] },
  );
  staff = await createUser({ roles: ['staff'], clinicId });
  patient = await createUser({ roles: ['patient'], clinicId });
});

afterAll(async () => {
  await gateway?.kill();
  receiver?.close();
  await platform?.stop();
  await Promise.all([staff, patient].filter(Boolean).map((u) => deleteUser(u!)));
});

interface RequestLine {
  msg: string;
  method: string;
  route: string;
  statusCode: number;
}
const requestLines = () =>
  gateway.logs.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as RequestLine;
      return entry.msg === 'request completed' ? [entry] : [];
    } catch {
      return [];
    }
  });

/** The url.path of every server span the gateway exported. */
const tracedPaths = () =>
  exports.flatMap((body) => {
    const payload = JSON.parse(body || '{}') as {
      resourceSpans?: { scopeSpans?: { spans?: { kind?: number; attributes?: { key: string; value: { stringValue?: string } }[] }[] }[] }[];
    };
    return (payload.resourceSpans ?? []).flatMap((r) =>
      (r.scopeSpans ?? []).flatMap((scope) =>
        (scope.spans ?? []).flatMap(
          (span) => span.attributes?.filter((a) => a.key === 'url.path').map((a) => a.value.stringValue ?? '') ?? [],
        ),
      ),
    );
  });

describe('the calendar feed address in the gateway’s logs and traces', () => {
  it('is never written, whatever the request for it; its requests are logged and traced by the route, and rate limited', async () => {
    const [staffToken, patientToken] = [await passwordGrant(staff), await passwordGrant(patient)];
    const as = (token: string, path: string, init: RequestInit = {}) =>
      fetch(`${gatewayUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      });
    expect(
      (
        await as(staffToken, '/api/v1/staff/organisation', {
          method: 'PUT',
          body: JSON.stringify({ name: 'Lakeside Clinic', timeZone: 'Europe/London', portalUrl: gatewayUrl }),
        })
      ).status,
    ).toBe(200);
    const start = new Date(Date.now() + 2 * 86_400_000);
    const day = start.toISOString().slice(0, 10);
    const scheduled = await as(staffToken, `/api/v1/staff/patients/${patient.id}/appointments`, {
      method: 'POST',
      body: JSON.stringify({
        clinicianId: staff.id,
        serviceType: 'Intake assessment',
        start: `${day}T11:00`,
        end: `${day}T12:00`,
        mode: 'in_person',
        location: 'Room 1',
      }),
    });
    expect(scheduled.status, await scheduled.clone().text()).toBe(201);

    const feedPath = `/api/v1/patients/${patient.id}/appointments/calendar-feed`;
    const created = await as(patientToken, feedPath, { method: 'POST' });
    expect(created.status).toBe(201);
    const { feedUrl } = (await created.json()) as { feedUrl: string };
    const token = /\/calendar\/([^/]+)\.ics$/.exec(feedUrl)![1]!;

    expect((await fetch(feedUrl)).status).toBe(200);
    expect((await fetch(feedUrl, { method: 'HEAD' })).status).toBe(200);
    // Mistyped: without .ics (no route), with a character too many (malformed), and a stranger's guess.
    expect((await fetch(`${gatewayUrl}/calendar/${token}`)).status).toBe(404);
    expect((await fetch(`${gatewayUrl}/calendar/${token}x.ics`)).status).toBe(404);
    expect((await fetch(`${gatewayUrl}/calendar/${token.slice(1)}A.ics`)).status).toBe(404);
    expect((await as(patientToken, feedPath, { method: 'DELETE' })).status).toBe(204);
    const revoked = await fetch(feedUrl);
    expect(revoked.status).toBe(404);
    // Nor does the error body say the address back.
    const problem = await revoked.text();
    expect(JSON.parse(problem)).toMatchObject({ type: '/problems/not-found', instance: '/calendar/{token}.ics' });
    expect(problem).not.toContain(token);

    // A calendar program polling in a loop meets the rate limit like any other caller.
    let limited: Response | undefined;
    for (let i = 0; i <= RATE_LIMIT && !limited; i++) {
      const response = await fetch(feedUrl);
      if (response.status === 429) limited = response;
      else await response.body?.cancel();
    }
    expect(limited?.status).toBe(429);
    const tooMany = await limited!.text();
    expect(JSON.parse(tooMany)).toMatchObject({ type: '/problems/too-many-requests' });
    expect(tooMany).not.toContain(token);

    // Each line is written once its response is sent: wait for the one of the 429.
    const lines = await waitUntil(
      () => {
        const found = requestLines();
        return found.some((l) => l.statusCode === 429) ? found : undefined;
      },
      10_000,
      'the log line of the refused request',
    );
    const feedLines = lines.filter((l) => l.route.startsWith('/calendar'));
    expect(new Set(feedLines.map((l) => l.route))).toEqual(new Set(['/calendar/:token.ics', '/calendar/…']));
    expect(feedLines.map((l) => l.statusCode)).toEqual(expect.arrayContaining([200, 404, 429]));
    const everything = gateway.logs.join('\n');
    for (const secret of [token, token.slice(0, 20), feedUrl, patientToken, staffToken]) expect(everything).not.toContain(secret);

    // The spans of the same requests, once exported: the refused one last.
    const paths = await waitUntil(
      () => {
        const found = tracedPaths().filter((p) => p.startsWith('/calendar'));
        return found.length >= feedLines.length ? found : undefined;
      },
      15_000,
      'the spans of the feed requests',
    );
    expect(new Set(paths)).toEqual(new Set(['/calendar/:token.ics', '/calendar/…']));
    const traced = exports.join('\n');
    for (const secret of [token, token.slice(0, 20), patientToken, staffToken]) expect(traced).not.toContain(secret);
  });
});
