// The versioned repository every service's store builds on. One document per aggregate, with a
// version number that grows by one with every change; a change and the events it publishes are
// one single-document write (the outbox, DESIGN rule 3), made one at a time per document (the
// write lock FerretDB needs) and guarded by the version read, so two writers never both win.
import type { Connection, Model } from 'mongoose';
import { VersionConflict } from '../domain/index.js';
import { recordStandaloneEvents, STANDALONE_OUTBOX, type OutboxEntry } from '../eventing/outbox.js';
import { withDocumentLock } from '../mongo/document-locks.js';
import { withdrawnCountryCodes } from '../vocabulary/index.js';
import { groupCommit } from './group-commit.js';

/** Where events wait to be published, and how the relay learns there is something new. */
export interface Outbox {
  /** Queues events that report no document change of their own (the audit of a read). */
  record(events: OutboxEntry[]): Promise<void>;
  /**
   * Tells the relay to look now rather than at its next idle tick: at `collection` only, where the
   * events were just written (every outbox when not named).
   */
  nudge(collection?: string): void;
}

/**
 * An outbox over the connection's standalone outbox collection and a relay to nudge. Events
 * recorded while a write is in flight share the next one (group commit): each caller still waits
 * until its events are stored, but concurrent reads cost one write per round, not one each. With
 * `publishDirect` (the relay's), a round is first offered to Kafka itself, and only what Kafka did
 * not acknowledge is inserted into the outbox (decision 8): either way it is kept before the
 * caller answers.
 */
export function outboxOf(
  connection: Connection,
  nudge: (collection?: string) => void,
  publishDirect?: (events: OutboxEntry[]) => Promise<void>,
): Outbox {
  const record = groupCommit<OutboxEntry>(async (events) => {
    if (publishDirect) {
      try {
        await publishDirect(events);
        return;
      } catch {
        // Kafka did not acknowledge (down, slow, or recently so): the outbox keeps them instead.
      }
    }
    await recordStandaloneEvents(connection, events);
    nudge(STANDALONE_OUTBOX);
  });
  return { record, nudge };
}

export { groupCommit, type GroupCommitOptions } from './group-commit.js';

/** What a repository is built from: the service's database and its outbox. */
export interface Store {
  connection: Connection;
  outbox: Outbox;
}

export const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;

/**
 * Runs an upsert by _id the way MongoDB retries one itself: the MongoDB-compatible server refuses
 * all but one of several concurrent upserts of a new _id with a duplicate key, so the refused one
 * writes again, onto the document that now exists.
 */
export async function upsertRetried<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return upsert();
  }
}

export interface VersionedDocument {
  _id: string;
  version: number;
}

/**
 * `E` is the domain's entity (with its version), `D` the stored document. Subclasses say how one
 * becomes the other; reads and writes are shared.
 */
export abstract class VersionedRepository<E extends { version: number }, D extends VersionedDocument> {
  protected readonly store: Store;
  protected readonly model: Model<D>;

  constructor(
    store: Store,
    model: Model<D>,
    /** The entity in the clinic's words, for conflicts: `contact`, `invitation`. */
    protected readonly what: string,
  ) {
    this.store = store;
    this.model = model;
  }

  protected abstract idOf(entity: E): string;
  protected abstract toEntity(document: D): E;
  /** The stored fields of `entity`, without _id and outbox. */
  protected abstract fieldsOf(entity: E): Partial<D>;
  /** The error a duplicate key raised by a change means (a unique index besides _id); rethrown as is unless overridden. */
  protected duplicateOnChange(error: unknown): Error {
    return error as Error;
  }

  async init(): Promise<this> {
    await this.model.createIndexes();
    return this;
  }

  /**
   * Stored data from before country codes were checked against ISO 3166-1: a withdrawn code at
   * `path` (a contact saved with "UK") becomes its successor ("GB"), and the document's version
   * rises so an edit of the old copy is refused. Runs at every start and finds nothing once done.
   */
  protected async replaceWithdrawnCountryCodes(path: string): Promise<number> {
    let changed = 0;
    const successors = withdrawnCountryCodes();
    // One query at start to find whether any is stored at all; an update only for those that are.
    const stored = (await this.model.distinct(path, { [path]: { $in: [...successors.keys()] } } as never)) as string[];
    for (const withdrawn of stored) {
      const current = successors.get(withdrawn)!;
      const result = await this.model.updateMany(
        { [path]: withdrawn } as never,
        { $set: { [path]: current }, $inc: { version: 1 } } as never,
      );
      changed += result.modifiedCount;
    }
    return changed;
  }

  protected get collectionName(): string {
    return this.model.collection.collectionName;
  }

  /** One entity, without its pending events. */
  protected async findOne(filter: Record<string, unknown>): Promise<E | undefined> {
    const document = await this.model.findOne(filter as never, { outbox: 0 }).lean<D>();
    return document ? this.toEntity(document) : undefined;
  }

  /** Entities in the order and page asked for, without their pending events. */
  protected async findMany(
    filter: Record<string, unknown>,
    options: { sort: Record<string, 1 | -1>; offset?: number; limit?: number },
  ): Promise<E[]> {
    let query = this.model.find(filter as never, { outbox: 0 }).sort(options.sort);
    if (options.offset) query = query.skip(options.offset);
    if (options.limit) query = query.limit(options.limit);
    return (await query.lean<D[]>()).map((d) => this.toEntity(d));
  }

  /**
   * Inserts the entity with its events. False when a unique key already holds a document (a
   * retried request, or another writer first): nothing is written then.
   */
  protected async tryInsert(entity: E, events: OutboxEntry[], extra: Record<string, unknown> = {}): Promise<boolean> {
    try {
      await this.model.create({ _id: this.idOf(entity), ...this.fieldsOf(entity), ...extra, outbox: events } as never);
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    if (events.length) this.store.outbox.nudge(this.collectionName);
    return true;
  }

  /** Writes `next` if `current` is still what is stored; version 0 means nothing is stored yet. */
  async save(current: E, next: E, events: OutboxEntry[]): Promise<E> {
    if (current.version > 0) return this.replace(current, next, events);
    if (!(await this.tryInsert(next, events))) throw new VersionConflict(this.what);
    return next;
  }

  /** Writes a change made to `current` if nobody changed it since it was read (VersionConflict otherwise). */
  async replace(current: E, next: E, events: OutboxEntry[], filter: Record<string, unknown> = {}): Promise<E> {
    const id = this.idOf(current);
    let document: D | null;
    try {
      document = await withDocumentLock(this.collectionName, id, () =>
        this.model
          .findOneAndUpdate(
            { ...filter, _id: id, version: current.version } as never,
            { $set: this.fieldsOf(next), $push: { outbox: { $each: events } } } as never,
            // No projection: FerretDB's findAndModify does not support one.
            { returnDocument: 'after' },
          )
          .lean<D>()
          .exec(),
      );
    } catch (error) {
      if (isDuplicateKey(error)) throw this.duplicateOnChange(error);
      throw error;
    }
    if (!document) throw new VersionConflict(this.what);
    if (events.length) this.store.outbox.nudge(this.collectionName);
    return this.toEntity(document);
  }

  /**
   * Bookkeeping that changes no state another writer relies on, so no version step (still one
   * writer at a time). True when a document matched.
   */
  protected async touch(id: string, filter: Record<string, unknown>, set: Record<string, unknown>): Promise<boolean> {
    const result = await withDocumentLock(this.collectionName, id, () =>
      this.model.updateOne({ ...filter, _id: id } as never, { $set: set } as never).exec(),
    );
    return result.matchedCount > 0;
  }
}
