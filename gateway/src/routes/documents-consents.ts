// Consents (seed step 6): the patient's consents with the number still to sign (the red badge),
// one consent with its text and the electronic-records disclosure, the disclosure's acceptance,
// the signature (typed full name, and a drawing if the signer made one), the revocation of a
// release of information, and the signed PDF. Staff (in the staff scope) list the clinic's
// consent texts, assign one, and verify a signed PDF by its bytes or its SHA-256. The documents
// service serves ConsentsService beside DocumentsService, at the same address.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ConsentKindSchema,
  ConsentsService,
  ConsentState,
  ReleaseStateSchema,
  type Consent,
  type VerifySignedConsentResponse,
} from '@portico/contracts/gen/portico/documents/v1/consents_pb';
import { connectService, type ServiceClient } from '@portico/kit/grpc';
import { enumMapping } from '@portico/kit/vocabulary';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { problems, sendProblem } from '../http/problem.js';
import { Nullable, PatientParams, problemResponses, ref, StringEnum, Text, Uuid } from '../http/schemas.js';
import { callMetadata } from './call-metadata.js';
import { fileResponse, sendStoredFile } from './organisation.js';

export type ConsentsClient = ServiceClient<(typeof ConsentsService)['method']>;

/** ConsentsService at the documents service's address. */
export const connectConsents = (documentsAddress: string, defaultTimeoutMs: number): ConsentsClient =>
  connectService(ConsentsService, documentsAddress, { defaultTimeoutMs });

const kindNames = ['treatment', 'release_of_information', 'telehealth', 'financial_policy', 'other'] as const;
const releaseStateNames = ['pending', 'active', 'revoked', 'expired'] as const;
const kinds = enumMapping(ConsentKindSchema, kindNames);
const releaseStates = enumMapping(ReleaseStateSchema, releaseStateNames);

/** The largest signature accepted: a typed name and a drawing (its PNG, base64, and its strokes). */
const SIGNATURE_BODY_LIMIT = 1024 * 1024;
/** The largest PDF staff may have verified; a signed consent is far smaller. */
const VERIFY_PDF_LIMIT = 25 * 1024 * 1024;

const Instant = Type.String({ format: 'date-time' });
const Sha256 = Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'SHA-256 in hex' });
const ExpiryDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The last day the release holds (YYYY-MM-DD)' });

export const ConsentView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    templateId: Type.String(),
    templateVersion: Type.Integer(),
    kind: StringEnum(kindNames),
    title: Type.String(),
    state: StringEnum(['outstanding', 'signed'] as const, { description: 'outstanding: waiting for a signature (counted in the badge)' }),
    assignedAt: Instant,
    signedAt: Nullable(Instant),
    textSha256: Type.String({ description: 'SHA-256 of the exact text assigned, the version signed' }),
    release: Nullable(
      Type.Object({
        contactId: Uuid,
        scope: Type.String(),
        expiresOn: Type.String(),
        state: StringEnum(releaseStateNames, { description: 'pending until signed; expired the day after its expiry date' }),
        revokedAt: Nullable(Instant),
      }),
    ),
    signedByName: Type.String({ description: 'The typed full name, once signed' }),
    signatureMethod: Type.String({ description: 'typed-name or typed-name-and-drawing, once signed' }),
    signedPdfSha256: Type.String({ description: 'SHA-256 of the signed PDF, once signed' }),
  },
  { $id: 'Consent', description: 'A consent assigned to the patient: outstanding until the patient or a guardian signs it' },
);

export const ConsentTemplateView = Type.Object(
  { id: Type.String(), version: Type.Integer(), kind: StringEnum(kindNames), title: Type.String(), text: Type.String() },
  { $id: 'ConsentTemplate', description: 'A consent text the clinic can assign, at its current version' },
);

export const DisclosureView = Type.Object(
  {
    version: Type.String(),
    title: Type.String(),
    sections: Type.Array(Type.Object({ heading: Type.String(), body: Type.String() })),
  },
  { $id: 'ElectronicRecordsDisclosure', description: 'The ESIGN Act §7001(c) disclosure a signer accepts before signing electronically' },
);

export const ConsentSignature = Type.Object(
  {
    typedName: Text(400, 'The signer’s full name, typed: alone it is a complete signature'),
    drawing: Type.Optional(
      Type.Object(
        {
          strokes: Type.Array(
            Type.Object(
              {
                points: Type.Array(
                  Type.Object(
                    { x: Type.Number(), y: Type.Number(), time: Type.Number(), pressure: Type.Optional(Type.Number()) },
                    { additionalProperties: false },
                  ),
                  { maxItems: 5000 },
                ),
                penColor: Type.Optional(Type.String({ maxLength: 64 })),
              },
              { additionalProperties: false },
            ),
            { maxItems: 100 },
          ),
          imagePng: Type.String({ maxLength: 720_000, description: 'The drawing as a PNG, base64 or a data: address' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'ConsentSignature', additionalProperties: false },
);

export const VerificationView = Type.Object(
  {
    genuine: Type.Boolean({ description: 'True when Portico produced this PDF for the clinic and not a byte of it changed' }),
    sha256: Type.String(),
    consentId: Nullable(Uuid),
    patientId: Nullable(Uuid),
    title: Nullable(Type.String()),
    signedAt: Nullable(Instant),
  },
  { $id: 'ConsentVerification' },
);

export const consentSchemas = [ConsentView, ConsentTemplateView, DisclosureView, ConsentSignature, VerificationView];

const iso = (t: Timestamp | undefined) => (t ? timestampDate(t).toISOString() : null);

export function consentJson(c: Consent): Static<typeof ConsentView> {
  return {
    id: c.consentId,
    patientId: c.patientId,
    templateId: c.templateId,
    templateVersion: c.templateVersion,
    kind: kinds.fromProto(c.kind) ?? 'other',
    title: c.title,
    state: c.state === ConsentState.SIGNED ? 'signed' : 'outstanding',
    assignedAt: iso(c.assignedAt) ?? '',
    signedAt: iso(c.signedAt),
    textSha256: c.textSha256,
    release: c.release
      ? {
          contactId: c.release.contactId,
          scope: c.release.scope,
          expiresOn: c.release.expiresOn,
          state: releaseStates.fromProto(c.release.state) ?? 'pending',
          revokedAt: iso(c.release.revokedAt),
        }
      : null,
    signedByName: c.signedByName,
    signatureMethod: c.signatureMethod,
    signedPdfSha256: c.signedPdfSha256,
  };
}

const verificationJson = (sha256: string, v: VerifySignedConsentResponse): Static<typeof VerificationView> => ({
  genuine: v.genuine,
  sha256: sha256.toLowerCase(),
  consentId: v.genuine ? v.consentId : null,
  patientId: v.genuine ? v.patientId : null,
  title: v.genuine ? v.title : null,
  signedAt: v.genuine ? iso(v.signedAt) : null,
});

const tags = ['Consents'];
const errors = problemResponses(400, 404);
const ConsentParams = Type.Object({ patientId: Uuid, consentId: Uuid }, { additionalProperties: false });
const One = Type.Object({ consent: ref(ConsentView) });
const userAgentOf = (request: FastifyRequest) => (request.headers['user-agent'] ?? '').slice(0, 512);

/** The routes of a patient's consents, for the patient, their guardian, or staff of their clinic. */
export function consentRoutes(app: FastifyInstance, client: ConsentsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/patients/:patientId/consents';

  api.get(
    base,
    {
      schema: {
        tags,
        summary: 'The patient’s consents, newest first, and how many wait for a signature (the badge)',
        params: PatientParams,
        response: { 200: Type.Object({ consents: Type.Array(ref(ConsentView)), outstandingCount: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listConsents(request.params, { metadata: callMetadata(request) });
      return { consents: response.consents.map(consentJson), outstandingCount: response.outstandingCount };
    },
  );
  api.get(
    `${base}/:consentId`,
    {
      schema: {
        tags,
        summary: 'A consent with its text, and the electronic-records disclosure the caller must accept before signing',
        params: ConsentParams,
        response: {
          200: Type.Object({
            consent: ref(ConsentView),
            text: Type.String(),
            disclosure: ref(DisclosureView),
            disclosureAccepted: Type.Boolean({ description: 'Whether the caller accepted this version of the disclosure' }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const response = await client.getConsent(request.params, { metadata: callMetadata(request) });
      const d = response.disclosure;
      return {
        consent: consentJson(response.consent!),
        text: response.text,
        disclosure: {
          version: d?.version ?? '',
          title: d?.title ?? '',
          sections: d?.sections.map((s) => ({ heading: s.heading, body: s.body })) ?? [],
        },
        disclosureAccepted: response.disclosureAccepted,
      };
    },
  );
  api.post(
    '/api/v1/electronic-records-disclosure/acceptance',
    {
      schema: {
        tags,
        summary: 'Accept the electronic-records disclosure (patient or guardian), before a first electronic signature',
        body: Type.Object({ version: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ version: Type.String(), acceptedAt: Instant }), ...problemResponses(400, 403) },
      },
    },
    async (request) => {
      const response = await client.acceptDisclosure(
        { version: request.body.version, userAgent: userAgentOf(request) },
        { metadata: callMetadata(request) },
      );
      return { version: response.version, acceptedAt: iso(response.acceptedAt) ?? '' };
    },
  );
  api.post(
    `${base}/:consentId/signature`,
    {
      bodyLimit: SIGNATURE_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Sign an outstanding consent (patient or guardian) with the typed full name and, if drawn, the signature',
        description:
          'A blank typed name or an empty drawing is refused (400) and nothing is kept. A consent signed already, or a signer who has not accepted the disclosure, is refused (412).',
        params: ConsentParams,
        body: ref(ConsentSignature),
        response: { 200: One, ...problemResponses(400, 403, 404, 412) },
      },
    },
    async (request) => {
      const { typedName, drawing } = request.body;
      const response = await client.signConsent(
        {
          ...request.params,
          typedName,
          userAgent: userAgentOf(request),
          ...(drawing
            ? {
                drawing: {
                  strokes: drawing.strokes.map((s) => ({ points: s.points, penColor: s.penColor ?? '' })),
                  imagePng: Buffer.from(drawing.imagePng.replace(/^data:image\/png;base64,/, ''), 'base64'),
                },
              }
            : {}),
        },
        { metadata: callMetadata(request) },
      );
      return { consent: consentJson(response.consent!) };
    },
  );
  api.post(
    `${base}/:consentId/revocation`,
    {
      schema: {
        tags,
        summary: 'Revoke a signed release of information (patient or guardian)',
        params: ConsentParams,
        response: { 200: One, ...problemResponses(400, 403, 404, 412) },
      },
    },
    async (request) => {
      const response = await client.revokeRelease(request.params, { metadata: callMetadata(request) });
      return { consent: consentJson(response.consent!) };
    },
  );
  api.get(
    `${base}/:consentId/signed.pdf`,
    {
      schema: {
        tags,
        summary: 'The signed consent as a PDF (download): the text as signed, the signature and the certificate page',
        params: ConsentParams,
        response: { 200: fileResponse('The signed PDF, as an attachment', ['application/pdf']), ...problemResponses(400, 404, 412) },
      },
    },
    (request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      return sendStoredFile(
        reply,
        client.downloadSignedConsent(request.params, { metadata: callMetadata(request) }) as never,
        'attachment',
      );
    },
  );
}

/** Staff routes, registered in the staff scope: patients and guardians are refused (403). */
export function staffConsentRoutes(app: FastifyInstance, client: ConsentsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffTags = ['Staff', ...tags];

  api.get(
    '/api/v1/staff/consent-templates',
    {
      schema: {
        tags: staffTags,
        summary: 'The consent texts the clinic can assign, at their current versions',
        response: { 200: Type.Object({ templates: Type.Array(ref(ConsentTemplateView)) }) },
      },
    },
    async (request) => {
      const response = await client.listConsentTemplates({}, { metadata: callMetadata(request) });
      return {
        templates: response.templates.map((t) => ({
          id: t.templateId,
          version: t.version,
          kind: kinds.fromProto(t.kind) ?? 'other',
          title: t.title,
          text: t.text,
        })),
      };
    },
  );
  api.post(
    '/api/v1/staff/patients/:patientId/consents',
    {
      schema: {
        tags: staffTags,
        summary: 'Assign a consent to a patient of the clinic; a release of information names one of their contacts',
        params: PatientParams,
        body: Type.Object(
          {
            templateId: Type.String({ maxLength: 100 }),
            release: Type.Optional(
              Type.Object({ contactId: Uuid, scope: Text(500), expiresOn: ExpiryDate }, { additionalProperties: false }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: One, ...errors },
      },
    },
    async (request, reply) => {
      const response = await client.assignConsent(
        {
          patientId: request.params.patientId,
          templateId: request.body.templateId,
          ...(request.body.release ? { release: request.body.release } : {}),
        },
        { metadata: callMetadata(request) },
      );
      return reply.code(201).send({ consent: consentJson(response.consent!) });
    },
  );
  const verified = { 200: ref(VerificationView), ...problemResponses(400, 413) };
  api.post(
    '/api/v1/staff/consents/verification',
    {
      schema: {
        tags: staffTags,
        summary: 'Whether a PDF with this SHA-256 is a signed consent Portico produced for the clinic, unchanged',
        body: Type.Object({ sha256: Sha256 }, { additionalProperties: false }),
        response: verified,
      },
    },
    async (request) =>
      verificationJson(request.body.sha256, await client.verifySignedConsent(request.body, { metadata: callMetadata(request) })),
  );
  app.register(async (scope) => {
    // The PDF arrives as the body and is hashed as it streams: never held whole, never stored.
    if (scope.hasContentTypeParser('application/pdf')) scope.removeContentTypeParser('application/pdf');
    scope.addContentTypeParser('application/pdf', (_request, payload, done) => done(null, payload));
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/v1/staff/consents/verification/pdf',
      {
        schema: {
          tags: staffTags,
          summary: 'Whether this PDF (the body, application/pdf) is a signed consent Portico produced for the clinic, unchanged',
          // No type for the schema: the body reaches the handler as a stream, which validation would refuse.
          body: {
            description: 'The PDF to check',
            required: true,
            content: { 'application/pdf': { schema: { description: 'The PDF (binary)' } } },
          } as never,
          response: verified,
        },
      },
      async (request, reply) => {
        const sha256 = await hashBody(request.body as Readable, reply);
        if (sha256 === undefined) return reply;
        return verificationJson(sha256, await client.verifySignedConsent({ sha256 }, { metadata: callMetadata(request) }));
      },
    );
  });
}

/** The SHA-256 of a streamed body, or undefined once a 413 is sent for a body beyond the limit. */
async function hashBody(body: Readable, reply: FastifyReply): Promise<string | undefined> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > VERIFY_PDF_LIMIT) {
      body.destroy();
      sendProblem(reply, problems.tooLarge(`A PDF to verify is at most ${VERIFY_PDF_LIMIT / (1024 * 1024)} MiB.`));
      return undefined;
    }
    hash.update(chunk as Buffer);
  }
  if (size === 0) {
    sendProblem(reply, problems.invalidRequest('Send the PDF to verify as the body.'));
    return undefined;
  }
  return hash.digest('hex');
}
