// What operators rely on in every Portico gRPC service, shown on the contacts service run as in
// production (its own process, telemetry loaded first): standard health that follows its database,
// server reflection, Prometheus metrics, and a SIGTERM that lets calls in flight finish.
import { randomUUID } from 'node:crypto';
import { Client, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { ContactPurpose, ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import {
  createUser,
  deleteUser,
  freePort,
  infra,
  passwordGrant,
  serviceEnvironment,
  spawnService,
  waitUntil,
  type ServiceProcess,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let service: ServiceProcess;
let patient: TestUser;
let metricsPort: number;
const dbName = `test_grpc_server_${randomUUID().slice(0, 8)}`;

const start = async () => {
  metricsPort = await freePort();
  return spawnService(
    'services/contacts/dist/main.js',
    {
      ...serviceEnvironment('contacts', dbName),
      GRPC_PORT: '0',
      METRICS_PORT: String(metricsPort),
      OTEL_SERVICE_NAME: 'contacts',
    },
    { nodeArgs: ['--import', '@portico/kit/telemetry/register'] },
  );
};

/** Raw unary call with hand-encoded bytes, as a generic gRPC tool would make it. */
function rawCall(address: string, path: string, request: Buffer): Promise<Buffer> {
  const client = new Client(address, credentials.createInsecure());
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      request,
      { deadline: new Date(Date.now() + 3_000) },
      (error: ServiceError | null, value?: Buffer) => {
        client.close();
        return error ? reject(error) : resolve(value!);
      },
    ),
  );
}

// HealthCheckResponse.status: field 1 varint; 1 = SERVING, 2 = NOT_SERVING.
const healthOf = async (address: string) => {
  const bytes = await rawCall(address, '/grpc.health.v1.Health/Check', Buffer.alloc(0));
  return bytes[1] === 1 ? 'SERVING' : bytes[1] === 2 ? 'NOT_SERVING' : `unknown(${bytes.toString('hex')})`;
};

beforeAll(async () => {
  service = await start();
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
});

afterAll(async () => {
  await service?.kill('SIGKILL');
  infra('up', 'ferretdb');
  if (patient) await deleteUser(patient);
});

describe('a Portico gRPC service', () => {
  it('answers reflection with its service, so operators can use generic gRPC tools', async () => {
    const address = `127.0.0.1:${service.grpcPort}`;
    const client = new Client(address, credentials.createInsecure());
    const call = client.makeBidiStreamRequest(
      '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      (b: Buffer) => b,
      (b: Buffer) => b,
    );
    const answer = new Promise<Buffer>((resolve, reject) => {
      call.on('data', (data: Buffer) => resolve(data));
      call.on('error', reject);
    });
    // ServerReflectionRequest { list_services: "" } is field 7, length 0.
    call.write(Buffer.from([0x3a, 0x00]));
    const response = (await answer).toString('latin1');
    call.end();
    client.close();
    expect(response).toContain(ContactsService.typeName);
  });

  it('exposes Prometheus metrics, including events published by the outbox relay', async () => {
    const contacts = connectService(ContactsService, `127.0.0.1:${service.grpcPort}`);
    try {
      await contacts.addContact(
        { patientId: patient.id, details: { name: 'Metric Person', phone: '+14155552671', purposes: [ContactPurpose.EMERGENCY] } },
        { metadata: forwardedMetadata(await passwordGrant(patient)) },
      );
    } finally {
      contacts.close();
    }
    const metrics = await waitUntil(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        return /portico_events_published_total\S* [1-9]/.test(text) ? text : undefined;
      },
      20_000,
      'the published-events counter',
    );
    // Database pool and event-loop health come from the auto-instrumentations.
    expect(metrics).toContain('db_client_connection_count');
    expect(metrics).toContain('nodejs_eventloop_utilization');
  });

  it('reports NOT_SERVING while its database is down and SERVING again once it is back', async () => {
    const address = `127.0.0.1:${service.grpcPort}`;
    expect(await healthOf(address)).toBe('SERVING');
    infra('down', 'ferretdb');
    try {
      await waitUntil(async () => ((await healthOf(address)) === 'NOT_SERVING' ? true : undefined), 45_000, 'NOT_SERVING');
    } finally {
      infra('up', 'ferretdb');
    }
    await waitUntil(async () => ((await healthOf(address)) === 'SERVING' ? true : undefined), 60_000, 'SERVING again');
  }, 180_000);

  it('finishes the calls in flight when it gets SIGTERM, then exits cleanly and takes no new ones', async () => {
    const address = `127.0.0.1:${service.grpcPort}`;
    const contacts = connectService(ContactsService, address, { defaultTimeoutMs: 20_000 });
    const metadata = forwardedMetadata(await passwordGrant(patient));
    try {
      const inFlight = Array.from({ length: 40 }, (_, i) =>
        contacts
          .addContact(
            { patientId: patient.id, details: { name: `Draining ${i}`, email: `d${i}@example.org`, purposes: [ContactPurpose.OTHER] } },
            { metadata },
          )
          .then(
            () => 'ok',
            (error: ServiceError) => error.code,
          ),
      );
      // SIGTERM once the server is answering this burst, however slow the machine: the first
      // call has completed, the others are queued on the contact's writes or still arriving.
      await Promise.race(inFlight);
      const exit = service.kill('SIGTERM');
      const outcomes = await Promise.all(inFlight);
      expect(await exit).toBe(0);
      // Every call either completed, or was refused before it started (never cut off half-way).
      expect(outcomes.filter((o) => o !== 'ok' && o !== status.UNAVAILABLE)).toEqual([]);
      // More than the one that had finished: calls in flight at SIGTERM were completed.
      expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThan(1);
      await expect(
        contacts.listContacts({ patientId: patient.id }, { metadata, deadline: new Date(Date.now() + 2_000) }),
      ).rejects.toMatchObject({ code: status.UNAVAILABLE });
    } finally {
      contacts.close();
    }
  });
});
