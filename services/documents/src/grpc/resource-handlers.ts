// Educational resources: staff share a file or a link with one patient of their clinic or with
// every patient of it; patients (and guardians, and staff) list and open what the patient sees.
import { randomUUID } from 'node:crypto';
import type { DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { auditEvent, staffAudit } from '@portico/kit/audit';
import { InvalidInput, NotAllowedNow, NotFound, requireUuid } from '@portico/kit/domain';
import type { OutboxEntry } from '@portico/kit/eventing';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import { auditRead, authorisePatient, authoriseStaff, authoriseStaffFor } from '@portico/kit/requests';
import { validateResourceDetails, type Resource } from '../domain/documents.js';
import { EVERY_ACCEPTED_TYPE } from '../domain/files.js';
import { audiences, resourceShared } from '../events/document-events.js';
import { detailsOf, fileParts, keepOrDiscard } from '../files/file-intake.js';
import { resourceMessage } from './document-messages.js';
import { clinicOfPatient, objectKeyOf, RESOURCE, receiveInto, type DocumentHandlerDeps } from './handler-deps.js';

type Methods = (typeof DocumentsService)['method'];

export function resourceHandlers(
  deps: DocumentHandlerDeps,
): Pick<ServiceHandlers<Methods>, 'shareResource' | 'listResources' | 'openResource'> {
  const { resources, objects, clock } = deps;
  const attempt = (action: string) => ({ action, resourceType: RESOURCE });

  return {
    async shareResource(requests, ctx) {
      const action = 'resources.share';
      const { details, rest } = await detailsOf(requests);
      const hasFile = (details.file?.sizeBytes ?? 0n) !== 0n || (details.file?.fileName ?? '') !== '';
      const audience = audiences.fromProto(details.audience);
      // Who may share decides before anything else is said about the request.
      const caller =
        audience === 'patient'
          ? await authoriseStaffFor(ctx, details.patientId, attempt(action))
          : await authoriseStaff(ctx, attempt(action));
      const entered = validateResourceDetails({
        audience: audience ?? ('' as never),
        patientId: details.patientId,
        title: details.title,
        description: details.description,
        linkUrl: details.linkUrl,
        hasFile,
      });
      const clinicId = caller.principal.clinicId ?? '';
      const patientId = entered.audience === 'patient' ? requireUuid(entered.patientId, 'patient_id') : '';
      const resourceId = randomUUID();
      const objectKey = objectKeyOf(clinicId, patientId, 'resources', resourceId);
      let file: Resource['file'] = null;
      if (hasFile) file = await receiveInto(deps, ctx, rest, details.file, objectKey, EVERY_ACCEPTED_TYPE);
      else if (!(await rest.next()).done) throw new InvalidInput('resource', [{ field: 'link_url', message: 'a link has no file bytes' }]);
      const resource: Resource = {
        resourceId,
        clinicId,
        audience: entered.audience,
        patientId,
        title: entered.title,
        description: entered.description,
        linkUrl: entered.linkUrl,
        file,
        sharedBy: caller.principal.subject,
        sharedAt: clock(),
        version: 1,
      };
      const audited = { ...attempt(action), resourceId };
      const audit: OutboxEntry = 'clinicId' in caller ? staffAudit(caller, audited) : auditEvent(caller, audited);
      const write = () => resources.add(resource, [resourceShared(caller, resource), audit]);
      if (file) await keepOrDiscard(objects, objectKey, write);
      else await write();
      return { resource: resourceMessage(resource) };
    },

    async listResources(request, ctx) {
      const action = 'resources.list';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const page = pageOf(request.page);
      const found = await resources.list(caller.patientId, await clinicOfPatient(ctx, caller), page);
      await auditRead(ctx, caller, attempt(action));
      return { resources: found.map(resourceMessage), page: { nextPageToken: nextPageToken(page, found.length) } };
    },

    async *openResource(request, ctx) {
      const action = 'resources.open';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const resource = await resources.find(
        caller.patientId,
        await clinicOfPatient(ctx, caller),
        requireUuid(request.resourceId, 'resource_id'),
      );
      if (!resource) throw new NotFound('resource not found');
      if (!resource.file) throw new NotAllowedNow('this resource is a link: open its address');
      await auditRead(ctx, caller, { ...attempt(action), resourceId: resource.resourceId });
      yield* fileParts(objects, resource.file);
    },
  };
}
