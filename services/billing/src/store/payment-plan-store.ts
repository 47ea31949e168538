// Payment plans as made: the schedule of instalments, the invoices whose amounts the plan took
// over, and which instalments have become charges. Its creation event travels in the same
// document (outbox). What is paid of it is never stored: it is read from the instalments' invoices.
import type { OutboxEntry } from '@portico/kit/eventing';
import { withOutbox } from '@portico/kit/eventing';
import { mongoose } from '@portico/kit/mongo';
import { VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import { PLAN_FREQUENCIES, type PaymentPlan } from '../domain/payment-plan.js';

type PaymentPlanDocument = Omit<PaymentPlan, 'planId'> & { _id: string; idempotencyKey: string; outbox: OutboxEntry[] };

const cover = new mongoose.Schema(
  { invoiceId: { type: String, required: true }, amountMinor: { type: Number, required: true } },
  { _id: false },
);
const instalment = new mongoose.Schema(
  {
    number: { type: Number, required: true },
    dueOn: { type: String, required: true },
    amountMinor: { type: Number, required: true },
    invoiceId: { type: String, default: '' },
  },
  { _id: false },
);

const cancellation = new mongoose.Schema(
  {
    cancelledAt: { type: Date, required: true },
    returnedMinor: { type: Number, required: true },
    remainderInvoiceId: { type: String, default: '' },
    remainderCharged: { type: Boolean, required: true },
  },
  { _id: false },
);

const planSchema = new mongoose.Schema<PaymentPlanDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    clinicName: { type: String, default: '' },
    timeZone: { type: String, required: true },
    number: { type: String, required: true },
    currency: { type: String, required: true },
    frequency: { type: String, enum: PLAN_FREQUENCIES, required: true },
    totalMinor: { type: Number, required: true },
    covers: { type: [cover], required: true },
    coversApplied: { type: Boolean, required: true },
    instalments: { type: [instalment], required: true },
    nextChargeOn: { type: String, default: '' },
    cancellation: { type: cancellation, default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
  },
  { collection: 'payment_plans', versionKey: false },
);
planSchema.plugin(withOutbox);
planSchema.index({ patientId: 1, createdAt: -1 });
planSchema.index({ patientId: 1, idempotencyKey: 1 }, { unique: true });
planSchema.index({ nextChargeOn: 1 });
planSchema.index({ coversApplied: 1, createdAt: 1 });
planSchema.index({ 'cancellation.remainderCharged': 1, 'cancellation.cancelledAt': 1 });

export const PAYMENT_PLANS_COLLECTION = 'payment_plans';

type Scope = { patientId: string; clinicId?: string };

export class PaymentPlanRepository extends VersionedRepository<PaymentPlan, PaymentPlanDocument> {
  constructor(store: Store) {
    const model = store.connection.models.PaymentPlan ?? store.connection.model<PaymentPlanDocument>('PaymentPlan', planSchema);
    super(store, model as Model<PaymentPlanDocument>, 'payment plan');
  }
  protected idOf(plan: PaymentPlan) {
    return plan.planId;
  }
  protected toEntity(document: PaymentPlanDocument): PaymentPlan {
    const { _id, idempotencyKey: _key, outbox: _outbox, ...fields } = document as PaymentPlanDocument & { outboxPending?: boolean };
    delete (fields as { outboxPending?: boolean }).outboxPending;
    if (!fields.cancellation) delete fields.cancellation;
    return { planId: _id, ...fields };
  }
  protected fieldsOf({ planId: _id, ...fields }: PaymentPlan) {
    return fields;
  }
  find(scope: Scope, planId: string) {
    return this.findOne({ ...scope, _id: planId });
  }
  findByKey(patientId: string, idempotencyKey: string) {
    return this.findOne({ patientId, idempotencyKey });
  }
  ofPatient(scope: Scope) {
    return this.findMany(scope, { sort: { createdAt: -1, _id: -1 }, limit: 500 });
  }
  /** Plans with an instalment not charged yet whose date is on or before `latestToday` (the latest "today" of any zone). */
  withChargesDue(latestToday: string, limit: number) {
    return this.findMany({ nextChargeOn: { $gt: '', $lte: latestToday } }, { sort: { nextChargeOn: 1, _id: 1 }, limit });
  }
  /**
   * Plans left half-way before `before` (their maker died): made without all their covering
   * adjustments, or cancelled without the charge of what went back onto the balance.
   */
  unfinishedBefore(before: Date, limit: number) {
    return this.findMany(
      {
        $or: [
          { coversApplied: false, createdAt: { $lte: before } },
          { 'cancellation.remainderCharged': false, 'cancellation.cancelledAt': { $lte: before } },
        ],
      },
      { sort: { createdAt: 1 }, limit },
    );
  }
  insert(plan: PaymentPlan, idempotencyKey: string, events: OutboxEntry[]) {
    return this.tryInsert(plan, events, { idempotencyKey });
  }
}
