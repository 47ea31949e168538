// Reads and writes clinical documents, resources and uploads. A new one is stored with its events
// in one insert; a change (opened, filed) is one versioned update with its events (kit store).
import type { OutboxEntry } from '@portico/kit/eventing';
import type { Page } from '@portico/kit/paging';
import { VersionedRepository, type Store, type VersionedDocument } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { ClinicalDocument, Resource, Upload, UploadStatus } from '../domain/documents.js';
import { documentModel, resourceModel, uploadModel } from './models.js';

/** Restricts a query to one clinic when staff ask (patients and guardians are limited by patient id). */
export type Scope = { patientId: string; clinicId?: string };
const filterOf = (scope: Scope) => ({ patientId: scope.patientId, ...(scope.clinicId !== undefined ? { clinicId: scope.clinicId } : {}) });

/** The stored document without its bookkeeping (_id, outbox), under the entity's id field. */
function entityOf<E>(idField: string, document: VersionedDocument): E {
  const {
    _id,
    outbox: _outbox,
    outboxPending: _pending,
    ...fields
  } = document as VersionedDocument & { outbox?: unknown; outboxPending?: unknown };
  return { [idField]: _id, ...fields } as E;
}

function withoutId<E extends object>(entity: E, idField: keyof E) {
  const { [idField]: _id, ...fields } = entity;
  return fields;
}

type Doc<E> = E & VersionedDocument;

/** The shared part: an entity kept under its own id field, added once with its events. */
abstract class EntityRepository<E extends { version: number }> extends VersionedRepository<E, Doc<E>> {
  constructor(
    store: Store,
    model: Model<Doc<E>>,
    what: string,
    private readonly idField: keyof E & string,
  ) {
    super(store, model, what);
  }
  protected idOf(entity: E) {
    return entity[this.idField] as string;
  }
  protected toEntity(document: Doc<E>) {
    return entityOf<E>(this.idField, document);
  }
  protected fieldsOf(entity: E) {
    return withoutId(entity, this.idField) as never;
  }
  async add(entity: E, events: OutboxEntry[]): Promise<void> {
    if (!(await this.tryInsert(entity, events))) throw new Error(`a ${this.what} with this id exists already`);
  }
}

export class DocumentRepository extends EntityRepository<ClinicalDocument> {
  constructor(store: Store) {
    super(store, documentModel(store.connection) as unknown as Model<Doc<ClinicalDocument>>, 'document', 'documentId');
  }
  find(scope: Scope, documentId: string) {
    return this.findOne({ ...filterOf(scope), _id: documentId });
  }
  list(scope: Scope, page: Page) {
    return this.findMany(filterOf(scope), { sort: { sharedAt: -1, _id: -1 }, offset: page.offset, limit: page.limit });
  }
}

export class ResourceRepository extends EntityRepository<Resource> {
  constructor(store: Store) {
    super(store, resourceModel(store.connection) as unknown as Model<Doc<Resource>>, 'resource', 'resourceId');
  }
  /** What the patient sees: shared with them, or with every patient of their clinic. */
  private visibleTo(patientId: string, clinicId: string) {
    return { $or: [{ patientId }, { clinicId, audience: 'clinic' }] };
  }
  find(patientId: string, clinicId: string, resourceId: string) {
    return this.findOne({ ...this.visibleTo(patientId, clinicId), _id: resourceId });
  }
  list(patientId: string, clinicId: string, page: Page) {
    return this.findMany(this.visibleTo(patientId, clinicId), { sort: { sharedAt: -1, _id: -1 }, offset: page.offset, limit: page.limit });
  }
}

export class UploadRepository extends EntityRepository<Upload> {
  constructor(store: Store) {
    super(store, uploadModel(store.connection) as unknown as Model<Doc<Upload>>, 'upload', 'uploadId');
  }
  find(scope: Scope, uploadId: string) {
    return this.findOne({ ...filterOf(scope), _id: uploadId });
  }
  list(scope: Scope, page: Page) {
    return this.findMany(filterOf(scope), { sort: { uploadedAt: -1, _id: -1 }, offset: page.offset, limit: page.limit });
  }
  forClinic(clinicId: string, status: UploadStatus | undefined, page: Page) {
    return this.findMany(
      { clinicId, ...(status ? { status } : {}) },
      { sort: { uploadedAt: -1, _id: -1 }, offset: page.offset, limit: page.limit },
    );
  }
}
