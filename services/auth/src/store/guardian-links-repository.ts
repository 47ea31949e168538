// Reads and writes guardians' links, one atomic single-document write per change with its events.
import type { OutboxEntry } from '@portico/kit/eventing';
import { withDocumentLock, type Connection } from '@portico/kit/mongo';
import type { Model } from 'mongoose';
import type { GuardianLinks } from '../domain/guardian-links.js';
import { guardianLinksModel, type GuardianLinksDocument } from './guardian-links-model.js';
import { VersionConflict } from './organisation-repository.js';

const toLinks = ({ _id, clinicId, patientIds, updatedAt, version }: GuardianLinksDocument): GuardianLinks => ({
  guardianId: _id,
  clinicId,
  patientIds,
  updatedAt,
  version,
});

export class GuardianLinksRepository {
  private readonly links: Model<GuardianLinksDocument>;

  constructor(connection: Connection) {
    this.links = guardianLinksModel(connection) as Model<GuardianLinksDocument>;
  }

  async init(): Promise<void> {
    await this.links.createIndexes();
  }

  async find(guardianId: string): Promise<GuardianLinks | undefined> {
    const document = await this.links.findOne({ _id: guardianId }, { outbox: 0 }).lean<GuardianLinksDocument>();
    return document ? toLinks(document) : undefined;
  }

  /** Writes `next` if `current` is still what is stored (version 0: nothing stored yet). */
  async save(current: GuardianLinks, next: GuardianLinks, events: OutboxEntry[]): Promise<GuardianLinks> {
    const fields = { clinicId: next.clinicId, patientIds: next.patientIds, updatedAt: next.updatedAt, version: next.version };
    if (current.version === 0) {
      try {
        await this.links.create({ _id: next.guardianId, ...fields, outbox: events });
        return next;
      } catch (error) {
        if ((error as { code?: number }).code === 11000) throw new VersionConflict('guardian');
        throw error;
      }
    }
    const document = await withDocumentLock(this.links.collection.collectionName, current.guardianId, () =>
      this.links
        .findOneAndUpdate(
          { _id: current.guardianId, version: current.version },
          { $set: fields, $push: { outbox: { $each: events } } },
          // No projection: FerretDB's findAndModify does not support one.
          { returnDocument: 'after' },
        )
        .lean<GuardianLinksDocument>()
        .exec(),
    );
    if (!document) throw new VersionConflict('guardian');
    return toLinks(document);
  }
}
