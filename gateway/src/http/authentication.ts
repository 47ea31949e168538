// Who is asking. A browser presents the session cookie (tokens stay on the server); other callers
// present a Keycloak access token as a bearer token. Either way the access token is verified here,
// at the edge, and again by every service it reaches. Cookie-authenticated requests that change
// something must also carry the session's CSRF token.
import { bearerToken, InvalidTokenError, type Principal, type TokenVerifier } from '@portico/kit/identity';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OidcClient } from '../session/oidc.js';
import type { Session, SessionStore } from '../session/session-store.js';
import { problems, sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    accessToken?: string;
    session?: Session;
  }
}

export interface SessionCookie {
  name: string;
  secure: boolean;
}

/** __Host- cookies need Secure; browsers accept Secure cookies over https and on loopback http. */
export function sessionCookieFor(publicUrl: string): SessionCookie {
  const url = new URL(publicUrl);
  const secure = url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return { name: secure ? '__Host-portico-session' : 'portico-session', secure };
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Refresh a little before expiry so a request never reaches a service with a dying token. */
const REFRESH_MARGIN_MS = 30_000;

export interface AuthenticationDeps {
  verify: TokenVerifier;
  sessions: SessionStore;
  oidc: OidcClient;
  cookie: SessionCookie;
}

export function requireAuthentication(deps: AuthenticationDeps) {
  const refused = (reply: FastifyReply, detail: string, error = '') =>
    sendProblem(reply.header('www-authenticate', error ? `Bearer error="${error}"` : 'Bearer'), problems.unauthenticated(detail));

  return async (request: FastifyRequest, reply: FastifyReply) => {
    let token = bearerToken(request.headers.authorization);
    if (!token) {
      const sessionId = request.cookies[deps.cookie.name];
      const session = sessionId ? await deps.sessions.find(sessionId) : undefined;
      if (!session) return refused(reply, 'Log in, or send a bearer access token.');
      if (
        UNSAFE_METHODS.has(request.method) &&
        !deps.sessions.csrfMatches(session, request.headers['x-csrf-token'] as string | undefined)
      ) {
        return sendProblem(reply, problems.forbidden('The x-csrf-token header is missing or does not match the session.'));
      }
      if (session.tokens.accessExpiresAt - Date.now() < REFRESH_MARGIN_MS) {
        try {
          await deps.sessions.saveTokens(session, await deps.oidc.refresh(session.tokens));
        } catch {
          // Keycloak ended the session (logout elsewhere, account disabled): so does the portal.
          await deps.sessions.delete(session);
          return refused(reply, 'The session has ended; log in again.');
        }
      }
      request.session = session;
      token = session.tokens.accessToken;
    }
    try {
      request.principal = await deps.verify(token);
      request.accessToken = token;
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      return refused(reply, 'The access token is not valid.', 'invalid_token');
    }
  };
}
