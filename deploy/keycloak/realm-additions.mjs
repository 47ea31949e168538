#!/usr/bin/env node
// Brings a realm that already exists up to what portico-realm.json adds: Keycloak imports the
// realm file only when the realm is new, so a machine (or a cluster) whose realm predates a new
// role or client would otherwise never get it. Adds, never changes or removes: realm roles and
// clients missing from the realm (with the file's settings and default scopes), the roles the
// file gives service-account users, user-profile attributes the file declares and the realm does
// not (Keycloak drops an undeclared attribute silently), and the login and email themes where the
// realm has none.
// Safe to run any number of times; prints what it added.
//
//   node deploy/keycloak/realm-additions.mjs        (after `. deploy/infra/env.sh`)
//
// Reads KEYCLOAK_URL, KEYCLOAK_REALM, KEYCLOAK_ADMIN_USER and KEYCLOAK_ADMIN_PASSWORD (the local
// defaults when unset), and REALM_FILE (this folder's portico-realm.json when unset). A cluster's
// realm is hardened by the chart (no client secrets): there, run it with REALM_FILE pointing at
// the chart's rendered realm, and Keycloak generates the new clients' secrets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

async function adminToken({ url, user, password }) {
  const response = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: user, password }),
  });
  if (!response.ok) throw new Error(`Keycloak admin login: HTTP ${response.status}`);
  return (await response.json()).access_token;
}

/** Adds what `realm` (the parsed realm file) has and the running realm lacks; returns what was added. */
export async function applyRealmAdditions(options = {}) {
  const url = (options.url ?? process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180').replace(/\/$/, '');
  const realm =
    options.realm ?? JSON.parse(readFileSync(process.env.REALM_FILE ?? `${here}/portico-realm.json`, 'utf8'));
  const token = await adminToken({
    url,
    user: options.adminUser ?? process.env.KEYCLOAK_ADMIN_USER ?? 'admin',
    password: options.adminPassword ?? process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'portico-dev-admin',
  });
  const base = `${url}/admin/realms/${encodeURIComponent(options.realmName ?? process.env.KEYCLOAK_REALM ?? realm.realm)}`;
  const admin = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // Never the body of a request: a client representation holds its secret.
    if (!response.ok) throw new Error(`Keycloak admin ${method} ${path.split('?')[0]}: HTTP ${response.status}`);
    return response.status === 204 || response.status === 201 ? undefined : response.json();
  };
  const added = [];

  const roles = new Set((await admin('GET', '/roles?briefRepresentation=true&max=1000')).map((r) => r.name));
  for (const role of realm.roles?.realm ?? []) {
    if (roles.has(role.name)) continue;
    await admin('POST', '/roles', { name: role.name, description: role.description ?? '' });
    added.push(`realm role ${role.name}`);
  }

  const scopes = await admin('GET', '/client-scopes');
  const clientIdOf = async (clientId) => (await admin('GET', `/clients?clientId=${encodeURIComponent(clientId)}`))[0]?.id;
  for (const client of realm.clients ?? []) {
    if (await clientIdOf(client.clientId)) continue;
    await admin('POST', '/clients', client);
    const id = await clientIdOf(client.clientId);
    // Creating a client through the API gives it the realm's default scopes, not the file's.
    for (const [kind, wanted] of [
      ['default-client-scopes', client.defaultClientScopes ?? []],
      ['optional-client-scopes', client.optionalClientScopes ?? []],
    ]) {
      const present = (await admin('GET', `/clients/${id}/${kind}`)).map((s) => s.name);
      for (const name of present)
        if (!wanted.includes(name)) await admin('DELETE', `/clients/${id}/${kind}/${scopes.find((s) => s.name === name).id}`);
      for (const name of wanted) {
        const scope = scopes.find((s) => s.name === name);
        if (scope && !present.includes(name)) await admin('PUT', `/clients/${id}/${kind}/${scope.id}`);
      }
    }
    added.push(`client ${client.clientId}`);
  }

  for (const user of (realm.users ?? []).filter((u) => u.serviceAccountClientId)) {
    const id = await clientIdOf(user.serviceAccountClientId);
    if (!id) continue;
    const account = await admin('GET', `/clients/${id}/service-account-user`);
    const has = new Set((await admin('GET', `/users/${account.id}/role-mappings/realm`)).map((r) => r.name));
    const missing = (user.realmRoles ?? []).filter((name) => !has.has(name));
    if (missing.length) {
      const representations = await Promise.all(missing.map((name) => admin('GET', `/roles/${encodeURIComponent(name)}`)));
      await admin('POST', `/users/${account.id}/role-mappings/realm`, representations);
      added.push(`realm roles ${missing.join(', ')} of ${user.username}`);
    }
    for (const [owner, names] of Object.entries(user.clientRoles ?? {})) {
      const ownerId = await clientIdOf(owner);
      if (!ownerId) continue;
      const hasClient = new Set((await admin('GET', `/users/${account.id}/role-mappings/clients/${ownerId}`)).map((r) => r.name));
      const lacking = names.filter((name) => !hasClient.has(name));
      if (!lacking.length) continue;
      const representations = await Promise.all(lacking.map((name) => admin('GET', `/clients/${ownerId}/roles/${encodeURIComponent(name)}`)));
      await admin('POST', `/users/${account.id}/role-mappings/clients/${ownerId}`, representations);
      added.push(`${owner} roles ${lacking.join(', ')} of ${user.username}`);
    }
  }
  // Declared user-profile attributes (e.g. birth_date): the file's declaration, added as it is.
  const profileConfig = realm.components?.['org.keycloak.userprofile.UserProfileProvider']?.[0]?.config?.['kc.user.profile.config']?.[0];
  if (profileConfig) {
    const declared = JSON.parse(profileConfig).attributes ?? [];
    const profile = await admin('GET', '/users/profile');
    const present = new Set(profile.attributes.map((a) => a.name));
    const lacking = declared.filter((a) => !present.has(a.name));
    if (lacking.length) {
      await admin('PUT', '/users/profile', { ...profile, attributes: [...profile.attributes, ...lacking] });
      added.push(`user attributes ${lacking.map((a) => a.name).join(', ')}`);
    }
  }
  // The sign-in and email themes (deploy/keycloak/themes), for a realm made before they existed;
  // a theme someone chose in the admin console stays.
  const running = await admin('GET', '');
  const themes = {};
  for (const key of ['loginTheme', 'emailTheme']) if (realm[key] && !running[key]) themes[key] = realm[key];
  if (Object.keys(themes).length) {
    await admin('PUT', '', themes);
    added.push(`themes ${Object.values(themes).join(', ')}`);
  }
  return added;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const added = await applyRealmAdditions();
    console.log(added.length ? `realm additions: added ${added.join('; ')}` : 'realm additions: the realm has everything the file adds');
  } catch (error) {
    console.error(`realm additions failed: ${error.message}`);
    process.exit(1);
  }
}
