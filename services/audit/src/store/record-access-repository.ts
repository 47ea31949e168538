// The trail's only ways in and out: append an entry (once per event id), list a patient's
// history, and remove what is past the retention period. There is no update path.
import type { PatientDirectory, PatientRecord } from '@portico/kit/requests';
import { isDuplicateKey, type Store } from '@portico/kit/store';
import type { QueryFilter, Model } from 'mongoose';
import type { HistoryPage } from '../domain/history-page.js';
import { clinicShownBy, type AccessFilter, type RecordAccess } from '../domain/record-access.js';
import { patientClinicModel, recordAccessModel, type PatientClinicDocument, type RecordAccessDocument } from './record-access-model.js';

const EXPIRY_BATCH = 500;

const accessOf = ({ _id, ...fields }: RecordAccessDocument): RecordAccess => ({ eventId: _id, ...fields });

function queryOf(filter: AccessFilter): QueryFilter<RecordAccessDocument> {
  const occurredAt = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.before ? { $lt: filter.before } : {}) };
  return {
    patientId: filter.patientId,
    ...(Object.keys(occurredAt).length ? { occurredAt } : {}),
    ...(filter.actorSubject ? { 'actor.subject': filter.actorSubject } : {}),
    ...(filter.actorClinicId !== undefined ? { 'actor.clinicId': filter.actorClinicId } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
  };
}

export class RecordAccessRepository implements PatientDirectory {
  /** The trail learns patients only as they act: one it has not seen may well exist. */
  readonly complete = false;
  private readonly accesses: Model<RecordAccessDocument>;
  private readonly clinics: Model<PatientClinicDocument>;

  constructor(store: Store) {
    this.accesses = recordAccessModel(store.connection) as Model<RecordAccessDocument>;
    this.clinics = patientClinicModel(store.connection) as Model<PatientClinicDocument>;
  }

  async init(): Promise<this> {
    await Promise.all([this.accesses.init(), this.clinics.init()]);
    return this;
  }

  /** Keeps the entry; an event id already kept (a redelivery or a replay) changes nothing. */
  async append(access: RecordAccess): Promise<boolean> {
    const { eventId, ...fields } = access;
    let added = true;
    await this.accesses.collection.insertOne({ _id: eventId, ...fields } as never).catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
      added = false;
    });
    const clinicId = clinicShownBy(access);
    // Patients do not move clinic: the first clinic shown is kept.
    if (clinicId)
      await this.clinics.collection
        .insertOne({ _id: access.patientId, clinicId, learnedAt: access.keptAt } as never)
        .catch((error: unknown) => {
          if (!isDuplicateKey(error)) throw error;
        });
    return added;
  }

  /** The patient's history, newest first. */
  async list(filter: AccessFilter, page: HistoryPage): Promise<RecordAccess[]> {
    const { after } = page;
    // Older than the last entry shown, or as old and after it in id order (several at one instant).
    const older = after
      ? { $or: [{ occurredAt: { $lt: after.occurredAt } }, { occurredAt: after.occurredAt, _id: { $lt: after.eventId } }] }
      : {};
    const documents = await this.accesses
      .find({ ...queryOf(filter), ...older })
      .sort({ occurredAt: -1, _id: -1 })
      .limit(page.limit)
      .lean<RecordAccessDocument[]>();
    return documents.map(accessOf);
  }

  /** Removes one batch of entries that happened before `cutoff`; true when there may be more. */
  async expire(cutoff: Date): Promise<boolean> {
    const expired = await this.accesses
      .find({ occurredAt: { $lt: cutoff } }, { _id: 1 })
      .limit(EXPIRY_BATCH)
      .lean<{ _id: string }[]>();
    if (expired.length === 0) return false;
    await this.accesses.deleteMany({ _id: { $in: expired.map((d) => d._id) } });
    return expired.length === EXPIRY_BATCH;
  }

  /** The patient's clinic when the trail has seen the patient or a guardian act for them. */
  async find(patientId: string): Promise<PatientRecord | undefined> {
    const known = await this.clinics.findById(patientId).lean<PatientClinicDocument>();
    return known ? { patientId, clinicId: known.clinicId, status: 'active', guardianIds: [] } : undefined;
  }
}
