// Superbills as made: a snapshot of the parties, diagnoses and lines on the day staff made it,
// like the paper it replaces. Its creation's audit event travels in the same document (outbox).
import type { OutboxEntry } from '@portico/kit/eventing';
import { withOutbox } from '@portico/kit/eventing';
import { mongoose } from '@portico/kit/mongo';
import { VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { Superbill } from '../domain/superbill.js';

type SuperbillDocument = Omit<Superbill, 'superbillId'> & { _id: string; idempotencyKey: string; outbox: OutboxEntry[] };

const superbillSchema = new mongoose.Schema<SuperbillDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    currency: { type: String, required: true },
    parties: { type: mongoose.Schema.Types.Mixed, required: true },
    diagnosisCodes: { type: [String], required: true },
    lines: { type: mongoose.Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    version: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
  },
  { collection: 'superbills', versionKey: false },
);
superbillSchema.plugin(withOutbox);
superbillSchema.index({ patientId: 1, createdAt: -1 });
superbillSchema.index({ patientId: 1, idempotencyKey: 1 }, { unique: true });

export const SUPERBILLS_COLLECTION = 'superbills';

export class SuperbillRepository extends VersionedRepository<Superbill, SuperbillDocument> {
  constructor(store: Store) {
    const model = store.connection.models.Superbill ?? store.connection.model<SuperbillDocument>('Superbill', superbillSchema);
    super(store, model as Model<SuperbillDocument>, 'superbill');
  }
  protected idOf(superbill: Superbill) {
    return superbill.superbillId;
  }
  protected toEntity(document: SuperbillDocument): Superbill {
    const { _id, idempotencyKey: _key, outbox: _outbox, ...fields } = document as SuperbillDocument & { outboxPending?: boolean };
    delete (fields as { outboxPending?: boolean }).outboxPending;
    return { superbillId: _id, ...fields };
  }
  protected fieldsOf({ superbillId: _id, ...fields }: Superbill) {
    return fields;
  }
  find(scope: { patientId: string; clinicId?: string }, superbillId: string) {
    return this.findOne({ ...scope, _id: superbillId });
  }
  findByKey(patientId: string, idempotencyKey: string) {
    return this.findOne({ patientId, idempotencyKey });
  }
  ofPatient(scope: { patientId: string; clinicId?: string }) {
    return this.findMany(scope, { sort: { createdAt: -1, _id: -1 }, limit: 500 });
  }
  insert(superbill: Superbill, idempotencyKey: string, events: OutboxEntry[]) {
    return this.tryInsert(superbill, events, { idempotencyKey });
  }
}
