// What every caller of the gateway meets before any domain logic: the OpenAPI document, security
// headers, request ids that follow a request, bad headers, and the rate limit (which spares the
// health probes) — all answering problem+json.
import { readFile } from 'node:fs/promises';
import { createUser, deleteUser, passwordGrant, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: RunningPlatform;
let patient: TestUser;
let token: string;

beforeAll(async () => {
  platform = await startPlatform({ rateLimitPerMinute: 20 });
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  token = await passwordGrant(patient);
});

afterAll(async () => {
  await platform?.stop();
  if (patient) await deleteUser(patient);
});

describe('the gateway’s edge', () => {
  it('publishes an OpenAPI 3.1 document of the API at /api/docs', async () => {
    const ui = await fetch(`${platform.gatewayUrl}/api/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const document = await (await fetch(`${platform.gatewayUrl}/api/docs/json`)).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/patients/{patientId}/contacts',
        '/api/v1/patients/{patientId}/contacts/{contactId}',
        '/api/v1/me',
        '/api/v1/staff/invitations',
      ]),
    );
    expect(document.paths['/api/v1/patients/{patientId}/contacts'].post.requestBody.content['application/json'].schema).toBeDefined();
    // The committed copy the web app generates its types from is the document the gateway serves.
    expect(document).toEqual(JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8')));
  });

  it('sends security headers and keeps a sane request id from the caller', async () => {
    const response = await fetch(`${platform.gatewayUrl}/api/v1/patients/${patient.id}/contacts`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'trace-me-12345' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-me-12345');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('strict-transport-security')).toContain('max-age=31536000');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');

    // An id that could smuggle text into logs is replaced with one of the gateway's own.
    const odd = await fetch(`${platform.gatewayUrl}/healthz`, { headers: { 'x-request-id': 'a b\tc' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an If-Match beyond any version with 400, as for any other bad header, and changes nothing', async () => {
    const contacts = `${platform.gatewayUrl}/api/v1/patients/${patient.id}/contacts`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const body = JSON.stringify({ name: 'Versioned Person', purposes: ['other'] });
    const { contact } = await (await fetch(contacts, { method: 'POST', headers, body })).json();
    // Beyond 64 bits, and beyond the versions a JSON number carries exactly.
    for (const ifMatch of ['"99999999999999999999"', '"9007199254740993"']) {
      const edit = await fetch(`${contacts}/${contact.id}`, {
        method: 'PUT',
        headers: { ...headers, 'if-match': ifMatch },
        body: JSON.stringify({ name: 'Changed', purposes: ['other'] }),
      });
      expect(edit.status, ifMatch).toBe(400);
      expect(await edit.json()).toMatchObject({ type: '/problems/invalid-request' });
    }
    const stored = await platform
      .db('contacts')
      .collection('contacts')
      .findOne({ _id: contact.id as never });
    expect([stored?.details.name, stored?.version]).toEqual(['Versioned Person', 1]);
  });

  it('answers 429 problem+json once a client exceeds the rate limit, and its probes still answer', async () => {
    const contacts = `${platform.gatewayUrl}/api/v1/patients/${patient.id}/contacts`;
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await fetch(contacts, { headers: { authorization: `Bearer ${token}` } })).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    const limited = await fetch(contacts, { headers: { authorization: `Bearer ${token}` } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(await limited.json()).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
    expect(limited.headers.get('retry-after')).toBeTruthy();

    // The same client's budget is spent; the orchestrator's probes from it are not refused.
    expect((await fetch(`${platform.gatewayUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${platform.gatewayUrl}/healthz`)).status).toBe(200);
  });
});
