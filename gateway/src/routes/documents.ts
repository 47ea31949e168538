// Documents (seed step 6), the parts that are files. A patient, a guardian for their patient, or
// staff for a patient of their clinic: the clinical documents shared with the patient (new until
// first opened), the resources they see, their uploads, and each file as a download. The Upload
// tool streams the browser's file through to the documents service as it arrives: the request
// body is never read whole, and never parsed (application/octet-stream or any type: the service
// decides what it is from its bytes). Staff (in the staff scope): share a document or a
// resource, list the clinic's uploads, and file them.
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import {
  DocumentKindSchema,
  ResourceAudienceSchema,
  UploadStatusSchema,
  type ClinicalDocument,
  type DocumentsService,
  type FileDescription,
  type Resource,
  type Upload,
} from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { chunkBuffer, type ServiceClient } from '@portico/kit/grpc';
import { enumMapping } from '@portico/kit/vocabulary';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { problems, sendProblem } from '../http/problem.js';
import {
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
import { fileResponse, sendStoredFile } from './organisation.js';

export type DocumentsClient = ServiceClient<(typeof DocumentsService)['method']>;

const kinds = ['note', 'assessment', 'treatment_plan'] as const;
const audiences = ['patient', 'clinic'] as const;
const uploadStatuses = ['received', 'filed'] as const;
const kind = enumMapping(DocumentKindSchema, kinds);
const audience = enumMapping(ResourceAudienceSchema, audiences);
const uploadStatus = enumMapping(UploadStatusSchema, uploadStatuses);

/** The types the documents service keeps, for the OpenAPI document's downloads. */
const FILE_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/heic',
  'image/heif',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

/** The bytes of the body carried by one gRPC message (well below the service's 4 MiB message limit). */
const MESSAGE_BYTES = 256 * 1024;

/** How long a file may take to arrive from the browser (a slow phone connection, 25 MB). */
const UPLOAD_DEADLINE_MS = 15 * 60_000;

const Instant = Type.String({ format: 'date-time' });

export const FileView = Type.Object(
  {
    fileName: Type.String({ description: 'Sanitised: no path or control characters, the extension of its real type' }),
    contentType: Type.String({ description: 'Decided from the bytes, not the name' }),
    sizeBytes: Type.Integer(),
    sha256: Type.String({ description: 'Hex SHA-256 of the bytes as received' }),
  },
  { $id: 'StoredFile' },
);

export const ClinicalDocumentView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    kind: StringEnum(kinds),
    title: Type.String(),
    documentDate: Type.String({ format: 'date' }),
    author: Type.String(),
    file: ref(FileView),
    sharedAt: Instant,
    openedAt: Nullable(Instant),
    isNew: Type.Boolean({ description: 'Not yet opened by the patient or a guardian' }),
  },
  { $id: 'ClinicalDocument', description: 'A note, assessment or treatment plan the clinic shared with the patient' },
);

export const ResourceView = Type.Object(
  {
    id: Uuid,
    audience: StringEnum(audiences, { description: 'patient: this patient only; clinic: every patient of the clinic' }),
    patientId: Type.String({ description: 'Empty when shared with every patient' }),
    title: Type.String(),
    description: Type.String(),
    linkUrl: Type.String({ description: 'A link (https), or empty when the resource is a file' }),
    file: Nullable(ref(FileView)),
    sharedAt: Instant,
  },
  { $id: 'Resource', description: 'An educational resource: a file or a link' },
);

export const UploadView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    file: ref(FileView),
    status: StringEnum(uploadStatuses, { description: 'received: waiting for the clinic; filed: taken into the record' }),
    uploadedAt: Instant,
    filedAt: Nullable(Instant),
  },
  { $id: 'Upload', description: 'A file the patient or a guardian sent to the clinic' },
);

export const NewLinkResource = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Text(1000)),
    linkUrl: Type.String({ minLength: 1, maxLength: 2000, description: 'An https:// address' }),
  },
  { $id: 'NewLinkResource', additionalProperties: false },
);

export const documentSchemas = [FileView, ClinicalDocumentView, ResourceView, UploadView, NewLinkResource];

const iso = (t: Timestamp | undefined) => (t ? timestampDate(t).toISOString() : null);

function fileJson(file: FileDescription | undefined): Static<typeof FileView> {
  return {
    fileName: file?.fileName ?? '',
    contentType: file?.contentType ?? '',
    sizeBytes: Number(file?.sizeBytes ?? 0n),
    sha256: file?.sha256 ?? '',
  };
}

export function documentJson(d: ClinicalDocument): Static<typeof ClinicalDocumentView> {
  return {
    id: d.documentId,
    patientId: d.patientId,
    kind: kind.fromProto(d.kind) ?? 'note',
    title: d.title,
    documentDate: d.documentDate,
    author: d.author,
    file: fileJson(d.file),
    sharedAt: iso(d.sharedAt)!,
    openedAt: iso(d.openedAt),
    isNew: !d.openedAt,
  };
}

export function resourceJson(r: Resource): Static<typeof ResourceView> {
  return {
    id: r.resourceId,
    audience: audience.fromProto(r.audience) ?? 'patient',
    patientId: r.patientId,
    title: r.title,
    description: r.description,
    linkUrl: r.linkUrl,
    file: r.file ? fileJson(r.file) : null,
    sharedAt: iso(r.sharedAt)!,
  };
}

export function uploadJson(u: Upload): Static<typeof UploadView> {
  return {
    id: u.uploadId,
    patientId: u.patientId,
    file: fileJson(u.file),
    status: uploadStatus.fromProto(u.status) ?? 'received',
    uploadedAt: iso(u.uploadedAt)!,
    filedAt: iso(u.filedAt),
  };
}

/** Browsers cannot put "Scan – März.pdf" in a header as it is, so the app sends it URI-encoded. */
function fileNameOf(request: FastifyRequest): string {
  const header = request.headers['x-file-name'];
  if (typeof header !== 'string') return '';
  try {
    return decodeURIComponent(header).slice(0, 1000);
  } catch {
    return header.slice(0, 1000);
  }
}

const FileNameHeaders = Type.Object({
  'x-file-name': Type.Optional(Type.String({ maxLength: 3000, description: 'The file’s name on the device, URI-encoded' })),
  'content-length': Type.Optional(Type.String({ description: 'Required: the file’s size in bytes' })),
});

const uploadBody = {
  description: 'The file’s bytes as they are on the device (any content type: the type is read from the bytes)',
  required: true,
  // No type for the schema: the body reaches the handler as a stream, which validation would refuse.
  content: { 'application/octet-stream': { schema: { description: 'The file (binary)' } } },
};

/**
 * The messages of a client-streaming call: the description, then the request body's bytes as
 * they arrive. A browser that goes away ends the body early; the call is then cancelled and the
 * service keeps nothing.
 */
async function* streamedBody<D>(details: D, request: FastifyRequest) {
  yield { part: { case: 'details' as const, value: details } };
  // Without a Content-Type no parser ran: the body is still the request's own stream.
  const body = (request.body as AsyncIterable<Buffer> | undefined) ?? request.raw;
  // The socket hands over 16–64 KiB at a time; fewer, larger messages cost the gRPC hop less. Each
  // message's buffer leaves room for its header, so it is sent as it is, not copied once more.
  let message = chunkBuffer(MESSAGE_BYTES);
  let filled = 0;
  for await (const data of body as AsyncIterable<Buffer>) {
    for (let at = 0; at < data.length;) {
      const taken = data.copy(message.bytes, filled, at);
      filled += taken;
      at += taken;
      if (filled === MESSAGE_BYTES) {
        yield { part: { case: 'chunk' as const, value: message.bytes } };
        message = chunkBuffer(MESSAGE_BYTES);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield { part: { case: 'chunk' as const, value: message.view(filled) } };
}

/** The announced size, from Content-Length; a body without one (chunked) is refused, since the service checks the size first. */
function announcedSize(request: FastifyRequest, reply: FastifyReply): bigint | undefined {
  const length = request.headers['content-length'];
  if (typeof length === 'string' && /^\d{1,15}$/.test(length)) return BigInt(length);
  sendProblem(reply, { ...problems.invalidRequest('Send the file with its Content-Length.'), status: 411, title: 'Length required' });
  return undefined;
}

const uploadCall = (request: FastifyRequest) => ({ metadata: callMetadata(request), deadline: new Date(Date.now() + UPLOAD_DEADLINE_MS) });

/** Every content type passes through untouched, as a stream: only upload routes are registered where this holds. */
function streamBodies(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
}

/** Sends a stored file as an attachment the browser must not sniff or show inline. */
function sendAttachment(reply: FastifyReply, parts: AsyncIterable<unknown>) {
  reply.header('x-content-type-options', 'nosniff');
  return sendStoredFile(reply, parts as never, 'attachment');
}

const tags = ['Documents'];
const errors = problemResponses(400, 404);
const download = { 200: fileResponse('The file, as an attachment', FILE_TYPES), ...errors };
const DocumentParams = Type.Object({ patientId: Uuid, documentId: Uuid }, { additionalProperties: false });
const ResourceParams = Type.Object({ patientId: Uuid, resourceId: Uuid }, { additionalProperties: false });
const UploadParams = Type.Object({ patientId: Uuid, uploadId: Uuid }, { additionalProperties: false });
const ListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

/** The routes of a patient's documents, for the patient, their guardian, or staff of their clinic. */
export function documentRoutes(app: FastifyInstance, client: DocumentsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/patients/:patientId';

  api.get(
    `${base}/documents`,
    {
      schema: {
        tags,
        summary: 'Notes, assessments and treatment plans shared with the patient, newest first, paged',
        params: PatientParams,
        querystring: ListQuery,
        response: { 200: Type.Object({ documents: Type.Array(ref(ClinicalDocumentView)), nextPageToken: NextPageToken }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listDocuments(
        { patientId: request.params.patientId, page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { documents: response.documents.map(documentJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );
  api.get(
    `${base}/documents/:documentId/file`,
    {
      schema: {
        tags,
        summary: 'A clinical document (download); the patient’s or a guardian’s first download marks it opened',
        params: DocumentParams,
        response: download,
      },
    },
    (request, reply) => sendAttachment(reply, client.openDocument(request.params, { metadata: callMetadata(request) })),
  );

  api.get(
    `${base}/resources`,
    {
      schema: {
        tags,
        summary: 'Resources the patient sees (theirs and the clinic’s for everyone), newest first, paged',
        params: PatientParams,
        querystring: ListQuery,
        response: { 200: Type.Object({ resources: Type.Array(ref(ResourceView)), nextPageToken: NextPageToken }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listResources(
        { patientId: request.params.patientId, page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { resources: response.resources.map(resourceJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );
  api.get(
    `${base}/resources/:resourceId/file`,
    {
      schema: { tags, summary: 'A resource’s file (download); a link resource has none (400)', params: ResourceParams, response: download },
    },
    (request, reply) => sendAttachment(reply, client.openResource(request.params, { metadata: callMetadata(request) })),
  );

  api.get(
    `${base}/uploads`,
    {
      schema: {
        tags,
        summary: 'Files the patient or a guardian sent to the clinic, newest first, paged',
        params: PatientParams,
        querystring: ListQuery,
        response: { 200: Type.Object({ uploads: Type.Array(ref(UploadView)), nextPageToken: NextPageToken }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listUploads(
        { patientId: request.params.patientId, page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { uploads: response.uploads.map(uploadJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );
  api.get(
    `${base}/uploads/:uploadId/file`,
    { schema: { tags, summary: 'An uploaded file (download), exactly the bytes received', params: UploadParams, response: download } },
    (request, reply) => sendAttachment(reply, client.downloadUpload(request.params, { metadata: callMetadata(request) })),
  );

  // The Upload tool: its own scope, where bodies stream through instead of being parsed.
  app.register(async (uploads) => {
    streamBodies(uploads);
    uploads.withTypeProvider<TypeBoxTypeProvider>().post(
      `${base}/uploads`,
      {
        schema: {
          tags,
          summary: 'Send a file to the clinic: PDF, JPEG, PNG, HEIC/HEIF or Word (DOCX), 25 MB at most',
          description:
            'The body is the file itself, streamed; its name goes in X-File-Name (URI-encoded). The type is read from the bytes: anything else is refused with a problem saying why, and nothing is kept.',
          params: PatientParams,
          headers: FileNameHeaders,
          body: uploadBody as never,
          response: { 201: Type.Object({ upload: ref(UploadView) }), ...problemResponses(400, 404, 411) },
        },
      },
      async (request, reply) => {
        const sizeBytes = announcedSize(request, reply);
        if (sizeBytes === undefined) return reply;
        const details = { patientId: request.params.patientId, file: { fileName: fileNameOf(request), sizeBytes } };
        const response = await client.uploadFile(streamedBody(details, request), uploadCall(request));
        return reply.code(201).send({ upload: uploadJson(response.upload!) });
      },
    );
  });
}

/**
 * Staff routes, registered in the staff scope: patients and guardians are refused (403) before
 * the body is read. Staff download through the patient routes above like everyone else.
 */
export function staffDocumentRoutes(app: FastifyInstance, client: DocumentsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffTags = ['Staff', ...tags];

  api.get(
    '/api/v1/staff/uploads',
    {
      schema: {
        tags: staffTags,
        summary: 'Files the clinic’s patients sent, newest first, paged; received ones are waiting to be filed',
        querystring: Type.Object({ status: Type.Optional(StringEnum(uploadStatuses)), ...PageQuery }, { additionalProperties: false }),
        response: { 200: Type.Object({ uploads: Type.Array(ref(UploadView)), nextPageToken: NextPageToken }), ...problemResponses(400) },
      },
    },
    async (request) => {
      const response = await client.listClinicUploads(
        { status: request.query.status ? uploadStatus.toProto(request.query.status) : 0, page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { uploads: response.uploads.map(uploadJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );
  api.post(
    '/api/v1/staff/patients/:patientId/uploads/:uploadId/filed',
    {
      schema: {
        tags: staffTags,
        summary: 'Mark an upload filed (taken into the clinic’s record); filing it again changes nothing',
        params: UploadParams,
        response: { 200: Type.Object({ upload: ref(UploadView) }), ...errors },
      },
    },
    async (request) => {
      const response = await client.fileUpload(request.params, { metadata: callMetadata(request) });
      return { upload: uploadJson(response.upload!) };
    },
  );
  /** A link for one patient (patientId) or for every patient of the clinic (''). */
  const shareLink = async (request: FastifyRequest, reply: FastifyReply, patientId: string, body: Static<typeof NewLinkResource>) => {
    const details = {
      audience: audience.toProto(patientId ? 'patient' : 'clinic'),
      patientId,
      title: body.title,
      description: body.description ?? '',
      linkUrl: body.linkUrl,
    };
    const response = await client.shareResource(
      (async function* () {
        yield { part: { case: 'details' as const, value: details } };
      })(),
      { metadata: callMetadata(request) },
    );
    return reply.code(201).send({ resource: resourceJson(response.resource!) });
  };
  const linkResponse = { 201: Type.Object({ resource: ref(ResourceView) }), ...errors };
  api.post(
    '/api/v1/staff/resources',
    {
      schema: {
        tags: staffTags,
        summary: 'Share a link (an https address) with every patient of the clinic',
        body: ref(NewLinkResource),
        response: linkResponse,
      },
    },
    (request, reply) => shareLink(request, reply, '', request.body),
  );
  api.post(
    '/api/v1/staff/patients/:patientId/resources',
    {
      schema: {
        tags: staffTags,
        summary: 'Share a link (an https address) with one patient of the clinic',
        params: PatientParams,
        body: ref(NewLinkResource),
        response: linkResponse,
      },
    },
    (request, reply) => shareLink(request, reply, request.params.patientId, request.body),
  );

  app.register(async (files) => {
    streamBodies(files);
    const streamed = files.withTypeProvider<TypeBoxTypeProvider>();
    streamed.post(
      '/api/v1/staff/patients/:patientId/documents',
      {
        schema: {
          tags: staffTags,
          summary: 'Share a clinical document (a PDF) with a patient of the clinic',
          description: 'The body is the PDF, streamed; what it is goes in the query, its name in X-File-Name (URI-encoded).',
          params: PatientParams,
          // Each is required; the documents service says which are missing, once it knows the
          // caller may share with this patient at all.
          querystring: Type.Object(
            {
              kind: Type.Optional(StringEnum(kinds)),
              title: Type.Optional(Type.String({ maxLength: 200 })),
              documentDate: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, not in the future' })),
              author: Type.Optional(Type.String({ maxLength: 120 })),
            },
            { additionalProperties: false },
          ),
          headers: FileNameHeaders,
          body: uploadBody as never,
          response: { 201: Type.Object({ document: ref(ClinicalDocumentView) }), ...problemResponses(400, 404, 411) },
        },
      },
      async (request, reply) => {
        const sizeBytes = announcedSize(request, reply);
        if (sizeBytes === undefined) return reply;
        const { query } = request;
        const details = {
          patientId: request.params.patientId,
          kind: query.kind ? kind.toProto(query.kind) : 0,
          title: query.title ?? '',
          documentDate: query.documentDate ?? '',
          author: query.author ?? '',
          file: { fileName: fileNameOf(request), sizeBytes },
        };
        const response = await client.shareDocument(streamedBody(details, request), uploadCall(request));
        return reply.code(201).send({ document: documentJson(response.document!) });
      },
    );
    const ResourceQuery = Type.Object(
      { title: Type.Optional(Type.String({ maxLength: 200 })), description: Type.Optional(Text(1000)) },
      { additionalProperties: false },
    );
    const shareFile = async (request: FastifyRequest, reply: FastifyReply, patientId: string, query: Static<typeof ResourceQuery>) => {
      const sizeBytes = announcedSize(request, reply);
      if (sizeBytes === undefined) return reply;
      const details = {
        audience: audience.toProto(patientId ? 'patient' : 'clinic'),
        patientId,
        title: query.title ?? '',
        description: query.description ?? '',
        linkUrl: '',
        file: { fileName: fileNameOf(request), sizeBytes },
      };
      const response = await client.shareResource(streamedBody(details, request), uploadCall(request));
      return reply.code(201).send({ resource: resourceJson(response.resource!) });
    };
    const fileSchema = (summary: string) => ({
      tags: staffTags,
      summary,
      description: 'The body is the file, streamed; its title and description go in the query, its name in X-File-Name (URI-encoded).',
      querystring: ResourceQuery,
      headers: FileNameHeaders,
      body: uploadBody as never,
      response: { 201: Type.Object({ resource: ref(ResourceView) }), ...problemResponses(400, 404, 411) },
    });
    streamed.post(
      '/api/v1/staff/resources/file',
      { schema: fileSchema('Share a file (PDF, image or Word document) with every patient of the clinic') },
      (request, reply) => shareFile(request, reply, '', request.query),
    );
    streamed.post(
      '/api/v1/staff/patients/:patientId/resources/file',
      { schema: { ...fileSchema('Share a file (PDF, image or Word document) with one patient of the clinic'), params: PatientParams } },
      (request, reply) => shareFile(request, reply, request.params.patientId, request.query),
    );
  });
}
