// One service down takes only its own part of the portal with it: its routes answer 503
// problem+json, everything else keeps serving, and the gateway stays ready (an orchestrator would
// otherwise pull the whole portal out of rotation for one service).
import { createUser, deleteUser, passwordGrant, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: RunningPlatform;
let patient: TestUser;
let token: string;

beforeAll(async () => {
  platform = await startPlatform();
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  token = await passwordGrant(patient);
});

afterAll(async () => {
  await platform?.stop();
  if (patient) await deleteUser(patient);
});

const get = (path: string) => fetch(`${platform.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('a service that is down', () => {
  it('answers 503 on its own routes while the rest of the portal and readiness stay up', async () => {
    expect((await get(`/api/v1/patients/${patient.id}/contacts`)).status).toBe(200);
    // A new clinic has no profile yet (404): what matters is that the answer does not change.
    const organisation = (await get('/api/v1/organisation')).status;
    expect(organisation).not.toBe(503);
    expect(await (await fetch(`${platform.gatewayUrl}/readyz`)).json()).toMatchObject({ status: 'ready', services: { contacts: true } });

    await platform.stopService('contacts');

    const list = await get(`/api/v1/patients/${patient.id}/contacts`);
    expect(list.status).toBe(503);
    expect(list.headers.get('content-type')).toContain('application/problem+json');
    expect(await list.json()).toMatchObject({ type: '/problems/unavailable', status: 503 });
    const add = await fetch(`${platform.gatewayUrl}/api/v1/patients/${patient.id}/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'While Down', purposes: ['other'] }),
    });
    expect(add.status).toBe(503);

    // The clinic's page and the account, served by the auth service, do not notice.
    expect((await get('/api/v1/organisation')).status).toBe(organisation);
    expect((await get('/api/v1/me')).status).toBe(200);
    const readiness = await fetch(`${platform.gatewayUrl}/readyz`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ status: 'ready', checks: { mongodb: true }, services: { auth: true, contacts: false } });
  });
});
