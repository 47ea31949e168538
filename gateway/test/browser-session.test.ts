// Browser login through the gateway: authorization code + PKCE against Keycloak's real login form,
// a server-side session behind a __Host- cookie, CSRF defence, guardians choosing whom they act
// for, logout that ends the Keycloak session too, and the idle timeout.
import {
  adminAccessToken,
  BrowserSession,
  createUser,
  deleteUser,
  env,
  startPlatform,
  type RunningPlatform,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: RunningPlatform;
let patient: TestUser;
let other: TestUser;
let guardian: TestUser;

beforeAll(async () => {
  platform = await startPlatform();
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  other = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  guardian = await createUser({ roles: ['guardian'], patients: [patient.id], clinicId: 'clinic-a' });
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([patient, other, guardian].filter(Boolean).map((u) => deleteUser(u!)));
});

async function keycloakSessions(user: TestUser): Promise<unknown[]> {
  const response = await fetch(`${env.keycloakUrl}/admin/realms/${env.realm}/users/${user.id}/sessions`, {
    headers: { authorization: `Bearer ${await adminAccessToken()}` },
  });
  return (await response.json()) as unknown[];
}

describe('browser sessions', () => {
  it('logs a patient in with PKCE, keeps tokens on the server, and guards changes with the CSRF token', async () => {
    const browser = new BrowserSession(platform.gatewayUrl);
    expect(await browser.logIn(patient.username, patient.password, '/contacts')).toBe('/contacts');

    const cookie = browser.gatewayCookies.find((c) => c.startsWith('__Host-portico-session='))!;
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).not.toMatch(/Domain=/i);

    const me = await (await browser.api('/api/v1/me')).json();
    expect(me).toMatchObject({ user: { id: patient.id, username: patient.username, roles: ['patient'] }, actingFor: patient.id });
    expect(me.csrfToken).toMatch(/^[\w-]{20,}$/);

    // No token is stored in the clear: the session holds only sealed tokens and a digest of the cookie.
    const stored = JSON.stringify(await platform.db('gateway').collection('sessions').find({}).toArray());
    const sessionId = browser.jar.get(platform.gatewayUrl, '__Host-portico-session')!;
    expect(stored).not.toContain(sessionId);
    expect(stored).not.toMatch(/eyJ[\w-]+\.eyJ/);

    const body = JSON.stringify({ name: 'Session Contact', email: 'sc@example.org', purposes: ['other'] });
    const withoutCsrf = await browser.api(`/api/v1/patients/${patient.id}/contacts`, { method: 'POST', body });
    expect(withoutCsrf.status).toBe(403);
    const wrongCsrf = await browser.api(`/api/v1/patients/${patient.id}/contacts`, { method: 'POST', body, csrf: 'x'.repeat(43) });
    expect(wrongCsrf.status).toBe(403);
    expect(await platform.db('contacts').collection('contacts').countDocuments({ patientId: patient.id })).toBe(0);

    const added = await browser.api(`/api/v1/patients/${patient.id}/contacts`, { method: 'POST', body, csrf: me.csrfToken });
    expect(added.status).toBe(201);
    // Reads need no CSRF token; another patient's records stay hidden behind a session as well.
    expect((await (await browser.api(`/api/v1/patients/${patient.id}/contacts`)).json()).contacts).toHaveLength(1);
    expect((await browser.api(`/api/v1/patients/${other.id}/contacts`)).status).toBe(404);
  });

  it('never redirects after login to another site', async () => {
    const browser = new BrowserSession(platform.gatewayUrl);
    expect(await browser.logIn(patient.username, patient.password, '//evil.example/steal')).toBe('/');
  });

  it('lets a guardian choose among their patients only', async () => {
    const browser = new BrowserSession(platform.gatewayUrl);
    await browser.logIn(guardian.username, guardian.password);
    const me = await (await browser.api('/api/v1/me')).json();
    expect(me.actingFor).toBe(patient.id);
    // Named as Keycloak knows them (createUser: first name Test, last name the username).
    expect(me.patients).toEqual([{ id: patient.id, name: `Test ${patient.username}` }]);
    const body = (patientId: string) => JSON.stringify({ patientId });
    expect((await browser.api('/api/v1/me/acting-for', { method: 'PUT', body: body(other.id), csrf: me.csrfToken })).status).toBe(404);
    expect((await browser.api('/api/v1/me/acting-for', { method: 'PUT', body: body(patient.id), csrf: me.csrfToken })).status).toBe(200);
  });

  it('ends the portal and the Keycloak session at logout, and the old cookie stops working', async () => {
    const browser = new BrowserSession(platform.gatewayUrl);
    await browser.logIn(other.username, other.password);
    const { csrfToken } = await (await browser.api('/api/v1/me')).json();
    expect(await keycloakSessions(other)).toHaveLength(1);
    const cookie = browser.jar.header(platform.gatewayUrl);

    expect((await browser.api('/auth/logout', { method: 'POST' })).status).toBe(403);
    const logout = await browser.api('/auth/logout', { method: 'POST', csrf: csrfToken });
    expect(logout.status).toBe(200);
    const { redirectTo } = await logout.json();
    expect(redirectTo).toContain(`${env.issuer}/protocol/openid-connect/logout`);
    expect(redirectTo).toContain('id_token_hint=');

    const replay = await fetch(`${platform.gatewayUrl}/api/v1/me`, { headers: { cookie } });
    expect(replay.status).toBe(401);
    expect(await keycloakSessions(other)).toHaveLength(0);
    expect(await platform.db('gateway').collection('sessions').countDocuments({ subject: other.id })).toBe(0);
  });
});

describe('an idle session', () => {
  let shortIdle: RunningPlatform;
  beforeAll(async () => {
    shortIdle = await startPlatform({ sessionIdleSeconds: 2 });
  });
  afterAll(async () => {
    await shortIdle?.stop();
  });

  it('stops working after the idle timeout', async () => {
    const browser = new BrowserSession(shortIdle.gatewayUrl);
    await browser.logIn(patient.username, patient.password);
    expect((await browser.api('/api/v1/me')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await browser.api('/api/v1/me')).status).toBe(401);
    expect(await shortIdle.db('gateway').collection('sessions').countDocuments({})).toBe(0);
  });
});

describe('a session whose access token is short-lived', () => {
  let shortTokens: RunningPlatform;
  beforeAll(async () => {
    shortTokens = await startPlatform({ accessTokenLifespanSeconds: 5 });
  });
  afterAll(async () => {
    await shortTokens?.stop();
  });

  it('outlives its access tokens: the gateway refreshes them with Keycloak, rotating the refresh token', async () => {
    const browser = new BrowserSession(shortTokens.gatewayUrl);
    await browser.logIn(patient.username, patient.password);
    const sealed = async () => (await shortTokens.db('gateway').collection('sessions').findOne({ subject: patient.id }))?.tokens as string;
    const first = await sealed();
    // Tokens of 5 s are always within the gateway's refresh margin: the next request refreshes
    // them rather than sending a service a token about to expire, and the session goes on.
    expect((await browser.api(`/api/v1/patients/${patient.id}/contacts`)).status).toBe(200);
    const second = await sealed();
    expect(second).not.toBe(first);
    expect((await browser.api('/api/v1/me')).status).toBe(200);
  });
});
