// The staff API (issue: identity and access): invitations, portal users, guardian links, and the
// clinic's profile, logo and handbook. The gateway refuses non-staff early; the auth service, which
// owns all of it, checks again.
import { create } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import {
  InvitationStatus,
  OrganisationProfileSchema,
  UserKind,
  type Invitation,
  type PortalUser,
} from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problems, sendProblem } from '../http/problem.js';
import { callMetadata } from './call-metadata.js';
import { uuid } from './contact-schemas.js';
import { organisationJson, type AuthClient } from './organisation.js';

const KIND = { patient: UserKind.PATIENT, guardian: UserKind.GUARDIAN } as const;
const KIND_NAME: Record<number, string> = { [UserKind.PATIENT]: 'patient', [UserKind.GUARDIAN]: 'guardian', [UserKind.STAFF]: 'staff' };
const STATUS_NAME: Record<number, string> = {
  [InvitationStatus.PENDING]: 'pending',
  [InvitationStatus.ACCEPTED]: 'accepted',
  [InvitationStatus.REVOKED]: 'revoked',
  [InvitationStatus.EXPIRED]: 'expired',
};
const iso = (t: Parameters<typeof timestampDate>[0] | undefined) => (t ? timestampDate(t).toISOString() : null);

function invitationJson(invitation: Invitation | undefined) {
  if (!invitation) throw new Error('service answered without an invitation');
  return {
    id: invitation.invitationId,
    userId: invitation.userId,
    email: invitation.email,
    name: `${invitation.givenName} ${invitation.familyName}`.trim(),
    givenName: invitation.givenName,
    familyName: invitation.familyName,
    kind: KIND_NAME[invitation.kind] ?? 'unknown',
    patientIds: invitation.patientIds,
    status: STATUS_NAME[invitation.status] ?? 'unknown',
    invitedBy: invitation.invitedBy?.displayName ?? '',
    createdAt: iso(invitation.createdAt),
    expiresAt: iso(invitation.expiresAt),
    emailSentAt: iso(invitation.emailSentAt),
  };
}

function userJson(user: PortalUser) {
  return {
    id: user.userId,
    username: user.username,
    email: user.email,
    name: `${user.givenName} ${user.familyName}`.trim(),
    kind: KIND_NAME[user.kind] ?? 'unknown',
    roles: KIND_NAME[user.kind] ? [KIND_NAME[user.kind]] : [],
    patientIds: user.patientIds,
    enabled: user.enabled,
    invitationStatus: STATUS_NAME[user.invitationStatus] ?? null,
    invitationId: user.invitationId || null,
  };
}

const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const invitationBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'givenName', 'familyName', 'kind'],
  properties: {
    email: { type: 'string', format: 'email', maxLength: 254 },
    givenName: { type: 'string', minLength: 1, maxLength: 100 },
    familyName: { type: 'string', minLength: 1, maxLength: 100 },
    kind: { type: 'string', enum: ['patient', 'guardian'] },
    patientIds: { type: 'array', maxItems: 50, uniqueItems: true, items: uuid },
  },
} as const;
const organisationBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    address: {
      type: 'object',
      additionalProperties: false,
      properties: {
        line1: text(200),
        line2: text(200),
        city: text(100),
        region: text(100),
        postalCode: text(20),
        countryCode: { type: 'string', pattern: '^([A-Za-z]{2})?$' },
      },
    },
    phone: text(40),
    phoneRegion: { type: 'string', pattern: '^([A-Za-z]{2})?$' },
    email: { type: 'string', maxLength: 254 },
    hours: { type: 'array', maxItems: 14, items: text(120) },
    welcomeMessage: text(4000),
    portalUrl: text(500),
    timeZone: text(64),
  },
} as const;

interface InvitationBody {
  email: string;
  givenName: string;
  familyName: string;
  kind: keyof typeof KIND;
  patientIds?: string[];
}
interface OrganisationBody {
  name: string;
  address?: Record<string, string>;
  phone?: string;
  phoneRegion?: string;
  email?: string;
  hours?: string[];
  welcomeMessage?: string;
  portalUrl?: string;
  timeZone?: string;
}

const UPLOAD_LIMIT = 10 * 1024 * 1024;

/** Browsers cannot put "Handbook – 2026.pdf" in a header as it is, so the app sends it URI-encoded. */
function decodedFileName(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    return decodeURIComponent(header).slice(0, 200);
  } catch {
    return header.slice(0, 200);
  }
}
const UPLOAD_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/svg+xml'];

export function staffRoutes(app: FastifyInstance, auth: AuthClient): void {
  const tags = ['Staff'];
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.principal?.roles.includes('staff')) return sendProblem(reply, problems.forbidden('Staff only.'));
  });
  // Uploads arrive as the raw file, not JSON.
  for (const type of UPLOAD_TYPES)
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (_request, body, done) => done(null, body));

  app.get('/api/v1/staff/invitations', { schema: { tags, summary: 'Invitations of the clinic' } }, async (request) => {
    const response = await auth.listInvitations({ page: { pageSize: 100 } }, { metadata: callMetadata(request) });
    return { invitations: response.invitations.map(invitationJson) };
  });

  app.post<{ Body: InvitationBody }>(
    '/api/v1/staff/invitations',
    { schema: { tags, summary: 'Invite a patient or a guardian', body: invitationBody } },
    async (request, reply) => {
      const body = request.body;
      const response = await auth.inviteUser(
        {
          email: body.email,
          givenName: body.givenName,
          familyName: body.familyName,
          kind: KIND[body.kind],
          patientIds: body.patientIds ?? [],
        },
        { metadata: callMetadata(request) },
      );
      return reply.code(201).send({ invitation: invitationJson(response.invitation), welcomeEmailSent: response.welcomeEmailSent });
    },
  );

  for (const action of ['resend', 'revoke'] as const) {
    app.post<{ Params: { invitationId: string } }>(
      `/api/v1/staff/invitations/:invitationId/${action}`,
      {
        schema: {
          tags,
          summary: `${action === 'resend' ? 'Resend' : 'Revoke'} an invitation`,
          params: { type: 'object', properties: { invitationId: { type: 'string', minLength: 1, maxLength: 64 } } },
        },
      },
      async (request) => {
        const settings = { metadata: callMetadata(request) };
        const { invitationId } = request.params;
        const response =
          action === 'resend'
            ? await auth.resendInvitation({ invitationId }, settings)
            : await auth.revokeInvitation({ invitationId }, settings);
        return { invitation: invitationJson(response.invitation) };
      },
    );
  }

  app.get('/api/v1/staff/users', { schema: { tags, summary: 'Portal users of the clinic' } }, async (request) => {
    const response = await auth.listUsers({ page: { pageSize: 100 } }, { metadata: callMetadata(request) });
    return { users: response.users.map(userJson) };
  });

  const guardianParams = { type: 'object', properties: { guardianId: uuid, patientId: uuid } };
  app.post<{ Params: { guardianId: string }; Body: { patientId: string } }>(
    '/api/v1/staff/guardians/:guardianId/patients',
    {
      schema: {
        tags,
        summary: 'Let a guardian act for a patient',
        params: guardianParams,
        body: { type: 'object', additionalProperties: false, required: ['patientId'], properties: { patientId: uuid } },
      },
    },
    async (request) => {
      const response = await auth.linkGuardian(
        { guardianId: request.params.guardianId, patientId: request.body.patientId },
        { metadata: callMetadata(request) },
      );
      return { guardianId: response.guardianId, patientIds: response.patientIds };
    },
  );
  app.delete<{ Params: { guardianId: string; patientId: string } }>(
    '/api/v1/staff/guardians/:guardianId/patients/:patientId',
    { schema: { tags, summary: 'Stop a guardian acting for a patient', params: guardianParams } },
    async (request) => {
      const response = await auth.unlinkGuardian(request.params, { metadata: callMetadata(request) });
      return { guardianId: response.guardianId, patientIds: response.patientIds };
    },
  );

  app.put<{ Body: OrganisationBody; Headers: { 'if-match'?: string } }>(
    '/api/v1/staff/organisation',
    {
      schema: {
        tags,
        summary: "Edit the clinic's profile",
        body: organisationBody,
        headers: { type: 'object', properties: { 'if-match': { type: 'string', pattern: '^"?\\d+"?$' } } },
      },
    },
    async (request) => {
      const { hours, ...rest } = request.body;
      const profile = create(OrganisationProfileSchema, { ...rest, openingHours: hours ?? [] });
      const expected = request.headers['if-match']?.replaceAll('"', '');
      const response = await auth.updateOrganisation(
        { profile, expectedVersion: BigInt(expected ?? 0) },
        { metadata: callMetadata(request) },
      );
      return organisationJson(response.organisation);
    },
  );

  app.put(
    '/api/v1/staff/organisation/handbook',
    { bodyLimit: UPLOAD_LIMIT, schema: { tags, summary: 'Upload the client handbook (PDF body)' } },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) return sendProblem(reply, problems.unsupportedMediaType('Send the PDF as application/pdf.'));
      const fileName = decodedFileName(request.headers['x-file-name']) ?? 'client-handbook.pdf';
      const response = await auth.uploadHandbook(
        { content: request.body, contentType: String(request.headers['content-type']), fileName },
        { metadata: callMetadata(request) },
      );
      return organisationJson(response.organisation);
    },
  );

  app.put(
    '/api/v1/staff/organisation/logo',
    { bodyLimit: UPLOAD_LIMIT, schema: { tags, summary: 'Upload the logo (PNG, JPEG or SVG body)' } },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        return sendProblem(reply, problems.unsupportedMediaType('Send the image as image/png, image/jpeg or image/svg+xml.'));
      const response = await auth.uploadLogo(
        { content: request.body, contentType: String(request.headers['content-type']) },
        { metadata: callMetadata(request) },
      );
      return organisationJson(response.organisation);
    },
  );
}
