// Reads and writes organisations. A write changes the one document of the clinic and appends its
// events in the same atomic operation; concurrent writers are told apart by the version number.
import type { OutboxEntry } from '@portico/kit/eventing';
import { withDocumentLock, type Connection } from '@portico/kit/mongo';
import type { Model } from 'mongoose';
import type { Organisation } from '../domain/organisation.js';
import { organisationModel, type OrganisationDocument } from './organisation-model.js';

export class VersionConflict extends Error {
  constructor(what: string) {
    super(`the ${what} was changed by someone else`);
    this.name = 'VersionConflict';
  }
}

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

function toOrganisation(document: OrganisationDocument): Organisation {
  const { _id, profile, logo, handbook, updatedAt, version } = document;
  return { clinicId: _id, profile, logo: logo ?? undefined, handbook: handbook ?? undefined, updatedAt, version };
}

export class OrganisationRepository {
  private readonly organisations: Model<OrganisationDocument>;

  constructor(connection: Connection) {
    this.organisations = organisationModel(connection) as Model<OrganisationDocument>;
  }

  async init(): Promise<void> {
    await this.organisations.createIndexes();
  }

  async find(clinicId: string): Promise<Organisation | undefined> {
    const document = await this.organisations.findOne({ _id: clinicId }, { outbox: 0 }).lean<OrganisationDocument>();
    return document ? toOrganisation(document) : undefined;
  }

  /** Writes `next` if `current` is still what is stored (version 0: nothing stored yet). */
  async save(current: Organisation, next: Organisation, events: OutboxEntry[]): Promise<Organisation> {
    const fields = {
      profile: next.profile,
      logo: next.logo ?? null,
      handbook: next.handbook ?? null,
      updatedAt: next.updatedAt,
      version: next.version,
    };
    if (current.version === 0) {
      try {
        await this.organisations.create({ _id: next.clinicId, ...fields, outbox: events });
        return next;
      } catch (error) {
        if (isDuplicateKey(error)) throw new VersionConflict('organisation');
        throw error;
      }
    }
    const document = await withDocumentLock(this.organisations.collection.collectionName, current.clinicId, () =>
      this.organisations
        .findOneAndUpdate(
          { _id: current.clinicId, version: current.version },
          { $set: fields, $push: { outbox: { $each: events } } },
          // No projection: FerretDB's findAndModify does not support one.
          { returnDocument: 'after' },
        )
        .lean<OrganisationDocument>()
        .exec(),
    );
    if (!document) throw new VersionConflict('organisation');
    return toOrganisation(document);
  }
}
