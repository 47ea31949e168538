// One service down takes only its own part of the portal with it: its routes answer 503
// problem+json, everything else keeps serving, and the gateway stays ready (an orchestrator would
// otherwise pull the whole portal out of rotation for one service).
import { loadConfig } from '@portico/kit/config';
import type { RunningService } from '@portico/kit/runtime';
import { contactsService } from '@portico/contacts-service';
import {
  baseEnvironment,
  createUser,
  deleteUser,
  passwordGrant,
  startPlatform,
  type RunningPlatform,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecondGateway, type SecondGateway } from './support/second-gateway.js';

let platform: RunningPlatform;
let contacts: RunningService | undefined;
let gateway: SecondGateway;
let patient: TestUser;
let token: string;
const contactsDb = `test_outage_${Date.now().toString(36)}`;

beforeAll(async () => {
  platform = await startPlatform();
  // A contacts service of this test's own, so that stopping it disturbs no other test.
  contacts = await contactsService.start(loadConfig(contactsService.config, { ...baseEnvironment(contactsDb), GRPC_PORT: '0' }));
  gateway = await startSecondGateway({ auth: platform.authAddress, contacts: `127.0.0.1:${contacts.grpc.port}` });
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  token = await passwordGrant(patient);
});

afterAll(async () => {
  await gateway?.stop();
  await contacts?.lifecycle.shutdown('test over');
  await platform?.contactsDb
    .useDb(contactsDb)
    .dropDatabase()
    .catch(() => {});
  await platform?.stop();
  if (patient) await deleteUser(patient);
});

const get = (path: string) => fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('a service that is down', () => {
  it('answers 503 on its own routes while the rest of the portal and readiness stay up', async () => {
    expect((await get(`/api/v1/patients/${patient.id}/contacts`)).status).toBe(200);
    expect(await (await fetch(`${gateway.url}/readyz`)).json()).toMatchObject({ status: 'ready', services: { contacts: true } });

    await contacts!.lifecycle.shutdown('stopped by the test');
    contacts = undefined;

    const list = await get(`/api/v1/patients/${patient.id}/contacts`);
    expect(list.status).toBe(503);
    expect(list.headers.get('content-type')).toContain('application/problem+json');
    expect(await list.json()).toMatchObject({ type: '/problems/unavailable', status: 503 });
    const add = await fetch(`${gateway.url}/api/v1/patients/${patient.id}/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'While Down', purposes: ['other'] }),
    });
    expect(add.status).toBe(503);

    // The clinic's page and the account, served by the auth service, do not notice.
    expect((await get('/api/v1/organisation')).status).toBe(200);
    expect((await get('/api/v1/me')).status).toBe(200);
    const readiness = await fetch(`${gateway.url}/readyz`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ status: 'ready', checks: { mongodb: true }, services: { auth: true, contacts: false } });
  });
});
