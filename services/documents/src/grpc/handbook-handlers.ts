// The clinic's client handbook, now a document of kind handbook owned by this service: anyone of
// the clinic reads it (Home's card, the organisation's handbook link), staff share a new one. The
// handbook the auth service kept before is carried over the first time a clinic's handbook is
// asked for — streamed from the auth service with the caller's own token into this service's
// bucket — once per clinic (HandbookMigrations), and never over one staff shared here since.
import { createHash, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { status } from '@grpc/grpc-js';
import type { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import type { DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { NotFound } from '@portico/kit/domain';
import { callerMetadata, type ServiceClient, type ServiceHandlers } from '@portico/kit/grpc';
import { authenticate, authoriseStaff, type RequestContext } from '@portico/kit/requests';
import { handbookIdOf, type ClinicalDocument } from '../domain/documents.js';
import { PDF, sanitiseFileName } from '../domain/files.js';
import { descriptionOf, detailsOf, fileParts, keepOrDiscard } from '../files/file-intake.js';
import type { HandbookMigrations } from '../store/repositories.js';
import { objectKeyOf, receiveInto, type DocumentHandlerDeps } from './handler-deps.js';

type Methods = (typeof DocumentsService)['method'];
export type AuthClient = ServiceClient<(typeof AuthService)['method']>;

const HANDBOOK_TITLE = 'Client handbook';

export function handbookHandlers(
  deps: DocumentHandlerDeps & { auth: AuthClient; migrations: HandbookMigrations },
): Pick<ServiceHandlers<Methods>, 'getHandbook' | 'describeHandbook' | 'shareHandbook' | 'removeHandbook'> {
  const { documents, objects, clock, auth, migrations } = deps;

  const handbook = (clinicId: string, file: ClinicalDocument['file'], at: Date, by: string): ClinicalDocument => ({
    documentId: handbookIdOf(clinicId),
    patientId: '',
    clinicId,
    kind: 'handbook',
    title: HANDBOOK_TITLE,
    documentDate: at.toISOString().slice(0, 10),
    author: '',
    file,
    sharedBy: by,
    sharedAt: at,
    openedAt: null,
    version: 1,
  });

  /** Streams the auth service's handbook of the clinic into the bucket; undefined when it has none. */
  async function carryOver(ctx: RequestContext, clinicId: string): Promise<ClinicalDocument | undefined> {
    const parts = auth.getHandbook({}, { metadata: callerMetadata(ctx.metadata), deadline: new Date(Date.now() + 5 * 60_000) });
    const iterator = parts[Symbol.asyncIterator]();
    let first;
    try {
      first = await iterator.next();
    } catch (error) {
      if ((error as { code?: number }).code !== status.NOT_FOUND) throw error;
      await migrations.record(clinicId, 'none_there', clock());
      return undefined;
    }
    if (first.done || first.value.part.case !== 'file') throw new Error('the auth service sent a handbook without its description');
    const kept = first.value.part.value;
    const objectKey = objectKeyOf(clinicId, '', 'documents', `handbook-${randomUUID()}`);
    const digest = createHash('sha256');
    const body = new PassThrough();
    const pump = (async () => {
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        if (next.value.part.case === 'chunk') {
          digest.update(next.value.part.value);
          if (!body.write(next.value.part.value)) await new Promise((resolve) => body.once('drain', resolve));
        }
      body.end();
    })();
    pump.catch((error: unknown) => body.destroy(error as Error));
    await objects.putStream(objectKey, body, Number(kept.sizeBytes), PDF);
    await pump;
    const at = kept.uploadedAt ? timestampDate(kept.uploadedAt) : clock();
    const file = {
      objectKey,
      fileName: sanitiseFileName(kept.fileName || 'client-handbook.pdf', PDF),
      contentType: PDF,
      sizeBytes: Number(kept.sizeBytes),
      sha256: digest.digest('hex'),
    };
    const added = await keepOrDiscard(objects, objectKey, () => documents.tryAddHandbook(handbook(clinicId, file, at, 'carried over')));
    // Another request carried it over at the same moment: theirs is kept, ours removed.
    if (!added) await objects.remove(objectKey);
    await migrations.record(clinicId, 'carried_over', clock());
    return documents.handbookOf(clinicId);
  }

  /** The clinic's handbook, carried over from the auth service the first time it is asked for. */
  async function currentHandbook(ctx: RequestContext): Promise<ClinicalDocument | undefined> {
    const clinicId = (await authenticate(ctx)).clinicId ?? '';
    if (!clinicId) return undefined;
    const found = await documents.handbookOf(clinicId);
    if (found || (await migrations.done(clinicId))) return found;
    return carryOver(ctx, clinicId);
  }

  return {
    async *getHandbook(_request, ctx) {
      const found = await currentHandbook(ctx);
      if (!found) throw new NotFound('the clinic has no handbook');
      yield* fileParts(objects, found.file);
    },

    async describeHandbook(_request, ctx) {
      const found = await currentHandbook(ctx);
      return found ? { file: descriptionOf(found.file), sharedAt: timestampFromDate(found.sharedAt) } : {};
    },

    async shareHandbook(requests, ctx) {
      const { details, rest } = await detailsOf(requests);
      const caller = await authoriseStaff(ctx, { action: 'handbook.share', resourceType: 'handbook' });
      const objectKey = objectKeyOf(caller.clinicId, '', 'documents', `handbook-${randomUUID()}`);
      const file = await receiveInto(deps, ctx, rest, details, objectKey, [PDF]);
      const now = clock();
      // From now on the clinic's handbook is the one shared here: nothing is carried over after.
      await migrations.record(caller.clinicId, 'shared_here', now);
      const next = handbook(caller.clinicId, file, now, caller.principal.subject);
      const before = await documents.handbookOf(caller.clinicId);
      await keepOrDiscard(objects, objectKey, async () => {
        if (!before) {
          if (await documents.tryAddHandbook(next)) return;
          throw new Error('another handbook was shared at the same moment; share it again');
        }
        await documents.replace(before, { ...next, version: before.version + 1 }, []);
      });
      if (before) await objects.remove(before.file.objectKey);
      return { file: descriptionOf(file), sharedAt: timestampFromDate(now) };
    },

    async removeHandbook(_request, ctx) {
      const caller = await authoriseStaff(ctx, { action: 'handbook.remove', resourceType: 'handbook' });
      // Removed means gone for good: the auth service's old handbook must not come back in its place.
      await migrations.record(caller.clinicId, 'shared_here', clock());
      const before = await documents.handbookOf(caller.clinicId);
      if (!before) return { removed: false };
      await documents.removeHandbook(before);
      // The record goes first: a file left by a failed removal is unreachable, never a record without its file.
      await objects.remove(before.file.objectKey);
      return { removed: true };
    },
  };
}
