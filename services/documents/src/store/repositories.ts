// Reads and writes clinical documents, resources and uploads. A new one is stored with its events
// in one insert; a change (opened, filed) is one versioned update with its events (kit store).
import { VersionConflict } from '@portico/kit/domain';
import type { OutboxEntry } from '@portico/kit/eventing';
import type { Page } from '@portico/kit/paging';
import { upsertRetried, VersionedRepository, type Store, type VersionedDocument } from '@portico/kit/store';
import type { Model } from 'mongoose';
import { handbookIdOf, type ClinicalDocument, type Resource, type Upload, type UploadStatus } from '../domain/documents.js';
import type { Instrument, Screening } from '../domain/screenings.js';
import { documentModel, resourceModel, screeningModel, uploadModel } from './models.js';

/** Restricts a query to one clinic when staff ask (patients and guardians are limited by patient id). */
export type Scope = { patientId: string; clinicId?: string };
export const filterOf = (scope: Scope) => ({
  patientId: scope.patientId,
  ...(scope.clinicId !== undefined ? { clinicId: scope.clinicId } : {}),
});

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

export type Doc<E> = E & VersionedDocument;

/** The shared part: an entity kept under its own id field, added once with its events. */
export abstract class EntityRepository<E extends { version: number }> extends VersionedRepository<E, Doc<E>> {
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
  /** One of the patient's, within the clinic when staff ask. */
  protected findIn(scope: Scope, id: string) {
    return this.findOne({ ...filterOf(scope), _id: id });
  }
  /** The patient's, newest first by `field`, paged. */
  protected listIn(scope: Scope, page: Page, field: string) {
    return this.findMany(filterOf(scope), { sort: { [field]: -1, _id: -1 }, offset: page.offset, limit: page.limit });
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
    return this.findIn(scope, documentId);
  }
  list(scope: Scope, page: Page) {
    return this.listIn(scope, page, 'sharedAt');
  }
  /** The clinic's handbook, if it has one. */
  handbookOf(clinicId: string) {
    return this.findOne({ _id: handbookIdOf(clinicId), clinicId, kind: 'handbook' });
  }
  /** Stores a handbook that is the clinic's first; false when the clinic has one already. */
  tryAddHandbook(handbook: ClinicalDocument): Promise<boolean> {
    return this.tryInsert(handbook, []);
  }
  /** Deletes the handbook read as `current` (a handbook has no events to lose); VersionConflict if it changed since. */
  async removeHandbook(current: ClinicalDocument): Promise<void> {
    const { deletedCount } = await this.model
      .deleteOne({ _id: handbookIdOf(current.clinicId), clinicId: current.clinicId, kind: 'handbook', version: current.version } as never)
      .exec();
    if (deletedCount === 0) throw new VersionConflict('handbook');
  }
}

/**
 * Which clinics' handbooks were carried over from the auth service (or found to have none there):
 * the carrying over runs once per clinic, and never after staff shared a handbook here.
 */
export class HandbookMigrations {
  constructor(private readonly store: Store) {}
  private get collection() {
    return this.store.connection.collection<{ _id: string; outcome: string; at: Date }>('handbook_migrations');
  }
  async done(clinicId: string): Promise<boolean> {
    return (await this.collection.countDocuments({ _id: clinicId })) > 0;
  }
  /** Records the outcome once; a second record of the same clinic changes nothing. */
  async record(clinicId: string, outcome: 'carried_over' | 'none_there' | 'shared_here', at: Date): Promise<void> {
    await upsertRetried(() => this.collection.updateOne({ _id: clinicId }, { $setOnInsert: { outcome, at } }, { upsert: true }));
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
    return this.findIn(scope, uploadId);
  }
  list(scope: Scope, page: Page) {
    return this.listIn(scope, page, 'uploadedAt');
  }
  forClinic(clinicId: string, status: UploadStatus | undefined, page: Page) {
    return this.findMany(
      { clinicId, ...(status ? { status } : {}) },
      { sort: { uploadedAt: -1, _id: -1 }, offset: page.offset, limit: page.limit },
    );
  }
}

export class ScreeningRepository extends EntityRepository<Screening> {
  constructor(store: Store) {
    super(store, screeningModel(store.connection) as unknown as Model<Doc<Screening>>, 'screening', 'screeningId');
  }
  find(scope: Scope, screeningId: string) {
    return this.findIn(scope, screeningId);
  }
  list(scope: Scope, page: Page) {
    return this.listIn(scope, page, 'assignedAt');
  }
  /** The patient's completed screenings of one instrument up to `until`, oldest first: the trend. */
  completedUntil(scope: Scope, instrument: Instrument, until: Date) {
    return this.findMany(
      { ...filterOf(scope), instrument, 'result.completedAt': { $lte: until } },
      { sort: { 'result.completedAt': 1, _id: 1 }, offset: 0, limit: 100 },
    );
  }
}
