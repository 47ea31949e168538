// Real Keycloak users for tests: created through the admin REST API with the roles and attributes
// Portico reads, and real access tokens obtained with the password grant.
import { randomUUID } from 'node:crypto';
import { env } from './environment.js';

const realmUrl = () => `${env.keycloakUrl}/realms/${env.realm}`;
const adminUrl = () => `${env.keycloakUrl}/admin/realms/${env.realm}`;

async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

let adminToken: { value: string; expires: number } | undefined;
export async function adminAccessToken(): Promise<string> {
  if (adminToken && adminToken.expires > Date.now() + 5_000) return adminToken.value;
  const response = await expectOk(
    await fetch(`${env.keycloakUrl}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: env.adminUser, password: env.adminPassword }),
    }),
    'admin token',
  );
  const body = (await response.json()) as { access_token: string; expires_in: number };
  adminToken = { value: body.access_token, expires: Date.now() + body.expires_in * 1000 };
  return body.access_token;
}

async function admin(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${adminUrl()}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${await adminAccessToken()}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

export async function createUser(options: {
  roles: string[];
  patients?: string[];
  clinicId?: string;
  /** The name people see; "Test" and the username when absent. */
  givenName?: string;
  familyName?: string;
  /** A patient's date of birth, YYYY-MM-DD, as the auth service records it when inviting. */
  dateOfBirth?: string;
}): Promise<TestUser> {
  const username = `test-${randomUUID().slice(0, 12)}`;
  const password = `Pw-${randomUUID()}`;
  const attributes: Record<string, string[]> = {};
  if (options.patients) attributes.patients = options.patients;
  if (options.clinicId) attributes.clinic_id = [options.clinicId];
  if (options.dateOfBirth) attributes.birth_date = [options.dateOfBirth];
  await expectOk(
    await admin('/users', {
      method: 'POST',
      body: JSON.stringify({
        username,
        enabled: true,
        email: `${username}@example.org`,
        emailVerified: true,
        firstName: options.givenName ?? 'Test',
        lastName: options.familyName ?? username,
        attributes,
        credentials: [{ type: 'password', value: password, temporary: false }],
      }),
    }),
    'create user',
  );
  const [user] = (await (await expectOk(await admin(`/users?username=${username}&exact=true`), 'find user')).json()) as { id: string }[];
  const roles = (await Promise.all(
    options.roles.map(async (role) => (await expectOk(await admin(`/roles/${role}`), `role ${role}`)).json()),
  )) as unknown[];
  await expectOk(await admin(`/users/${user!.id}/role-mappings/realm`, { method: 'POST', body: JSON.stringify(roles) }), 'assign roles');
  return { id: user!.id, username, password };
}

export async function deleteUser(user: TestUser): Promise<void> {
  await admin(`/users/${user.id}`, { method: 'DELETE' });
}

export async function passwordGrant(
  user: TestUser,
  client = { id: 'portico-gateway', secret: 'portico-gateway-dev-secret' },
): Promise<string> {
  const response = await expectOk(
    await fetch(`${realmUrl()}/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: client.id,
        client_secret: client.secret,
        username: user.username,
        password: user.password,
        scope: 'openid',
      }),
    }),
    'password grant',
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface TestClient {
  id: string;
  secret: string;
  remove(): Promise<void>;
}

/** A throwaway confidential client with the given settings; remove() deletes it. */
async function createClient(prefix: string, settings: Record<string, unknown>): Promise<TestClient> {
  const clientId = `${prefix}-${randomUUID().slice(0, 8)}`;
  const secret = randomUUID();
  await expectOk(
    await admin('/clients', {
      method: 'POST',
      body: JSON.stringify({ clientId, secret, enabled: true, publicClient: false, ...settings }),
    }),
    `create client ${prefix}`,
  );
  const [client] = (await (await admin(`/clients?clientId=${clientId}`)).json()) as { id: string }[];
  return { id: clientId, secret, remove: async () => void (await admin(`/clients/${client!.id}`, { method: 'DELETE' })) };
}

/** A client with direct access grants and a one-second token life, for expiry tests. */
export const shortLivedClient = () =>
  createClient('test-short', { directAccessGrantsEnabled: true, standardFlowEnabled: false, attributes: { 'access.token.lifespan': '1' } });

/** A browser-login client (code flow, PKCE S256) for a gateway at `publicUrl`. */
export const browserLoginClient = (publicUrl: string, accessTokenLifespanSeconds?: number) =>
  createClient('test-gateway', {
    standardFlowEnabled: true,
    directAccessGrantsEnabled: false,
    redirectUris: [`${publicUrl}/*`],
    webOrigins: [publicUrl],
    attributes: {
      'pkce.code.challenge.method': 'S256',
      'post.logout.redirect.uris': `${publicUrl}/*`,
      ...(accessTokenLifespanSeconds ? { 'access.token.lifespan': String(accessTokenLifespanSeconds) } : {}),
    },
  });

/** A test user who can say their access token at any time. */
export interface Person extends TestUser {
  token(): Promise<string>;
}

/** Tokens are fetched once a minute per person: a slow machine never holds an expired one. */
export function withTokens(user: TestUser): Person {
  let cached: { token: string; at: number } | undefined;
  return {
    ...user,
    async token() {
      if (!cached || Date.now() - cached.at > 60_000) cached = { token: await passwordGrant(user), at: Date.now() };
      return cached.token;
    },
  };
}
