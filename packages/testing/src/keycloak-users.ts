// Reading and adjusting real Keycloak users as an administrator would, for tests of what a service
// did to them: their attributes, required actions, credentials and state.
import { decodeJwt } from 'jose';
import { env } from './environment.js';
import { adminAccessToken } from './keycloak.js';

export interface KeycloakUserRepresentation {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled: boolean;
  attributes?: Record<string, string[]>;
  requiredActions?: string[];
  [other: string]: unknown;
}

async function admin(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(`${env.keycloakUrl}/admin/realms/${env.realm}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${await adminAccessToken()}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  if (!response.ok && response.status !== 404) throw new Error(`Keycloak admin ${path}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

export async function keycloakUser(userId: string): Promise<KeycloakUserRepresentation | undefined> {
  const response = await admin(`/users/${userId}`);
  return response.status === 404 ? undefined : ((await response.json()) as KeycloakUserRepresentation);
}

export async function keycloakUserByUsername(username: string): Promise<KeycloakUserRepresentation | undefined> {
  const users = (await (await admin(`/users?username=${encodeURIComponent(username)}&exact=true`)).json()) as KeycloakUserRepresentation[];
  return users[0];
}

export async function realmRolesOf(userId: string): Promise<string[]> {
  return ((await (await admin(`/users/${userId}/role-mappings/realm`)).json()) as { name: string }[]).map((r) => r.name);
}

export async function credentialsOf(userId: string): Promise<{ id: string; type: string; createdDate: number }[]> {
  return (await (await admin(`/users/${userId}/credentials`)).json()) as { id: string; type: string; createdDate: number }[];
}

/** Lets a test log in with the password grant, which refuses users with required actions. */
export async function clearRequiredActions(userId: string): Promise<void> {
  const user = await keycloakUser(userId);
  if (!user) throw new Error(`no Keycloak user ${userId}`);
  const { userProfileMetadata: _metadata, access: _access, ...representation } = user;
  await admin(`/users/${userId}`, { method: 'PUT', body: JSON.stringify({ ...representation, requiredActions: [] }) });
}

export async function deleteKeycloakUser(userId: string): Promise<void> {
  await admin(`/users/${userId}`, { method: 'DELETE' });
}

/** A claim of an access token, as a service reading it would see it. */
export function tokenClaim(accessToken: string, claim: string): unknown {
  return decodeJwt(accessToken)[claim];
}
