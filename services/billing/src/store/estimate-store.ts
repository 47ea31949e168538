// Good Faith Estimates as kept: one document per estimate holding every issued version, the
// signed decisions and the notices of charges over it, so each change and its events (outbox)
// are one single-document write. A new estimate is unique by its idempotency key per patient.
import type { OutboxEntry } from '@portico/kit/eventing';
import { withOutbox } from '@portico/kit/eventing';
import { mongoose } from '@portico/kit/mongo';
import { VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { Estimate } from '../domain/estimate.js';

type EstimateDocument = Omit<Estimate, 'estimateId'> & { _id: string; idempotencyKey: string; outbox: OutboxEntry[] };

const estimateSchema = new mongoose.Schema<EstimateDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    clinicName: { type: String, default: '' },
    timeZone: { type: String, required: true },
    currency: { type: String, required: true },
    versions: { type: mongoose.Schema.Types.Mixed, required: true },
    decisions: { type: mongoose.Schema.Types.Mixed, default: [] },
    exceeded: { type: mongoose.Schema.Types.Mixed, default: [] },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    idempotencyKey: { type: String, required: true },
  },
  { collection: 'estimates', versionKey: false, minimize: false },
);
estimateSchema.plugin(withOutbox);
estimateSchema.index({ patientId: 1, createdAt: -1 });
estimateSchema.index({ patientId: 1, idempotencyKey: 1 }, { unique: true });

export const ESTIMATES_COLLECTION = 'estimates';

type Scope = { patientId: string; clinicId?: string };

/** Dates inside Mixed fields come back as Date from MongoDB; kept as such. */
export class EstimateRepository extends VersionedRepository<Estimate, EstimateDocument> {
  constructor(store: Store) {
    const model = store.connection.models.Estimate ?? store.connection.model<EstimateDocument>('Estimate', estimateSchema);
    super(store, model as Model<EstimateDocument>, 'estimate');
  }
  protected idOf(estimate: Estimate) {
    return estimate.estimateId;
  }
  protected toEntity(document: EstimateDocument): Estimate {
    const { _id, idempotencyKey: _key, outbox: _outbox, ...fields } = document as EstimateDocument & { outboxPending?: boolean };
    delete (fields as { outboxPending?: boolean }).outboxPending;
    return { estimateId: _id, ...fields, versions: fields.versions.map((v) => ({ ...v, issuedAt: new Date(v.issuedAt) })) };
  }
  protected fieldsOf({ estimateId: _id, ...fields }: Estimate) {
    return fields;
  }
  find(scope: Scope, estimateId: string) {
    return this.findOne({ ...scope, _id: estimateId });
  }
  findByKey(patientId: string, idempotencyKey: string) {
    return this.findOne({ patientId, idempotencyKey });
  }
  ofPatient(scope: Scope) {
    return this.findMany(scope, { sort: { createdAt: -1, _id: -1 }, limit: 500 });
  }
  insert(estimate: Estimate, idempotencyKey: string, events: OutboxEntry[]) {
    return this.tryInsert(estimate, events, { idempotencyKey });
  }
  override replace(current: Estimate, next: Estimate, events: OutboxEntry[]) {
    return super.replace(current, next, events, { patientId: current.patientId });
  }
}
