// The clinic as its patients see it (seed step 3): the profile for the home page, the logo, and
// the client handbook to download (kept by the documents service as a document of kind handbook).
import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { AuthService, Organisation } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceClient } from '@portico/kit/grpc';
import type { DescribeHandbookResponse, DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { Type, type Static } from 'typebox';
import { Nullable, problemResponses, ref } from '../http/schemas.js';
import { callMetadata } from './call-metadata.js';

export type AuthClient = ServiceClient<(typeof AuthService)['method']>;
type DocumentsClient = ServiceClient<(typeof DocumentsService)['method']>;

/** The clinic's profile as the portal shows it; every field is present, empty when not set. */
export const OrganisationView = Type.Object(
  {
    name: Type.String(),
    address: Type.Object({
      line1: Type.String(),
      line2: Type.String(),
      city: Type.String(),
      region: Type.String(),
      postalCode: Type.String(),
      countryCode: Type.String(),
    }),
    phone: Type.String(),
    email: Type.String(),
    hours: Type.Array(Type.String()),
    welcomeMessage: Type.String(),
    portalUrl: Type.String(),
    timeZone: Type.String({ description: 'IANA time zone of the clinic, e.g. America/New_York' }),
    hasLogo: Type.Boolean(),
    hasHandbook: Type.Boolean(),
    handbookFileName: Type.String(),
    version: Type.Integer(),
    updatedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'Organisation' },
);
type OrganisationJson = Static<typeof OrganisationView>;

/** A stored file answered as its bytes, in one of the given types. */
export const fileResponse = (description: string, types: string[]) => ({
  description,
  content: Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
});

/** The clinic's handbook as the documents service describes it (it owns handbooks now). */
export type HandbookDescription = Pick<DescribeHandbookResponse, 'file'>;

export function organisationJson(organisation: Organisation | undefined, handbook?: HandbookDescription): OrganisationJson {
  const profile = organisation?.profile;
  const address = profile?.address;
  return {
    name: profile?.name ?? '',
    address: {
      line1: address?.line1 ?? '',
      line2: address?.line2 ?? '',
      city: address?.city ?? '',
      region: address?.region ?? '',
      postalCode: address?.postalCode ?? '',
      countryCode: address?.countryCode ?? '',
    },
    phone: profile?.phone ?? '',
    email: profile?.email ?? '',
    hours: profile?.openingHours ?? [],
    welcomeMessage: profile?.welcomeMessage ?? '',
    portalUrl: profile?.portalUrl ?? '',
    timeZone: profile?.timeZone ?? '',
    hasLogo: Boolean(organisation?.logo?.objectKey),
    // The documents service's answer; the auth service's record only while it cannot be asked.
    hasHandbook: handbook ? Boolean(handbook.file) : Boolean(organisation?.handbook?.objectKey),
    handbookFileName: handbook ? (handbook.file?.fileName ?? '') : (organisation?.handbook?.fileName ?? ''),
    version: Number(organisation?.version ?? 0n),
    updatedAt: organisation?.updatedAt ? timestampDate(organisation.updatedAt).toISOString() : null,
  };
}

/** A plain-ASCII fallback name, and the real one (RFC 6266 / 8187) for names beyond ASCII. */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\w.\- ]/g, '_');
  return `${disposition}; filename="${fallback}"${fallback === name ? '' : `; filename*=UTF-8''${encodeURIComponent(name)}`}`;
}

/** Streams a stored file from the auth service: the first part says what it is, the rest is bytes. */
export async function sendStoredFile(
  reply: FastifyReply,
  parts: AsyncIterable<{
    part:
      | { case: 'file'; value: { contentType: string; fileName: string; sizeBytes: bigint } }
      | { case: 'chunk'; value: Uint8Array }
      | { case: undefined };
  }>,
  disposition: 'inline' | 'attachment',
) {
  const iterator = parts[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done || first.value.part.case !== 'file') throw new Error('stored file stream without its description');
  const file = first.value.part.value;
  reply.type(file.contentType).header('content-length', String(file.sizeBytes)).header('cache-control', 'private, no-cache');
  reply.header('content-disposition', contentDisposition(disposition, file.fileName || 'file'));
  async function* bytes() {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (next.value.part.case === 'chunk') yield Buffer.from(next.value.part.value);
    }
  }
  const { Readable } = await import('node:stream');
  return reply.send(Readable.from(bytes()));
}

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'];

/**
 * The organisation as the portal shows it: the profile from the auth service, the handbook from
 * the documents service. The documents service being down leaves the rest of Home working.
 */
/** The handbook's description from the documents service; none when it cannot answer (the profile still shows). */
export const handbookOf = (request: FastifyRequest, documents: DocumentsClient): Promise<HandbookDescription | undefined> =>
  documents.describeHandbook({}, { metadata: callMetadata(request) }).catch(() => undefined);

/**
 * The organisation as Home shows it, kept per clinic for a short while. Every patient of a clinic
 * reads the same profile on their first Home load, and asking the auth and documents services for
 * it made it Home's dearest call. Keyed by the clinic of the verified token, and only complete
 * answers are kept (not one made while the documents service could not say about the handbook).
 * A change made through this gateway replaces the kept view at once; one made through another
 * replica shows here within the time a view is kept.
 */
export interface OrganisationCache {
  get(request: FastifyRequest): OrganisationJson | undefined;
  keep(request: FastifyRequest, view: OrganisationJson): void;
}

export function organisationCache(seconds: number): OrganisationCache {
  const views = seconds > 0 ? new LRUCache<string, OrganisationJson>({ max: 10_000, ttl: seconds * 1000 }) : undefined;
  const clinicOf = (request: FastifyRequest) => request.principal?.clinicId;
  return {
    get: (request) => {
      const clinicId = clinicOf(request);
      return clinicId ? views?.get(clinicId) : undefined;
    },
    keep: (request, view) => {
      const clinicId = clinicOf(request);
      if (!clinicId || !views) return;
      // A read that began before a change and ends after it must not put the older profile back.
      if ((views.get(clinicId)?.version ?? -1) > view.version) return;
      views.set(clinicId, view);
    },
  };
}

/** The organisation as it is now, kept for the clinic's next Home loads when complete. */
export async function organisationView(
  request: FastifyRequest,
  organisation: Organisation | undefined,
  asked: Promise<HandbookDescription | undefined>,
  cache: OrganisationCache,
): Promise<OrganisationJson> {
  const handbook = await asked;
  const view = organisationJson(organisation, handbook);
  if (organisation && handbook) cache.keep(request, view);
  return view;
}

export function organisationRoutes(app: FastifyInstance, auth: AuthClient, documents: DocumentsClient, cache: OrganisationCache): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Organisation'];
  api.get(
    '/api/v1/organisation',
    { schema: { tags, summary: 'The clinic: welcome message, contact details, handbook', response: { 200: ref(OrganisationView) } } },
    async (request) => {
      const kept = cache.get(request);
      if (kept) return kept;
      // Both asked at once: Home waits for this answer before it shows anything of the clinic.
      const handbook = handbookOf(request, documents);
      const response = await auth.getOrganisation({}, { metadata: callMetadata(request) });
      return organisationView(request, response.organisation, handbook, cache);
    },
  );
  api.get(
    '/api/v1/organisation/logo',
    { schema: { tags, summary: "The clinic's logo", response: { 200: fileResponse('The logo', LOGO_TYPES), ...problemResponses(404) } } },
    (request, reply) => sendStoredFile(reply, auth.getLogo({}, { metadata: callMetadata(request) }) as never, 'inline'),
  );
  api.get(
    '/api/v1/organisation/handbook',
    {
      schema: {
        tags,
        summary: 'The client handbook (download)',
        response: { 200: fileResponse('The handbook, as an attachment', ['application/pdf']), ...problemResponses(404) },
      },
    },
    (request, reply) => sendStoredFile(reply, documents.getHandbook({}, { metadata: callMetadata(request) }) as never, 'attachment'),
  );
}
