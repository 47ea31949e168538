// Browser login with Keycloak (authorization code + PKCE), change of password and setting up a
// one-time-password second factor through Keycloak's application-initiated actions, and logout
// that ends both the portal and the Keycloak session.
import { actingAs, type TokenVerifier } from '@portico/kit/identity';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionCookie } from '../http/authentication.js';
import { problems, sendProblem } from '../http/problem.js';
import type { LoginAttempt, OidcClient } from '../session/oidc.js';
import type { Sealer } from '../session/sealing.js';
import type { SessionStore } from '../session/session-store.js';

export interface LoginDeps {
  oidc: OidcClient;
  sessions: SessionStore;
  sealer: Sealer;
  verify: TokenVerifier;
  cookie: SessionCookie;
  publicUrl: string;
  absoluteSeconds: number;
  /** Told of every completed login (e.g. to mark an invitation accepted). */
  onLogin?: (accessToken: string) => Promise<void>;
}

const LOGIN_ATTEMPT_SECONDS = 600;

/** Only paths of this portal: an open redirect would hand the session to someone else's page. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%#]*$/.test(value) ? value : '/';
}

export function loginRoutes(app: FastifyInstance, deps: LoginDeps): void {
  const attemptCookie = deps.cookie.secure ? '__Host-portico-login' : 'portico-login';
  const cookieOptions = { path: '/', httpOnly: true, secure: deps.cookie.secure, sameSite: 'lax' as const };
  const hide = { schema: { hide: true } };

  async function redirectToKeycloak(request: FastifyRequest, reply: FastifyReply, action?: string) {
    const returnTo = safeReturnTo((request.query as { returnTo?: string }).returnTo);
    const { attempt, url } = await deps.oidc.start(returnTo, action);
    reply.setCookie(attemptCookie, deps.sealer.seal(attempt), { ...cookieOptions, maxAge: LOGIN_ATTEMPT_SECONDS });
    return reply.redirect(url, 303);
  }

  app.get('/auth/login', hide, (request, reply) => redirectToKeycloak(request, reply));
  app.get('/auth/change-password', hide, (request, reply) => redirectToKeycloak(request, reply, 'UPDATE_PASSWORD'));
  // Turning on two-step login: Keycloak shows the secret (QR code or text) and checks a first code.
  app.get('/auth/two-factor', hide, (request, reply) => redirectToKeycloak(request, reply, 'CONFIGURE_TOTP'));

  app.get('/auth/callback', hide, async (request, reply) => {
    const sealed = request.cookies[attemptCookie];
    const attempt = sealed ? deps.sealer.unseal<LoginAttempt>(sealed) : undefined;
    reply.clearCookie(attemptCookie, cookieOptions);
    const query = request.query as { error?: string };
    // Cancelling Keycloak's change-password or two-factor page comes back with an error: the session stays.
    if (query.error && attempt) return reply.redirect(attempt.returnTo, 303);
    if (!attempt) return sendProblem(reply, problems.invalidRequest('The login took too long or was started elsewhere; start again.'));

    let tokens;
    try {
      tokens = await deps.oidc.finish(new URL(request.url, deps.publicUrl), attempt);
    } catch {
      return sendProblem(reply, problems.unauthenticated('The login could not be completed; start again.'));
    }
    const principal = await deps.verify(tokens.accessToken);
    // A change of password comes back here too: the old session gives way to the new one.
    const previous = request.cookies[deps.cookie.name];
    const old = previous ? await deps.sessions.find(previous) : undefined;
    if (old) await deps.sessions.delete(old);

    const actingFor = old?.actingFor && actingAs(principal, old.actingFor) ? old.actingFor : defaultPatient(principal);
    const { sessionId } = await deps.sessions.create(principal.subject, tokens, actingFor);
    reply.setCookie(deps.cookie.name, sessionId, { ...cookieOptions, maxAge: deps.absoluteSeconds });
    await deps
      .onLogin?.(tokens.accessToken)
      .catch((error: unknown) => request.log.warn({ err: { name: (error as Error).name } }, 'after-login step failed'));
    return reply.redirect(attempt.returnTo, 303);
  });

  app.post('/auth/logout', hide, async (request, reply) => {
    const sessionId = request.cookies[deps.cookie.name];
    const session = sessionId ? await deps.sessions.find(sessionId) : undefined;
    if (!session) return sendProblem(reply.clearCookie(deps.cookie.name, cookieOptions), problems.unauthenticated('Not logged in.'));
    if (!deps.sessions.csrfMatches(session, request.headers['x-csrf-token'] as string | undefined)) {
      return sendProblem(reply, problems.forbidden('The x-csrf-token header is missing or does not match the session.'));
    }
    await deps.sessions.delete(session);
    await deps.oidc
      .revoke(session.tokens)
      .catch((error: unknown) => request.log.warn({ err: { name: (error as Error).name } }, 'Keycloak logout failed'));
    reply.clearCookie(deps.cookie.name, cookieOptions);
    return { redirectTo: deps.oidc.endSessionUrl(session.tokens.idToken) };
  });
}

/** A patient acts for themself; a guardian starts with the first of their patients. */
export function defaultPatient(principal: { subject: string; roles: string[]; patients: string[] }): string | null {
  if (principal.roles.includes('patient')) return principal.subject;
  return principal.patients[0] ?? null;
}
