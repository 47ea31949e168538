// Reads and writes guardians' links, one atomic single-document write per change with its events.
import { VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { GuardianLinks } from '../domain/guardian-links.js';
import { guardianLinksModel, type GuardianLinksDocument } from './guardian-links-model.js';

export class GuardianLinksRepository extends VersionedRepository<GuardianLinks, GuardianLinksDocument> {
  constructor(store: Store) {
    super(store, guardianLinksModel(store.connection) as Model<GuardianLinksDocument>, 'guardian');
  }

  protected idOf(links: GuardianLinks): string {
    return links.guardianId;
  }

  protected toEntity({ _id, clinicId, patientIds, updatedAt, version }: GuardianLinksDocument): GuardianLinks {
    return { guardianId: _id, clinicId, patientIds, updatedAt, version };
  }

  protected fieldsOf({ clinicId, patientIds, updatedAt, version }: GuardianLinks) {
    return { clinicId, patientIds, updatedAt, version };
  }

  find(guardianId: string): Promise<GuardianLinks | undefined> {
    return this.findOne({ _id: guardianId });
  }
}
