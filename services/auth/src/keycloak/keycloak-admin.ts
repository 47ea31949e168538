// Users as Keycloak keeps them, through its admin REST API, acting as the portico-auth service
// account (client credentials; realm-management manage-users, view-users, query-users).
// Request bodies may hold a temporary password: they are never logged or put in an error, and
// errors carry Keycloak's error code only.
import type { Logger } from '@portico/kit/logging';

/** The parts of Keycloak's UserRepresentation Portico reads; PUT sends back what GET returned. */
export interface KeycloakUser {
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

export interface NewKeycloakUser {
  email: string;
  firstName: string;
  lastName: string;
  attributes: Record<string, string[]>;
  temporaryPassword: string;
}

export class KeycloakError extends Error {
  constructor(
    readonly status: number,
    readonly operation: string,
    readonly code: string,
  ) {
    super(`Keycloak ${operation} failed: HTTP ${status}${code ? ` ${code}` : ''}`);
    this.name = 'KeycloakError';
  }
}

/** The username (email) is taken. */
export class KeycloakUserExistsError extends Error {
  constructor() {
    super('a Keycloak user with this username or email exists');
    this.name = 'KeycloakUserExistsError';
  }
}

/** The admin client for the realm and service account the auth service's config names. */
export const keycloakAdminOf = (
  config: { KEYCLOAK_URL: string; KEYCLOAK_REALM: string; KEYCLOAK_CLIENT_ID: string; KEYCLOAK_CLIENT_SECRET: string },
  logger: Logger,
) =>
  new KeycloakAdmin({
    baseUrl: config.KEYCLOAK_URL,
    realm: config.KEYCLOAK_REALM,
    clientId: config.KEYCLOAK_CLIENT_ID,
    clientSecret: config.KEYCLOAK_CLIENT_SECRET,
    logger,
  });

export interface KeycloakAdminOptions {
  baseUrl: string;
  realm: string;
  clientId: string;
  clientSecret: string;
  logger: Logger;
  timeoutMs?: number;
}

/** Reads Keycloak's error code from a response body, never anything longer. */
async function errorCode(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown; errorMessage?: unknown };
    const code = typeof body.errorMessage === 'string' ? body.errorMessage : typeof body.error === 'string' ? body.error : '';
    return code.slice(0, 100);
  } catch {
    return '';
  }
}

export class KeycloakAdmin {
  private token: { value: string; renewAt: number } | undefined;
  private readonly adminUrl: string;
  private readonly tokenUrl: string;

  constructor(private readonly options: KeycloakAdminOptions) {
    const base = options.baseUrl.replace(/\/$/, '');
    this.adminUrl = `${base}/admin/realms/${encodeURIComponent(options.realm)}`;
    this.tokenUrl = `${base}/realms/${encodeURIComponent(options.realm)}/protocol/openid-connect/token`;
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.renewAt > Date.now()) return this.token.value;
    const response = await fetch(this.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
      }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    }).catch((error: Error) => {
      throw new KeycloakError(0, 'service account login', error.name);
    });
    if (!response.ok) throw new KeycloakError(response.status, 'service account login', await errorCode(response));
    const body = (await response.json()) as { access_token: string; expires_in: number };
    // Renewed well before it expires, so a call never starts with a token about to lapse.
    this.token = { value: body.access_token, renewAt: Date.now() + Math.max(5, body.expires_in - 30) * 1000 };
    return body.access_token;
  }

  private async call(operation: string, method: string, path: string, body?: unknown): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${this.adminUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${await this.accessToken()}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        if (error instanceof KeycloakError) throw error;
        // Refused, reset or timed out: status 0, so callers answer UNAVAILABLE.
        throw new KeycloakError(0, operation, (error as Error).name);
      }
      // A token revoked or expired early (Keycloak restarted): log in again once.
      if (response.status === 401 && attempt === 1) {
        this.token = undefined;
        continue;
      }
      return response;
    }
  }

  private async expect(operation: string, response: Response, ...ok: number[]): Promise<Response> {
    if (ok.includes(response.status)) return response;
    const code = await errorCode(response);
    this.options.logger.warn({ operation, status: response.status, code }, 'Keycloak admin call failed');
    throw new KeycloakError(response.status, operation, code);
  }

  /** Creates an enabled user whose temporary password must be changed at first login; returns the id. */
  async createUser(user: NewKeycloakUser): Promise<string> {
    const response = await this.call('create user', 'POST', '/users', {
      username: user.email,
      email: user.email,
      emailVerified: true,
      firstName: user.firstName,
      lastName: user.lastName,
      enabled: true,
      attributes: user.attributes,
      requiredActions: ['UPDATE_PASSWORD'],
      credentials: [{ type: 'password', value: user.temporaryPassword, temporary: true }],
    });
    if (response.status === 409) throw new KeycloakUserExistsError();
    await this.expect('create user', response, 201);
    const id = response.headers.get('location')?.split('/').pop();
    if (!id) throw new KeycloakError(201, 'create user', 'no location');
    return id;
  }

  async getUser(userId: string): Promise<KeycloakUser | undefined> {
    const response = await this.call('get user', 'GET', `/users/${encodeURIComponent(userId)}`);
    if (response.status === 404) return undefined;
    return (await (await this.expect('get user', response, 200)).json()) as KeycloakUser;
  }

  /** Writes a full user representation: Keycloak replaces the attributes with the ones sent. */
  async updateUser(user: KeycloakUser): Promise<void> {
    const { userProfileMetadata: _metadata, access: _access, ...representation } = user;
    await this.expect('update user', await this.call('update user', 'PUT', `/users/${encodeURIComponent(user.id)}`, representation), 204);
  }

  /** Read-modify-write of one user; `change` returns false when there is nothing to write. */
  async modifyUser(userId: string, change: (user: KeycloakUser) => boolean): Promise<KeycloakUser | undefined> {
    const user = await this.getUser(userId);
    if (!user) return undefined;
    if (change(user)) await this.updateUser(user);
    return user;
  }

  async setEnabled(userId: string, enabled: boolean): Promise<boolean> {
    const user = await this.modifyUser(userId, (u) => {
      if (u.enabled === enabled) return false;
      u.enabled = enabled;
      return true;
    });
    return user !== undefined;
  }

  async deleteUser(userId: string): Promise<void> {
    await this.expect('delete user', await this.call('delete user', 'DELETE', `/users/${encodeURIComponent(userId)}`), 204, 404);
  }

  /** A new temporary password; `temporary` makes Keycloak require UPDATE_PASSWORD again. */
  async resetPassword(userId: string, password: string): Promise<void> {
    const response = await this.call('reset password', 'PUT', `/users/${encodeURIComponent(userId)}/reset-password`, {
      type: 'password',
      value: password,
      temporary: true,
    });
    await this.expect('reset password', response, 204);
  }

  /** Realm role names mapped to the user directly. */
  async realmRoles(userId: string): Promise<string[]> {
    const response = await this.call('read roles', 'GET', `/users/${encodeURIComponent(userId)}/role-mappings/realm`);
    const roles = (await (await this.expect('read roles', response, 200)).json()) as { name: string }[];
    return roles.map((r) => r.name);
  }

  /**
   * Maps a realm role to the user. The role is looked up among the user's available roles: the
   * service account may map roles (manage-users) but not read the realm's role list.
   */
  async assignRealmRole(userId: string, roleName: string): Promise<void> {
    const path = `/users/${encodeURIComponent(userId)}/role-mappings/realm`;
    const available = (await (await this.expect('read roles', await this.call('read roles', 'GET', `${path}/available`), 200)).json()) as {
      id: string;
      name: string;
    }[];
    const role = available.find((r) => r.name === roleName);
    if (!role) {
      if ((await this.realmRoles(userId)).includes(roleName)) return;
      throw new KeycloakError(404, 'assign role', 'role not found');
    }
    await this.expect('assign role', await this.call('assign role', 'POST', path, [role]), 204);
  }

  /** Every user of the realm, in Keycloak's order, one page. */
  async users(first: number, max: number): Promise<KeycloakUser[]> {
    const query = new URLSearchParams({ first: String(first), max: String(max), briefRepresentation: 'false' });
    const response = await this.call('list users', 'GET', `/users?${query}`);
    return (await (await this.expect('list users', response, 200)).json()) as KeycloakUser[];
  }

  /** Users whose attribute has exactly this value, in Keycloak's order, one page. */
  async usersWithAttribute(name: string, value: string, first: number, max: number): Promise<KeycloakUser[]> {
    const query = new URLSearchParams({ q: `${name}:${value}`, first: String(first), max: String(max), briefRepresentation: 'false' });
    const response = await this.call('search users', 'GET', `/users?${query}`);
    return (await (await this.expect('search users', response, 200)).json()) as KeycloakUser[];
  }

  /**
   * Users of the whole realm whose username, email, first or last name starts with every word of
   * `words`, one page. Keycloak ignores `q` when `search` is given, so the caller must keep only
   * the users of its clinic itself.
   */
  async usersMatching(words: string, first: number, max: number): Promise<KeycloakUser[]> {
    const query = new URLSearchParams({ search: words, first: String(first), max: String(max), briefRepresentation: 'false' });
    const response = await this.call('search users', 'GET', `/users?${query}`);
    return (await (await this.expect('search users', response, 200)).json()) as KeycloakUser[];
  }
}

/** The Keycloak attribute holding a patient's date of birth (YYYY-MM-DD). */
export const BIRTH_DATE = 'birth_date';

/** The first value of a single-valued attribute. */
export const attribute = (user: KeycloakUser, name: string): string | undefined => user.attributes?.[name]?.[0];

/** How the welcome email and staff lists name a person. */
export const displayName = (user: KeycloakUser): string =>
  [user.firstName, user.lastName].filter(Boolean).join(' ').trim() || user.username;
