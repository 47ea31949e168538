// What every group of DocumentsService handlers works with, and the lookups they share.
import type { Clock } from '@portico/kit/domain';
import type { ObjectStore } from '@portico/kit/objects';
import type { Caller, RequestContext } from '@portico/kit/requests';
import type { AcceptedType } from '../domain/files.js';
import { receiveFile, type StreamedPart } from '../files/file-intake.js';
import type { DocumentRepository, ResourceRepository, ScreeningRepository, UploadRepository } from '../store/repositories.js';

export interface DocumentHandlerDeps {
  documents: DocumentRepository;
  resources: ResourceRepository;
  uploads: UploadRepository;
  screenings: ScreeningRepository;
  objects: ObjectStore;
  clock: Clock;
  /** The largest file accepted, in bytes. */
  limitBytes: number;
}

export const CLINICAL_DOCUMENT = 'clinical_document';
export const RESOURCE = 'resource';
export const UPLOAD = 'upload';

/**
 * The clinic a patient belongs to: staff act within their own (authorisation checked the patient
 * is theirs); for a patient or guardian the patient directory says, else their token's clinic.
 */
export async function clinicOfPatient(ctx: RequestContext, caller: Caller): Promise<string> {
  if (caller.actingAs === 'staff') return caller.principal.clinicId ?? '';
  const record = await ctx.access.patients.find(caller.patientId, ctx).catch(() => undefined);
  return record?.clinicId || caller.principal.clinicId || '';
}

/** Where a file's bytes are kept: by clinic and patient, a new name each time. */
export const objectKeyOf = (clinicId: string, owner: string, kind: 'documents' | 'resources' | 'uploads', id: string) =>
  `clinics/${encodeURIComponent(clinicId)}/${owner ? `patients/${owner}/` : ''}${kind}/${id}`;

/** The bytes that follow a description, received into `objectKey` under this service's limit. */
export function receiveInto<D>(
  deps: DocumentHandlerDeps,
  ctx: RequestContext,
  rest: AsyncIterator<StreamedPart<D>>,
  file: { fileName: string; sizeBytes: bigint } | undefined,
  objectKey: string,
  allowed: readonly AcceptedType[],
) {
  return receiveFile(rest, {
    objects: deps.objects,
    objectKey,
    announced: { fileName: file?.fileName ?? '', sizeBytes: file?.sizeBytes ?? 0n },
    allowed,
    limitBytes: deps.limitBytes,
    signal: ctx.signal,
  });
}
