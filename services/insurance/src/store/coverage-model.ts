// How a Coverage is kept in the insurance service's own database. Each document also carries the
// events its last changes produced (the outbox) until the relay has published them, and its
// history of changes for staff.
import { withOutbox, type OutboxEntry } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';
import {
  COVERAGE_STATUSES,
  PLAN_TYPES,
  PRIORITIES,
  RELATIONSHIPS,
  VERIFICATION_STATES,
  type CoverageChange,
  type CoverageDetails,
  type CoverageStatus,
  type StoredCardPhoto,
  type VerificationState,
} from '../domain/coverage.js';

export interface CoverageDocument {
  _id: string;
  patientId: string;
  clinicId: string;
  details: CoverageDetails;
  status: CoverageStatus;
  /** See activeSlotOf: unique per patient, so two active coverages never share a priority. */
  activeSlot: string;
  verification: VerificationState;
  informationRequest: string;
  frontPhoto?: StoredCardPhoto | null;
  backPhoto?: StoredCardPhoto | null;
  history: CoverageChange[];
  version: number;
  /** The caller's key for AddCoverage retries; the coverage id when none was given. */
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
  outbox: OutboxEntry[];
}

const photoSchema = new mongoose.Schema<StoredCardPhoto>(
  { key: String, contentType: String, sizeBytes: Number, uploadedAt: Date },
  { _id: false },
);

const detailsSchema = new mongoose.Schema<CoverageDetails>(
  {
    payerName: { type: String, required: true },
    planName: { type: String, default: '' },
    planType: { type: String, enum: PLAN_TYPES, required: true },
    memberId: { type: String, required: true },
    groupNumber: { type: String, default: '' },
    subscriber: {
      type: new mongoose.Schema(
        { relationship: { type: String, enum: RELATIONSHIPS, required: true }, name: String, dateOfBirth: String },
        { _id: false },
      ),
      required: true,
    },
    priority: { type: String, enum: PRIORITIES, required: true },
    effectiveDate: { type: String, required: true },
    endDate: { type: String, default: '' },
    copay: { type: new mongoose.Schema({ amountMinor: Number, currencyCode: String }, { _id: false }), required: false },
  },
  { _id: false },
);

const changeSchema = new mongoose.Schema<CoverageChange>(
  {
    at: Date,
    actorSubject: String,
    actorName: String,
    actorRole: String,
    action: String,
    changedFields: [String],
    message: String,
  },
  { _id: false },
);

const coverageSchema = new mongoose.Schema<CoverageDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, default: '' },
    details: { type: detailsSchema, required: true },
    status: { type: String, enum: COVERAGE_STATUSES, required: true },
    activeSlot: { type: String, required: true },
    verification: { type: String, enum: VERIFICATION_STATES, required: true },
    informationRequest: { type: String, default: '' },
    frontPhoto: { type: photoSchema, required: false },
    backPhoto: { type: photoSchema, required: false },
    history: { type: [changeSchema], default: [] },
    version: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'coverages', versionKey: false },
);
coverageSchema.plugin(withOutbox);
coverageSchema.index({ patientId: 1, activeSlot: 1 }, { unique: true });
coverageSchema.index({ patientId: 1, idempotencyKey: 1 }, { unique: true });
coverageSchema.index({ clinicId: 1, updatedAt: -1 });
// The orphan sweep asks which card photos a coverage names (PHOTO_KEY_FIELDS).
coverageSchema.index({ 'frontPhoto.key': 1 });
coverageSchema.index({ 'backPhoto.key': 1 });

export const COVERAGES_COLLECTION = 'coverages';

/** Where a coverage records the keys of its card photos: the orphan sweep keeps what these name. */
export const PHOTO_KEY_FIELDS = [
  { collection: COVERAGES_COLLECTION, field: 'frontPhoto.key' },
  { collection: COVERAGES_COLLECTION, field: 'backPhoto.key' },
];

export function coverageModel(connection: Connection) {
  return connection.models.Coverage ?? connection.model<CoverageDocument>('Coverage', coverageSchema);
}
