// Verifies Keycloak access tokens on every call: signature against the realm's cached JWKS,
// issuer, audience and expiry. The result is the Principal that authorisation works with.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';

/**
 * People's roles (patient, guardian, staff), and `service`: one of Portico's own services calling
 * another with its client-credentials token (e.g. the notifications service asking whom to email).
 */
export type PorticoRole = 'patient' | 'guardian' | 'staff' | 'service';

export interface Principal {
  /** Keycloak user id; for a patient it is also their patient id. */
  subject: string;
  roles: PorticoRole[];
  /** Patients a guardian may act for (the `patients` claim kept by the auth service). */
  patients: string[];
  clinicId: string | undefined;
  /** Display name for audit trails; never logged with health data. */
  username: string | undefined;
}

export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`invalid access token: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Defaults to the issuer's Keycloak certs endpoint. */
  jwksUrl?: string;
  clockToleranceSeconds?: number;
}

/**
 * Verified tokens kept: a person's page asks several things with one token, and checking its
 * signature again each time was a fifth of the gateway's work per call.
 */
const VERIFIED_TOKENS_KEPT = 10_000;
/** At most this long a verified token is answered from memory: a key the realm withdrew stops counting soon. */
const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;

const ROLES: readonly PorticoRole[] = ['patient', 'guardian', 'staff', 'service'];

function principalOf(payload: JWTPayload): Principal {
  const realmAccess = payload.realm_access as { roles?: unknown } | undefined;
  const roles = Array.isArray(realmAccess?.roles)
    ? realmAccess.roles.filter((r): r is PorticoRole => ROLES.includes(r as PorticoRole))
    : [];
  const patients = Array.isArray(payload.patients)
    ? payload.patients.filter((p): p is string => typeof p === 'string')
    : typeof payload.patients === 'string'
      ? [payload.patients]
      : [];
  if (!payload.sub) throw new InvalidTokenError('no subject');
  // A service is nobody's patient, guardian or colleague: whatever else its token carries (a
  // mis-assigned role, a patients or clinic_id claim), it is only a service, so the rules by which
  // people act for patients (authorisePatient, authoriseStaff) never let it through.
  if (roles.includes('service'))
    return {
      subject: payload.sub,
      roles: ['service'],
      patients: [],
      clinicId: undefined,
      username: typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
    };
  return {
    subject: payload.sub,
    roles,
    patients,
    clinicId: typeof payload.clinic_id === 'string' ? payload.clinic_id : undefined,
    username: typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
  };
}

export type TokenVerifier = (token: string) => Promise<Principal>;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const jwksUrl = new URL(options.jwksUrl ?? `${options.issuer.replace(/\/$/, '')}/protocol/openid-connect/certs`);
  // jose caches the key set and refetches (rate limited) when a token names an unknown key.
  const keys = createRemoteJWKSet(jwksUrl, { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  const toleranceSeconds = options.clockToleranceSeconds ?? 5;
  // Keyed by the whole token, so only the very token that passed is answered from here; only
  // tokens that passed are kept, each for as long as it is valid (the cache's time to live, which
  // every read checks) and at most VERIFIED_TOKEN_TTL_MS.
  const verified = new LRUCache<string, Principal>({ max: VERIFIED_TOKENS_KEPT });
  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['RS256', 'ES256', 'PS256'],
        clockTolerance: toleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      const principal = frozen(principalOf(payload));
      const validForMs = (payload.exp! + toleranceSeconds) * 1000 - Date.now();
      verified.set(token, principal, { ttl: Math.max(1, Math.min(VERIFIED_TOKEN_TTL_MS, validForMs)) });
      return principal;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError(error.code);
      throw error;
    }
  };
}

/** One principal now answers many calls: none of them may change it for the others. */
function frozen(principal: Principal): Principal {
  Object.freeze(principal.roles);
  Object.freeze(principal.patients);
  return Object.freeze(principal);
}

/** The bearer token of an `authorization` value, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)$/i.exec(authorization ?? '');
  return match?.[1];
}
