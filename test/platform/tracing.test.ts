// One trace crosses gateway → gRPC → Kafka → consumer: the services export their spans over OTLP
// to a receiver in this test, and the event a consumer reads carries the same trace.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  backendAddresses,
  baseEnvironment,
  createUser,
  deleteUser,
  passwordGrant,
  serviceEnvironment,
  recordTopics,
  spawnService,
  waitUntil,
  type ServiceProcess,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
}

const spans: ReceivedSpan[] = [];
let receiver: Server;
let contacts: ServiceProcess;
let auth: ServiceProcess;
let gateway: ServiceProcess;
let patient: TestUser;
const gatewayPort = 18_000 + Math.floor(Math.random() * 1_000);

/** A minimal OTLP/HTTP JSON trace receiver, standing where a collector or Jaeger would. */
function startReceiver(): Promise<number> {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const payload = JSON.parse(body || '{}');
      for (const resourceSpans of payload.resourceSpans ?? []) {
        const service =
          resourceSpans.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue ?? '?';
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? [])
            spans.push({ service, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', name: span.name });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve((receiver.address() as AddressInfo).port)));
}

beforeAll(async () => {
  const port = await startReceiver();
  const telemetry = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    METRICS_PORT: '0',
  };
  const nodeArgs = ['--import', '@portico/kit/telemetry/register'];
  const dbName = `test_tracing_${randomUUID().slice(0, 8)}`;
  contacts = await spawnService(
    'services/contacts/dist/main.js',
    { ...serviceEnvironment('contacts', `${dbName}_contacts`), ...telemetry, OTEL_SERVICE_NAME: 'contacts' },
    { nodeArgs },
  );
  auth = await spawnService(
    'services/auth/dist/main.js',
    { ...serviceEnvironment('auth', `${dbName}_auth`), ...telemetry, OTEL_SERVICE_NAME: 'auth' },
    { nodeArgs },
  );
  gateway = await spawnService(
    'gateway/dist/main.js',
    {
      ...baseEnvironment(`${dbName}_gateway`),
      ...telemetry,
      OTEL_SERVICE_NAME: 'gateway',
      HTTP_PORT: String(gatewayPort),
      ...backendAddresses({ contacts: `127.0.0.1:${contacts.grpcPort}`, auth: `127.0.0.1:${auth.grpcPort}` }),
    },
    { nodeArgs, readyUrl: `http://127.0.0.1:${gatewayPort}/readyz` },
  );
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
});

afterAll(async () => {
  await gateway?.kill();
  await contacts?.kill();
  await auth?.kill();
  receiver?.close();
  if (patient) await deleteUser(patient);
});

describe('tracing', () => {
  it('follows one contact change from the gateway through the service and Kafka to a consumer', async () => {
    const topic = await recordTopics(['portico.contacts.v1']);
    try {
      const token = await passwordGrant(patient);
      const response = await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/patients/${patient.id}/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Traced Contact', email: 'traced@example.org', purposes: ['other'] }),
      });
      expect(response.status).toBe(201);

      await topic.waitFor((r) => r.some((x) => x.key === patient.id));
      const mine = topic.records.find((x) => x.key === patient.id)!;
      const [, traceId, publishSpanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-/.exec(mine.headers.traceparent!)!;

      const trace = await waitUntil(
        () => {
          const found = spans.filter((s) => s.traceId === traceId);
          const services = new Set(found.map((s) => s.service));
          // The gateway's HTTP span ends after the answer is sent, so its batch may arrive after the service's.
          const complete =
            services.has('gateway') &&
            services.has('contacts') &&
            found.some((s) => s.spanId === publishSpanId) &&
            found.some((s) => s.parentSpanId === '');
          return complete ? found : undefined;
        },
        20_000,
        'spans of both services, the root included',
      );
      // The gateway's HTTP span is the root; the gRPC call, the database writes and the publish hang below it.
      const root = trace.find((s) => s.parentSpanId === '')!;
      expect(root.service).toBe('gateway');
      expect(trace.some((s) => s.service === 'gateway' && /ContactsService\/AddContact/.test(s.name))).toBe(true);
      expect(trace.some((s) => s.service === 'contacts' && /ContactsService\/AddContact/.test(s.name))).toBe(true);
      const publish = trace.find((s) => s.spanId === publishSpanId)!;
      expect(publish).toMatchObject({ service: 'contacts', name: 'portico.contacts.v1 publish' });
    } finally {
      await topic.stop();
    }
  });

  it('logs each request by its route, with the trace id, and never a token, a patient id or a query string', async () => {
    const token = await passwordGrant(patient);
    await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/patients/${patient.id}/contacts`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await fetch(`http://127.0.0.1:${gatewayPort}/auth/callback?code=secret-authorization-code&state=abc`);
    const wanted = ['/api/v1/patients/:patientId/contacts', '/auth/callback'];
    const entries = await waitUntil(
      () => {
        const found = gateway.logs
          .filter((l) => l.includes('request completed'))
          .map((l) => JSON.parse(l) as { route: string; statusCode: number; trace_id?: string })
          .filter((e) => wanted.includes(e.route));
        return new Set(found.map((e) => e.route)).size === wanted.length ? found : undefined;
      },
      10_000,
      'the gateway’s request lines',
    );
    expect([...new Set(entries.map((e) => e.route))].sort()).toEqual([...wanted].sort());
    expect(entries.every((e) => /^[0-9a-f]{32}$/.test(e.trace_id ?? ''))).toBe(true);
    const everything = gateway.logs.join('\n');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(patient.id);
    expect(everything).not.toContain('secret-authorization-code');
  });
});
