// Clinical documents, resources and uploads as the clinic speaks of them, and the rules for what
// staff enter about them. No I/O here.
import { snakeCase, validate } from '@portico/kit/domain';
import { boundedText } from '@portico/kit/vocabulary';
import { z } from 'zod';
import type { AcceptedType } from './files.js';

/** What staff share with one patient. */
export const SHARED_KINDS = ['note', 'assessment', 'treatment_plan'] as const;
/** Every kind: the shared ones and the clinic's handbook (one per clinic, for every patient). */
export const DOCUMENT_KINDS = [...SHARED_KINDS, 'handbook'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const RESOURCE_AUDIENCES = ['patient', 'clinic'] as const;
export type ResourceAudience = (typeof RESOURCE_AUDIENCES)[number];

export const UPLOAD_STATUSES = ['received', 'filed'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

/** A file as kept: where its bytes are and what they are. */
export interface StoredFile {
  objectKey: string;
  fileName: string;
  contentType: AcceptedType;
  sizeBytes: number;
  sha256: string;
}

export interface ClinicalDocument {
  documentId: string;
  patientId: string;
  clinicId: string;
  kind: DocumentKind;
  title: string;
  documentDate: string;
  author: string;
  file: StoredFile;
  sharedBy: string;
  sharedAt: Date;
  /** When the patient or a guardian first opened it; "new" until then. */
  openedAt: Date | null;
  version: number;
}

export interface Resource {
  resourceId: string;
  clinicId: string;
  audience: ResourceAudience;
  /** Empty for a resource shared with every patient of the clinic. */
  patientId: string;
  title: string;
  description: string;
  linkUrl: string;
  file: StoredFile | null;
  sharedBy: string;
  sharedAt: Date;
  version: number;
}

export interface Upload {
  uploadId: string;
  patientId: string;
  clinicId: string;
  file: StoredFile;
  uploadedBy: string;
  uploadedAt: Date;
  status: UploadStatus;
  filedAt: Date | null;
  filedBy: string;
  version: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const calendarDate = z
  .string()
  .trim()
  .regex(DATE, 'must be a date as YYYY-MM-DD')
  .refine((text) => {
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
  }, 'must be a real date');

const title = boundedText(200).pipe(z.string().min(1, 'is required'));

const documentDetails = z.object({
  kind: z.enum(SHARED_KINDS, { message: 'must be note, assessment or treatment_plan' }),
  title,
  documentDate: calendarDate,
  author: boundedText(120).pipe(z.string().min(1, 'is required')),
});

export type DocumentDetails = z.output<typeof documentDetails>;

/** What staff entered about a clinical document, checked; the document's date may not lie ahead of `today`. */
export function validateDocumentDetails(
  input: { kind: DocumentKind | undefined; title: string; documentDate: string; author: string },
  today: string,
) {
  const details = validate(
    documentDetails.refine((d) => d.documentDate <= today, { path: ['documentDate'], message: 'must not be in the future' }),
    input,
    'document',
    { field: snakeCase },
  );
  return details;
}

const httpsLink = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an https:// address');

const resourceDetails = z
  .object({
    audience: z.enum(RESOURCE_AUDIENCES, { message: 'must be patient or clinic' }),
    patientId: z.string(),
    title,
    description: boundedText(1000, { multiline: true }),
    linkUrl: z.union([z.literal(''), httpsLink]),
    hasFile: z.boolean(),
  })
  .refine((r) => r.audience !== 'patient' || r.patientId !== '', { path: ['patientId'], message: 'is required for one patient' })
  .refine((r) => r.audience !== 'clinic' || r.patientId === '', { path: ['patientId'], message: 'must be empty for every patient' })
  .refine((r) => (r.linkUrl === '') === r.hasFile, { path: ['linkUrl'], message: 'give either a link or a file, not both' });

export function validateResourceDetails(input: z.input<typeof resourceDetails>) {
  return validate(resourceDetails, input, 'resource', { field: snakeCase });
}

/** Marks a document opened by its patient (or a guardian), the first time only. */
export function opened(document: ClinicalDocument, now: Date): ClinicalDocument {
  return document.openedAt ? document : { ...document, openedAt: now, version: document.version + 1 };
}

/** Marks an upload filed by staff, once. */
export function filed(upload: Upload, staffId: string, now: Date): Upload {
  return upload.status === 'filed' ? upload : { ...upload, status: 'filed', filedAt: now, filedBy: staffId, version: upload.version + 1 };
}

/** The id of a clinic's handbook: one per clinic, replaced when staff share a new one. */
export const handbookIdOf = (clinicId: string) => `handbook:${clinicId}`;
