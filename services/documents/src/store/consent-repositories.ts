// Reads and writes consents (each one insert or one versioned update with its events), and the
// record of who accepted which version of the electronic-records disclosure.
import { upsertRetried, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { Consent } from '../domain/consents.js';
import { consentModel, DISCLOSURE_ACCEPTANCES_COLLECTION } from './consent-models.js';
import { EntityRepository, filterOf, type Doc, type Scope } from './repositories.js';

export class ConsentRepository extends EntityRepository<Consent> {
  constructor(store: Store) {
    super(store, consentModel(store.connection) as unknown as Model<Doc<Consent>>, 'consent', 'consentId');
  }
  find(scope: Scope, consentId: string) {
    return this.findIn(scope, consentId);
  }
  /** All of the patient's consents, newest first (a patient has tens, not thousands). */
  list(scope: Scope) {
    return this.findMany(filterOf(scope), { sort: { assignedAt: -1, _id: -1 }, limit: 500 });
  }
  /** The consent whose signed PDF has this SHA-256, in the clinic. */
  bySignedPdf(clinicId: string, sha256: string) {
    return this.findOne({ clinicId, 'signedPdf.sha256': sha256 });
  }
}

export interface DisclosureAcceptance {
  userId: string;
  version: string;
  acceptedAt: Date;
  sourceIp: string;
  userAgent: string;
}

/** One document per signer and disclosure version: accepting again keeps the first acceptance. */
export class DisclosureAcceptances {
  constructor(private readonly store: Store) {}
  private get collection() {
    return this.store.connection.collection<DisclosureAcceptance & { _id: string }>(DISCLOSURE_ACCEPTANCES_COLLECTION);
  }
  async init(): Promise<this> {
    await this.collection.createIndex({ userId: 1, version: 1 });
    return this;
  }
  async find(userId: string, version: string): Promise<DisclosureAcceptance | undefined> {
    const found = await this.collection.findOne({ _id: `${userId}:${version}` });
    if (!found) return undefined;
    const { _id, ...acceptance } = found;
    return acceptance;
  }
  async accept(acceptance: DisclosureAcceptance): Promise<DisclosureAcceptance> {
    const { userId, version } = acceptance;
    await upsertRetried(() => this.collection.updateOne({ _id: `${userId}:${version}` }, { $setOnInsert: acceptance }, { upsert: true }));
    return (await this.find(userId, version))!;
  }
}
