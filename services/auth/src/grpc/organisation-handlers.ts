// The organisation profile, logo and handbook (seed step 3): any user of the clinic reads them,
// staff change them. A change and its events are one single-document write; an uploaded file is
// stored first under a new key, so a failed or lost write never leaves a profile pointing nowhere.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { UpdateOrganisationRequest } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { staffAudit } from '@portico/kit/audit';
import { NotFound, StaleVersion, type Clock } from '@portico/kit/domain';
import type { Logger } from '@portico/kit/logging';
import { ObjectNotFoundError, type ObjectStore } from '@portico/kit/objects';
import { authoriseStaff, type RequestContext, type StaffCaller } from '@portico/kit/requests';
import {
  changedProfileFields,
  newOrganisation,
  validateOrganisationProfile,
  type Organisation,
  type StoredFile,
} from '../domain/organisation.js';
import { objectKeyFor, validateUpload, type UploadKind } from '../domain/uploads.js';
import { organisationUpdated } from '../events/auth-events.js';
import type { OrganisationRepository } from '../store/organisation-repository.js';
import { organisationMessage, organisationSubmissionOf, refuseUnknownFields, storedFileMessage } from './auth-messages.js';
import { authenticateClinicMember } from './callers.js';

export interface OrganisationHandlerDeps {
  organisations: OrganisationRepository;
  objects: ObjectStore;
  clock: Clock;
  logger: Logger;
}

const ORGANISATION = 'organisation';
const staff = (ctx: RequestContext, action: string) => authoriseStaff(ctx, { action, resourceType: ORGANISATION });
/** Small enough to keep a slow reader from holding much memory, big enough to be few messages. */
export const CHUNK_BYTES = 64 * 1024;

export function organisationHandlers(deps: OrganisationHandlerDeps) {
  const { organisations, objects } = deps;

  async function organisationOf(clinicId: string): Promise<Organisation> {
    return (await organisations.find(clinicId)) ?? newOrganisation(clinicId, deps.clock());
  }

  function save(caller: StaffCaller, current: Organisation, next: Organisation, changed: string[], action: string) {
    return organisations.save(current, next, [
      organisationUpdated({ principal: caller.principal, role: 'staff' }, next, changed),
      staffAudit(caller, { action, resourceType: ORGANISATION, resourceId: caller.clinicId }),
    ]);
  }

  async function upload(kind: UploadKind, request: { content: Uint8Array; contentType: string; fileName?: string }, ctx: RequestContext) {
    const action = `organisation.upload_${kind}`;
    const caller = await staff(ctx, action);
    const file = validateUpload(kind, {
      content: Buffer.from(request.content.buffer, request.content.byteOffset, request.content.byteLength),
      contentType: request.contentType,
      fileName: request.fileName ?? '',
    });
    const current = await organisationOf(caller.clinicId);
    const now = deps.clock();
    const stored: StoredFile = {
      objectKey: objectKeyFor(caller.clinicId, kind, randomUUID(), file.contentType),
      contentType: file.contentType,
      sizeBytes: file.content.length,
      fileName: file.fileName,
      uploadedAt: now,
    };
    await objects.put(stored.objectKey, file.content, stored.contentType);
    const next: Organisation = { ...current, [kind]: stored, updatedAt: now, version: current.version + 1 };
    let saved;
    try {
      saved = await save(caller, current, next, [kind], action);
    } catch (error) {
      await objects.remove(stored.objectKey).catch(() => {});
      throw error;
    }
    // The previous file is no longer referenced; a failure here leaves an orphan, never a gap.
    const previous = current[kind];
    if (previous)
      await objects
        .remove(previous.objectKey)
        .catch((e: Error) => deps.logger.warn({ err: { name: e.name }, kind }, 'previous file not removed'));
    return { organisation: organisationMessage(saved) };
  }

  /** The stored file's description, then its bytes in order, in chunks of at most CHUNK_BYTES. */
  async function* download(kind: UploadKind, ctx: RequestContext) {
    const member = await authenticateClinicMember(ctx);
    const file = (await organisations.find(member.clinicId))?.[kind];
    if (!file) throw new NotFound(`the clinic has no ${kind}`);
    let stream: Readable;
    try {
      stream = await objects.read(file.objectKey);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw new NotFound(`the clinic has no ${kind}`);
      throw error;
    }
    const abort = () => stream.destroy();
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      yield { part: { case: 'file' as const, value: storedFileMessage(file) } };
      for await (const piece of stream) {
        const bytes = piece as Buffer;
        for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES)
          yield { part: { case: 'chunk' as const, value: bytes.subarray(offset, offset + CHUNK_BYTES) } };
      }
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      stream.destroy();
    }
  }

  return {
    async getOrganisation(_request: unknown, ctx: RequestContext) {
      const member = await authenticateClinicMember(ctx);
      const organisation = await organisations.find(member.clinicId);
      if (!organisation) throw new NotFound('the clinic has no organisation profile yet');
      return { organisation: organisationMessage(organisation) };
    },

    async updateOrganisation(request: UpdateOrganisationRequest, ctx: RequestContext) {
      const caller = await staff(ctx, 'organisation.update');
      refuseUnknownFields(request, 'organisation');
      const profile = validateOrganisationProfile(organisationSubmissionOf(request.profile));
      const current = await organisationOf(caller.clinicId);
      if (request.expectedVersion !== 0n && BigInt(current.version) !== request.expectedVersion) throw new StaleVersion(ORGANISATION);
      const changed = changedProfileFields(current.profile, profile);
      if (changed.length === 0 && current.version > 0) return { organisation: organisationMessage(current) };
      const next: Organisation = { ...current, profile, updatedAt: deps.clock(), version: current.version + 1 };
      return { organisation: organisationMessage(await save(caller, current, next, changed, 'organisation.update')) };
    },

    uploadLogo: (request: { content: Uint8Array; contentType: string }, ctx: RequestContext) => upload('logo', request, ctx),
    uploadHandbook: (request: { content: Uint8Array; contentType: string; fileName: string }, ctx: RequestContext) =>
      upload('handbook', request, ctx),
    /** No logo any more: the profile first, then its file (a failure there leaves an orphan, never a gap). */
    async removeLogo(_request: unknown, ctx: RequestContext) {
      const action = 'organisation.remove_logo';
      const caller = await staff(ctx, action);
      const current = await organisationOf(caller.clinicId);
      const previous = current.logo;
      if (!previous) return { organisation: organisationMessage(current) };
      const next: Organisation = { ...current, logo: undefined, updatedAt: deps.clock(), version: current.version + 1 };
      const saved = await save(caller, current, next, ['logo'], action);
      await objects
        .remove(previous.objectKey)
        .catch((e: Error) => deps.logger.warn({ err: { name: e.name }, kind: 'logo' }, 'removed logo file not deleted'));
      return { organisation: organisationMessage(saved) };
    },
    getLogo: (_request: unknown, ctx: RequestContext) => download('logo', ctx),
    getHandbook: (_request: unknown, ctx: RequestContext) => download('handbook', ctx),
  };
}
