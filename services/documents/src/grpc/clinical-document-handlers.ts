// Notes, assessments and treatment plans: staff share a PDF with a patient of their clinic; the
// patient, a guardian or staff list and open them. A patient's or guardian's first open is
// recorded (staff see it) and published; every share and open is audited.
import { randomUUID } from 'node:crypto';
import type { DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { auditEvent } from '@portico/kit/audit';
import { latestDateAnywhere, NotFound, requireUuid } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import { auditRead, authorisePatient, authoriseStaffFor, patientScope } from '@portico/kit/requests';
import { opened, validateDocumentDetails, type ClinicalDocument } from '../domain/documents.js';
import { PDF } from '../domain/files.js';
import { documentOpened, documentShared, kinds } from '../events/document-events.js';
import { detailsOf, fileParts, keepOrDiscard } from '../files/file-intake.js';
import { documentMessage } from './document-messages.js';
import { CLINICAL_DOCUMENT, objectKeyOf, receiveInto, type DocumentHandlerDeps } from './handler-deps.js';

type Methods = (typeof DocumentsService)['method'];

export function clinicalDocumentHandlers(
  deps: DocumentHandlerDeps,
): Pick<ServiceHandlers<Methods>, 'shareDocument' | 'listDocuments' | 'openDocument'> {
  const { documents, objects, clock } = deps;
  const attempt = (action: string) => ({ action, resourceType: CLINICAL_DOCUMENT });

  return {
    async shareDocument(requests, ctx) {
      const action = 'documents.share';
      const { details, rest } = await detailsOf(requests);
      const caller = await authoriseStaffFor(ctx, details.patientId, attempt(action));
      const now = clock();
      // What staff entered is checked before a byte is read or stored.
      const entered = validateDocumentDetails(
        { kind: kinds.fromProto(details.kind), title: details.title, documentDate: details.documentDate, author: details.author },
        // A document dated today anywhere on Earth is accepted.
        latestDateAnywhere(now),
      );
      const clinicId = caller.principal.clinicId ?? '';
      const documentId = randomUUID();
      const objectKey = objectKeyOf(clinicId, caller.patientId, 'documents', documentId);
      const file = await receiveInto(deps, ctx, rest, details.file, objectKey, [PDF]);
      const document: ClinicalDocument = {
        documentId,
        patientId: caller.patientId,
        clinicId,
        ...entered,
        file,
        sharedBy: caller.principal.subject,
        sharedAt: now,
        openedAt: null,
        version: 1,
      };
      const events = [documentShared(caller, document), auditEvent(caller, { ...attempt(action), resourceId: documentId })];
      await keepOrDiscard(objects, objectKey, () => documents.add(document, events));
      return { document: documentMessage(document) };
    },

    async listDocuments(request, ctx) {
      const action = 'documents.list';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const page = pageOf(request.page);
      const found = await documents.list(patientScope(caller), page);
      await auditRead(ctx, caller, attempt(action));
      return { documents: found.map(documentMessage), page: { nextPageToken: nextPageToken(page, found.length) } };
    },

    async *openDocument(request, ctx) {
      const action = 'documents.open';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const document = await documents.find(patientScope(caller), requireUuid(request.documentId, 'document_id'));
      if (!document) throw new NotFound('document not found');
      const audit = auditEvent(caller, { ...attempt(action), resourceId: document.documentId });
      // The patient's (or a guardian's) first open is what staff look for; staff reading it are not.
      if (caller.actingAs !== 'staff' && !document.openedAt) {
        const now = clock();
        await documents.replace(document, opened(document, now), [documentOpened(caller, document, now), audit]);
      } else await ctx.access.audit.record([audit]);
      yield* fileParts(objects, document.file);
    },
  };
}
