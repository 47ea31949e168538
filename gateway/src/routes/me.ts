// Who the logged-in person is, whom they act for, and the CSRF token the web app must send back.
import { actingAs } from '@portico/kit/identity';
import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { problems, sendProblem } from '../http/problem.js';
import type { SessionStore } from '../session/session-store.js';
import { uuid } from './contact-schemas.js';
import { defaultPatient } from './login.js';

export function meRoutes(app: FastifyInstance, sessions: SessionStore): void {
  const tags = ['Account'];

  app.get(
    '/api/v1/me',
    { schema: { tags, summary: 'The logged-in user, the patients they may act for, and their CSRF token' } },
    async (request) => {
      const principal = request.principal!;
      const claims = request.session ? decodeJwt(request.session.tokens.idToken) : decodeJwt(request.accessToken!);
      const patients = principal.roles.includes('patient') ? [principal.subject, ...principal.patients] : principal.patients;
      const actingFor =
        request.session?.actingFor && actingAs(principal, request.session.actingFor)
          ? request.session.actingFor
          : defaultPatient(principal);
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
          name: id === principal.subject && typeof claims.name === 'string' ? claims.name : '',
        })),
        actingFor,
        csrfToken: request.session?.csrfToken ?? null,
      };
    },
  );

  app.put<{ Body: { patientId: string } }>(
    '/api/v1/me/acting-for',
    {
      schema: {
        tags,
        summary: 'Choose the patient a guardian acts for',
        body: { type: 'object', additionalProperties: false, required: ['patientId'], properties: { patientId: uuid } },
      },
    },
    async (request, reply) => {
      const { patientId } = request.body;
      if (!request.session) return sendProblem(reply, problems.invalidRequest('Only a browser session has a patient it acts for.'));
      if (!actingAs(request.principal!, patientId)) return sendProblem(reply, problems.notFound());
      await sessions.setActingFor(request.session, patientId);
      return { actingFor: patientId };
    },
  );
}
