// A service stopped by SIGTERM sends the spans it still holds before it exits, so the last calls
// before a deploy or a scale-down are not missing from the traces. The batch delay is set far
// beyond the test, so only the flush at shutdown can deliver them.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { createUser, deleteUser, passwordGrant, serviceEnvironment, spawnService, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const spanNames: string[] = [];
let receiver: Server;
let patient: TestUser;

/** A minimal OTLP/HTTP JSON trace receiver, standing where a collector would. */
function startReceiver(): Promise<number> {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const payload = JSON.parse(body || '{}') as { resourceSpans?: { scopeSpans?: { spans?: { name: string }[] }[] }[] };
      for (const resource of payload.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? []) for (const span of scope.spans ?? []) spanNames.push(span.name);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve((receiver.address() as AddressInfo).port)));
}

beforeAll(async () => {
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
});

afterAll(async () => {
  receiver?.close();
  if (patient) await deleteUser(patient);
});

describe('telemetry at shutdown', () => {
  it('sends the spans of the last calls before the process exits on SIGTERM', async () => {
    const port = await startReceiver();
    const service = await spawnService(
      'services/contacts/dist/main.js',
      {
        ...serviceEnvironment('contacts', `test_telemetry_${randomUUID().slice(0, 8)}`),
        OTEL_SERVICE_NAME: 'contacts',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      },
      { nodeArgs: ['--import', '@portico/kit/telemetry/register'] },
    );
    const contacts = connectService(ContactsService, `127.0.0.1:${service.grpcPort}`);
    try {
      await contacts.listContacts({ patientId: patient.id }, { metadata: forwardedMetadata(await passwordGrant(patient)) });
    } finally {
      contacts.close();
    }
    expect(spanNames.filter((name) => name.includes('ListContacts'))).toEqual([]);
    expect(await service.kill('SIGTERM')).toBe(0);
    expect(spanNames.filter((name) => name.includes('ContactsService/ListContacts')).length).toBeGreaterThan(0);
  });
});
