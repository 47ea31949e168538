// The Upload tool: a patient, or a guardian for them, sends a file to the clinic; staff see the
// clinic's new uploads, download exactly the bytes received, and file them. Every upload,
// download and filing is audited.
import { randomUUID } from 'node:crypto';
import type { DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { auditEvent, staffAudit } from '@portico/kit/audit';
import { NotAllowedNow, NotFound, requireUuid } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import { auditRead, authorisePatient, authoriseStaff, authoriseStaffFor, patientScope, type Caller } from '@portico/kit/requests';
import { filed, type Upload } from '../domain/documents.js';
import { EVERY_ACCEPTED_TYPE } from '../domain/files.js';
import { documentUploaded, uploadFiled, uploadStatuses } from '../events/document-events.js';
import { detailsOf, fileParts, keepOrDiscard } from '../files/file-intake.js';
import { uploadMessage } from './document-messages.js';
import { clinicOfPatient, objectKeyOf, UPLOAD, receiveInto, type DocumentHandlerDeps } from './handler-deps.js';

type Methods = (typeof DocumentsService)['method'];

export function uploadHandlers(
  deps: DocumentHandlerDeps,
): Pick<ServiceHandlers<Methods>, 'uploadFile' | 'listUploads' | 'listClinicUploads' | 'downloadUpload' | 'fileUpload'> {
  const { uploads, objects, clock } = deps;
  const attempt = (action: string) => ({ action, resourceType: UPLOAD });

  async function load(caller: Caller, uploadId: string): Promise<Upload> {
    const upload = await uploads.find(patientScope(caller), requireUuid(uploadId, 'upload_id'));
    if (!upload) throw new NotFound('upload not found');
    return upload;
  }

  return {
    async uploadFile(requests, ctx) {
      const action = 'uploads.upload';
      const { details, rest } = await detailsOf(requests);
      const caller = await authorisePatient(ctx, details.patientId, attempt(action));
      const clinicId = await clinicOfPatient(ctx, caller);
      if (!clinicId) throw new NotAllowedNow('the patient belongs to no clinic');
      const uploadId = randomUUID();
      const objectKey = objectKeyOf(clinicId, caller.patientId, 'uploads', uploadId);
      const file = await receiveInto(deps, ctx, rest, details.file, objectKey, EVERY_ACCEPTED_TYPE);
      const upload: Upload = {
        uploadId,
        patientId: caller.patientId,
        clinicId,
        file,
        uploadedBy: caller.principal.subject,
        uploadedAt: clock(),
        status: 'received',
        filedAt: null,
        filedBy: '',
        version: 1,
      };
      const events = [documentUploaded(caller, upload), auditEvent(caller, { ...attempt(action), resourceId: uploadId })];
      await keepOrDiscard(objects, objectKey, () => uploads.add(upload, events));
      return { upload: uploadMessage(upload) };
    },

    async listUploads(request, ctx) {
      const action = 'uploads.list';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const page = pageOf(request.page);
      const found = await uploads.list(patientScope(caller), page);
      await auditRead(ctx, caller, attempt(action));
      return { uploads: found.map(uploadMessage), page: { nextPageToken: nextPageToken(page, found.length) } };
    },

    async listClinicUploads(request, ctx) {
      const action = 'uploads.list_clinic';
      const caller = await authoriseStaff(ctx, attempt(action));
      const page = pageOf(request.page);
      const found = await uploads.forClinic(caller.clinicId, uploadStatuses.fromProto(request.status), page);
      // Each patient whose upload the list shows had (part of) their record read.
      const patients = [...new Set(found.map((u) => u.patientId))];
      await ctx.access.audit.record(
        patients.length
          ? patients.map((patientId) => staffAudit(caller, attempt(action), patientId))
          : [staffAudit(caller, attempt(action))],
      );
      return { uploads: found.map(uploadMessage), page: { nextPageToken: nextPageToken(page, found.length) } };
    },

    async *downloadUpload(request, ctx) {
      const action = 'uploads.download';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const upload = await load(caller, request.uploadId);
      await auditRead(ctx, caller, { ...attempt(action), resourceId: upload.uploadId });
      yield* fileParts(objects, upload.file);
    },

    async fileUpload(request, ctx) {
      const action = 'uploads.file';
      const caller = await authoriseStaffFor(ctx, request.patientId, attempt(action));
      const upload = await load(caller, request.uploadId);
      if (upload.status === 'filed') return { upload: uploadMessage(upload) };
      const now = clock();
      const next = filed(upload, caller.principal.subject, now);
      const stored = await uploads.replace(upload, next, [
        uploadFiled(caller, next, now),
        auditEvent(caller, { ...attempt(action), resourceId: upload.uploadId }),
      ]);
      return { upload: uploadMessage(stored) };
    },
  };
}
