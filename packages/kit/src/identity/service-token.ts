// A service's own identity when it calls another service with no person behind the call (a
// consumer acting on an event, a periodic job): a Keycloak client-credentials token, sent as
// `authorization: Bearer` like a user's. The token is kept until about 30 s before it expires,
// fetched by one request at a time however many calls want it, and never logged, nor put in an
// error (only the HTTP status and OAuth error code are).
import type { Metadata } from '@grpc/grpc-js';
import { z } from '../config/index.js';
import { forwardedMetadata } from '../grpc/client.js';

/** The realm's token endpoint, from its issuer URL (Keycloak's layout). */
export const tokenEndpointOf = (issuer: string): string => `${issuer.replace(/\/$/, '')}/protocol/openid-connect/token`;

/**
 * The variables of a service that calls others as itself. OIDC_TOKEN_URL defaults to the
 * issuer's token endpoint; set it when the back channel differs from the public issuer (in a
 * cluster, the token endpoint inside the network, like OIDC_JWKS_URL).
 */
export const serviceCredentialsEnv = {
  OIDC_TOKEN_URL: z.string().url().optional(),
};

export interface ServiceCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per token request; 10 s unless given. */
  timeoutMs?: number;
  /** Renew this long before expiry; 30 s unless given. */
  renewBeforeMs?: number;
}

/** The token could not be had: Keycloak unreachable (status 0), or it refused the client. */
export class ServiceTokenError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`service token not issued: ${status === 0 ? 'identity server unreachable' : `HTTP ${status}${code ? ` ${code}` : ''}`}`);
    this.name = 'ServiceTokenError';
  }
}

export interface ServiceTokenSource {
  /** A token valid for at least the renewal margin. */
  token(): Promise<string>;
  /** gRPC call settings carrying the token (and e.g. an `x-request-id`). */
  callOptions(extra?: Record<string, string | undefined>): Promise<{ metadata: Metadata }>;
  /** Forgets the token, e.g. after a callee answered UNAUTHENTICATED (Keycloak rotated its keys). */
  invalidate(): void;
}

async function oauthError(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    return typeof body.error === 'string' ? body.error.slice(0, 100) : '';
  } catch {
    return '';
  }
}

export function serviceTokenSource(credentials: ServiceCredentials): ServiceTokenSource {
  const renewBeforeMs = credentials.renewBeforeMs ?? 30_000;
  let current: { value: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    let response: Response;
    try {
      response = await fetch(credentials.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
        }),
        signal: AbortSignal.timeout(credentials.timeoutMs ?? 10_000),
      });
    } catch {
      throw new ServiceTokenError(0, '');
    }
    if (!response.ok) throw new ServiceTokenError(response.status, await oauthError(response));
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string') throw new ServiceTokenError(response.status, 'no access_token');
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 60) * 1000;
    // A token living less than twice the margin is renewed at half its life instead.
    current = { value: body.access_token, renewAt: Date.now() + Math.max(lifetimeMs - renewBeforeMs, lifetimeMs / 2) };
    return body.access_token;
  }

  const source: ServiceTokenSource = {
    token() {
      if (current && current.renewAt > Date.now()) return Promise.resolve(current.value);
      inFlight ??= fetchToken().finally(() => (inFlight = undefined));
      return inFlight;
    },
    async callOptions(extra = {}) {
      return { metadata: forwardedMetadata(await source.token(), extra) };
    },
    invalidate() {
      current = undefined;
    },
  };
  return source;
}
