// Who the logged-in person is, whom they act for, and the CSRF token the web app must send back.
// The patients' names come from the auth service; when it cannot answer, /me still does, with
// empty names, so the portal keeps working.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actingAs } from '@portico/kit/identity';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { Type } from 'typebox';
import { problems, sendProblem } from '../http/problem.js';
import { Nullable, problemResponses, ref, Uuid } from '../http/schemas.js';
import type { SessionStore } from '../session/session-store.js';
import { callMetadata } from './call-metadata.js';
import { defaultPatient } from './login.js';
import type { AuthClient } from './organisation.js';

/** "Given Family" of each patient the caller may act for; empty when the auth service fails. */
async function patientNames(auth: AuthClient, request: FastifyRequest): Promise<Map<string, string>> {
  try {
    const { patients } = await auth.listMyPatients({}, { metadata: callMetadata(request) });
    return new Map(patients.map((p) => [p.patientId, [p.givenName, p.familyName].filter(Boolean).join(' ')]));
  } catch (error) {
    const { name, code } = error as { name?: unknown; code?: unknown };
    request.log.warn({ err: { name, code } }, 'patient names not available; /me answers without them');
    return new Map();
  }
}

export const Me = Type.Object(
  {
    user: Type.Object({
      id: Uuid,
      username: Type.String(),
      name: Type.String(),
      email: Type.String(),
      roles: Type.Array(Type.String(), { description: 'patient, guardian or staff' }),
    }),
    patients: Type.Array(Type.Object({ id: Uuid, name: Type.String() }), { description: 'The patients this person may act for' }),
    actingFor: Nullable(Uuid),
    csrfToken: Nullable(Type.String({ description: 'Send it as x-csrf-token with every change made through the browser session' })),
  },
  { $id: 'Me' },
);

export function meRoutes(app: FastifyInstance, sessions: SessionStore, auth: AuthClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Account'];

  api.get(
    '/api/v1/me',
    {
      schema: { tags, summary: 'The logged-in user, the patients they may act for, and their CSRF token', response: { 200: ref(Me) } },
    },
    async (request) => {
      const principal = request.principal!;
      const claims = request.session ? decodeJwt(request.session.tokens.idToken) : decodeJwt(request.accessToken!);
      const patients = principal.roles.includes('patient') ? [principal.subject, ...principal.patients] : principal.patients;
      const actingFor =
        request.session?.actingFor && actingAs(principal, request.session.actingFor)
          ? request.session.actingFor
          : defaultPatient(principal);
      // A patient acting only for themself is named by their own token: no call to the auth
      // service (and Keycloak behind it) for the one name the token already carries.
      const onlySelf = patients.every((id) => id === principal.subject) && typeof claims.name === 'string';
      const names = patients.length > 0 && !onlySelf ? await patientNames(auth, request) : new Map<string, string>();
      return {
        user: {
          id: principal.subject,
          username: principal.username ?? '',
          name: typeof claims.name === 'string' ? claims.name : (principal.username ?? ''),
          email: typeof claims.email === 'string' ? claims.email : '',
          roles: principal.roles,
        },
        patients: [...new Set(patients)].map((id) => ({
          id,
          name: names.get(id) || (id === principal.subject && typeof claims.name === 'string' ? claims.name : ''),
        })),
        actingFor,
        csrfToken: request.session?.csrfToken ?? null,
      };
    },
  );

  api.put(
    '/api/v1/me/acting-for',
    {
      schema: {
        tags,
        summary: 'Choose the patient a guardian acts for',
        body: Type.Object({ patientId: Uuid }, { additionalProperties: false }),
        response: { 200: Type.Object({ actingFor: Uuid }), ...problemResponses(400, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const { patientId } = request.body;
      // Someone else's patient is not found, whichever way the caller is logged in. Staff act for
      // no patient by their token (they open a patient's record by its address, where the
      // service's patient directory decides), so the gateway, which keeps no directory, refuses them.
      const role = actingAs(request.principal!, patientId);
      if (!role || role === 'staff') return sendProblem(reply, problems.notFound());
      if (!request.session) return sendProblem(reply, problems.invalidRequest('Only a browser session has a patient it acts for.'));
      await sessions.setActingFor(request.session, patientId);
      return { actingFor: patientId };
    },
  );
}
