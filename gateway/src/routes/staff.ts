// The staff API (issue: identity and access): invitations, portal users, guardian links, and the
// clinic's profile, logo and handbook. The gateway refuses non-staff early; the auth service, which
// owns all of it, checks again.
import { create } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import {
  InvitationStatus,
  OrganisationProfileSchema,
  UserKind,
  type ClinicPatient,
  type Invitation,
  type PatientGuardian,
  type PortalUser,
} from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { problems, sendProblem } from '../http/problem.js';
import {
  expectedVersion,
  IfMatchHeaders,
  NextPageToken,
  Nullable,
  PageQuery,
  pageRequest,
  PatientParams,
  problemResponses,
  ref,
  StringEnum,
  Text,
  Uuid,
} from '../http/schemas.js';
import { callMetadata } from './call-metadata.js';
import type { DocumentsClient } from './documents.js';
import { handbookOf, LOGO_TYPES, OrganisationView, organisationView, type AuthClient, type OrganisationCache } from './organisation.js';

const KIND = { patient: UserKind.PATIENT, guardian: UserKind.GUARDIAN } as const;
const KIND_NAME: Record<number, 'patient' | 'guardian' | 'staff'> = {
  [UserKind.PATIENT]: 'patient',
  [UserKind.GUARDIAN]: 'guardian',
  [UserKind.STAFF]: 'staff',
};
const STATUS_NAME: Record<number, 'pending' | 'accepted' | 'revoked' | 'expired'> = {
  [InvitationStatus.PENDING]: 'pending',
  [InvitationStatus.ACCEPTED]: 'accepted',
  [InvitationStatus.REVOKED]: 'revoked',
  [InvitationStatus.EXPIRED]: 'expired',
};
const iso = (t: Parameters<typeof timestampDate>[0] | undefined) => (t ? timestampDate(t).toISOString() : null);

function invitationJson(invitation: Invitation | undefined): Static<typeof InvitationView> {
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

function userJson(user: PortalUser): Static<typeof PortalUserView> {
  const kind = KIND_NAME[user.kind];
  return {
    id: user.userId,
    username: user.username,
    email: user.email,
    name: `${user.givenName} ${user.familyName}`.trim(),
    kind: kind ?? 'unknown',
    roles: kind ? [kind] : [],
    patientIds: user.patientIds,
    enabled: user.enabled,
    invitationStatus: STATUS_NAME[user.invitationStatus] ?? null,
    invitationId: user.invitationId || null,
  };
}

function patientJson(patient: ClinicPatient | undefined): Static<typeof ClinicPatientView> {
  if (!patient) throw new Error('service answered without a patient');
  return {
    id: patient.patientId,
    name: `${patient.givenName} ${patient.familyName}`.trim(),
    givenName: patient.givenName,
    familyName: patient.familyName,
    email: patient.email,
    enabled: patient.enabled,
    invitationStatus: STATUS_NAME[patient.invitationStatus] ?? null,
    dateOfBirth: patient.dateOfBirth || null,
  };
}

const guardianJson = (guardian: PatientGuardian) => ({
  id: guardian.userId,
  name: `${guardian.givenName} ${guardian.familyName}`.trim(),
  email: guardian.email,
  enabled: guardian.enabled,
});

const Timestamp = Nullable(Type.String({ format: 'date-time' }));
const userKinds = ['patient', 'guardian', 'staff', 'unknown'] as const;

export const InvitationView = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    email: Type.String(),
    name: Type.String(),
    givenName: Type.String(),
    familyName: Type.String(),
    kind: StringEnum(userKinds),
    patientIds: Type.Array(Type.String()),
    status: StringEnum(['pending', 'accepted', 'revoked', 'expired', 'unknown']),
    invitedBy: Type.String({ description: 'The name of the staff member who sent it' }),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    emailSentAt: Timestamp,
  },
  { $id: 'Invitation' },
);

export const PortalUserView = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    email: Type.String(),
    name: Type.String(),
    kind: StringEnum(userKinds),
    roles: Type.Array(Type.String()),
    patientIds: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    invitationStatus: Nullable(Type.String()),
    invitationId: Nullable(Type.String()),
  },
  { $id: 'PortalUser' },
);

export const ClinicPatientView = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ description: 'Given and family name' }),
    givenName: Type.String(),
    familyName: Type.String(),
    email: Type.String(),
    enabled: Type.Boolean({ description: 'False when the account is disabled (an invitation revoked or expired)' }),
    invitationStatus: Nullable(StringEnum(['pending', 'accepted', 'revoked', 'expired'])),
    dateOfBirth: Nullable(Type.String({ format: 'date', description: 'YYYY-MM-DD; null when the clinic has not recorded it' })),
  },
  { $id: 'ClinicPatient' },
);

const PatientGuardianView = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), enabled: Type.Boolean() });

export const staffSchemas = [InvitationView, PortalUserView, ClinicPatientView];

const InvitationBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    givenName: Type.String({ minLength: 1, maxLength: 100 }),
    familyName: Type.String({ minLength: 1, maxLength: 100 }),
    kind: StringEnum(['patient', 'guardian']),
    patientIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
    dateOfBirth: Type.Optional(Type.String({ format: 'date', description: "A patient's date of birth, YYYY-MM-DD (not for a guardian)" })),
  },
  { additionalProperties: false },
);
const OptionalCountry = Type.String({ pattern: '^([A-Za-z]{2})?$' });
const OrganisationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: Type.Optional(
      Type.Object(
        {
          line1: Type.Optional(Text(200)),
          line2: Type.Optional(Text(200)),
          city: Type.Optional(Text(100)),
          region: Type.Optional(Text(100)),
          postalCode: Type.Optional(Text(20)),
          countryCode: Type.Optional(OptionalCountry),
        },
        { additionalProperties: false },
      ),
    ),
    phone: Type.Optional(Text(40)),
    phoneRegion: Type.Optional(OptionalCountry),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    hours: Type.Optional(Type.Array(Text(120), { maxItems: 14 })),
    welcomeMessage: Type.Optional(Text(4000)),
    portalUrl: Type.Optional(Text(500)),
    timeZone: Type.Optional(Text(64)),
  },
  { additionalProperties: false },
);
const OneInvitation = Type.Object({ invitation: ref(InvitationView) });
const GuardianLinks = Type.Object({
  guardianId: Type.String(),
  patientIds: Type.Array(Type.String()),
  changed: Type.Boolean({ description: 'False when the link was already so: nothing changed.' }),
});

const UPLOAD_LIMIT = 10 * 1024 * 1024;
/** The handbook goes on to the documents service in messages of this size. */
const HANDBOOK_MESSAGE_BYTES = 256 * 1024;

/** Browsers cannot put "Handbook – 2026.pdf" in a header as it is, so the app sends it URI-encoded. */
function decodedFileName(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    return decodeURIComponent(header).slice(0, 200);
  } catch {
    return header.slice(0, 200);
  }
}
const UPLOAD_TYPES = ['application/pdf', ...LOGO_TYPES];

export function staffRoutes(app: FastifyInstance, auth: AuthClient, documents: DocumentsClient, organisations: OrganisationCache): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Staff'];
  // Before the body is read, like authentication: a patient learns nothing of the staff API.
  app.addHook('preParsing', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    if (!request.principal?.roles.includes('staff')) sendProblem(reply, problems.forbidden('Staff only.'));
    return payload;
  });
  // Uploads arrive as the raw file, not JSON.
  for (const type of UPLOAD_TYPES)
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (_request, body, done) => done(null, body));

  api.get(
    '/api/v1/staff/invitations',
    {
      schema: {
        tags,
        summary: 'Invitations of the clinic',
        response: { 200: Type.Object({ invitations: Type.Array(ref(InvitationView)) }) },
      },
    },
    async (request) => {
      const response = await auth.listInvitations({ page: { pageSize: 100 } }, { metadata: callMetadata(request) });
      return { invitations: response.invitations.map(invitationJson) };
    },
  );

  api.post(
    '/api/v1/staff/invitations',
    {
      schema: {
        tags,
        summary: 'Invite a patient or a guardian',
        body: InvitationBody,
        response: {
          201: Type.Object({ invitation: ref(InvitationView), welcomeEmailSent: Type.Boolean() }),
          ...problemResponses(400, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const response = await auth.inviteUser(
        {
          email: body.email,
          givenName: body.givenName,
          familyName: body.familyName,
          kind: KIND[body.kind],
          patientIds: body.patientIds ?? [],
          dateOfBirth: body.dateOfBirth ?? '',
        },
        { metadata: callMetadata(request) },
      );
      return reply.code(201).send({ invitation: invitationJson(response.invitation), welcomeEmailSent: response.welcomeEmailSent });
    },
  );

  for (const action of ['resend', 'revoke'] as const) {
    api.post(
      `/api/v1/staff/invitations/:invitationId/${action}`,
      {
        schema: {
          tags,
          summary: `${action === 'resend' ? 'Resend' : 'Revoke'} an invitation`,
          params: Type.Object({ invitationId: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: OneInvitation, ...problemResponses(400, 404, 412) },
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

  api.get(
    '/api/v1/staff/users',
    { schema: { tags, summary: 'Portal users of the clinic', response: { 200: Type.Object({ users: Type.Array(ref(PortalUserView)) }) } } },
    async (request) => {
      const response = await auth.listUsers({ page: { pageSize: 100 } }, { metadata: callMetadata(request) });
      return { users: response.users.map(userJson) };
    },
  );

  api.get(
    '/api/v1/staff/patients',
    {
      schema: {
        tags,
        summary: "The clinic's patients, optionally those whose name or email starts with each word of `query`",
        description: 'A page may hold fewer patients than asked for while nextPageToken is not empty: follow it to the end.',
        querystring: Type.Object(
          {
            query: Type.Optional(Type.String({ maxLength: 100, description: 'Words of the name or email' })),
            dateOfBirth: Type.Optional(Type.String({ format: 'date', description: 'Only patients born that day (YYYY-MM-DD)' })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ patients: Type.Array(ref(ClinicPatientView)), nextPageToken: NextPageToken }),
          ...problemResponses(400, 403),
        },
      },
    },
    async (request) => {
      const response = await auth.listPatients(
        { query: request.query.query ?? '', dateOfBirth: request.query.dateOfBirth ?? '', page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { patients: response.patients.map(patientJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );

  api.get(
    '/api/v1/staff/patients/:patientId',
    {
      schema: {
        tags,
        summary: "A patient of the clinic: name, email, account state and guardians (the record page's header)",
        params: PatientParams,
        response: {
          200: Type.Object({ patient: ref(ClinicPatientView), guardians: Type.Array(PatientGuardianView) }),
          ...problemResponses(400, 403, 404),
        },
      },
    },
    async (request) => {
      const response = await auth.getPatient({ patientId: request.params.patientId }, { metadata: callMetadata(request) });
      return { patient: patientJson(response.patient), guardians: response.guardians.map(guardianJson) };
    },
  );

  api.post(
    '/api/v1/staff/guardians/:guardianId/patients',
    {
      schema: {
        tags,
        summary: 'Let a guardian act for a patient',
        params: Type.Object({ guardianId: Uuid }),
        body: Type.Object({ patientId: Uuid }, { additionalProperties: false }),
        response: { 200: GuardianLinks, ...problemResponses(400, 404, 412, 413, 415) },
      },
    },
    async (request) => {
      const response = await auth.linkGuardian(
        { guardianId: request.params.guardianId, patientId: request.body.patientId },
        { metadata: callMetadata(request) },
      );
      return { guardianId: response.guardianId, patientIds: response.patientIds, changed: response.changed };
    },
  );
  api.delete(
    '/api/v1/staff/guardians/:guardianId/patients/:patientId',
    {
      schema: {
        tags,
        summary: 'Stop a guardian acting for a patient',
        params: Type.Object({ guardianId: Uuid, patientId: Uuid }),
        response: { 200: GuardianLinks, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const response = await auth.unlinkGuardian(request.params, { metadata: callMetadata(request) });
      return { guardianId: response.guardianId, patientIds: response.patientIds, changed: response.changed };
    },
  );

  api.put(
    '/api/v1/staff/organisation',
    {
      schema: {
        tags,
        summary: "Edit the clinic's profile",
        body: OrganisationBody,
        headers: IfMatchHeaders,
        response: { 200: ref(OrganisationView), ...problemResponses(400, 409, 412, 413, 415) },
      },
    },
    async (request) => {
      const { hours, ...rest } = request.body;
      const profile = create(OrganisationProfileSchema, { ...rest, openingHours: hours ?? [] });
      const response = await auth.updateOrganisation(
        { profile, expectedVersion: expectedVersion(request.headers['if-match']) },
        { metadata: callMetadata(request) },
      );
      return organisationView(request, response.organisation, handbookOf(request, documents), organisations);
    },
  );

  const uploaded = { 200: ref(OrganisationView), ...problemResponses(400, 413, 415) };
  api.put(
    '/api/v1/staff/organisation/handbook',
    { bodyLimit: UPLOAD_LIMIT, schema: { tags, summary: 'Upload the client handbook (PDF body)', response: uploaded } },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) return sendProblem(reply, problems.unsupportedMediaType('Send the PDF as application/pdf.'));
      const fileName = decodedFileName(request.headers['x-file-name']) ?? 'client-handbook.pdf';
      // The documents service keeps the handbook as a document of kind handbook (decision 0009).
      const content = request.body;
      await documents.shareHandbook(
        (async function* () {
          yield { part: { case: 'details' as const, value: { fileName, sizeBytes: BigInt(content.length) } } };
          for (let at = 0; at < content.length; at += HANDBOOK_MESSAGE_BYTES)
            yield { part: { case: 'chunk' as const, value: content.subarray(at, at + HANDBOOK_MESSAGE_BYTES) } };
        })(),
        { metadata: callMetadata(request) },
      );
      const response = await auth.getOrganisation({}, { metadata: callMetadata(request) });
      return organisationView(request, response.organisation, handbookOf(request, documents), organisations);
    },
  );

  api.put(
    '/api/v1/staff/organisation/logo',
    { bodyLimit: UPLOAD_LIMIT, schema: { tags, summary: 'Upload the logo (PNG, JPEG or SVG body)', response: uploaded } },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        return sendProblem(reply, problems.unsupportedMediaType('Send the image as image/png, image/jpeg or image/svg+xml.'));
      const response = await auth.uploadLogo(
        { content: request.body, contentType: String(request.headers['content-type']) },
        { metadata: callMetadata(request) },
      );
      return organisationView(request, response.organisation, handbookOf(request, documents), organisations);
    },
  );

  api.delete(
    '/api/v1/staff/organisation/logo',
    {
      schema: {
        tags,
        summary: 'Remove the logo (the clinic then shows none)',
        response: { 200: ref(OrganisationView), ...problemResponses() },
      },
    },
    async (request) => {
      const response = await auth.removeLogo({}, { metadata: callMetadata(request) });
      return organisationView(request, response.organisation, handbookOf(request, documents), organisations);
    },
  );
  api.delete(
    '/api/v1/staff/organisation/handbook',
    {
      schema: {
        tags,
        summary: "Remove the client handbook (Home's handbook card then goes)",
        response: { 200: ref(OrganisationView), ...problemResponses() },
      },
    },
    async (request) => {
      await documents.removeHandbook({}, { metadata: callMetadata(request) });
      const response = await auth.getOrganisation({}, { metadata: callMetadata(request) });
      return organisationView(request, response.organisation, handbookOf(request, documents), organisations);
    },
  );
}
