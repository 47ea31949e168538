// How clinical documents, resources and uploads are kept in the documents service's own
// database. Each document also carries the events its last changes produced (the outbox) until
// the relay has published them.
import { withOutbox } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';
import { DOCUMENT_KINDS, RESOURCE_AUDIENCES, UPLOAD_STATUSES } from '../domain/documents.js';
import { INSTRUMENTS, SEVERITIES } from '../domain/screenings.js';

export const DOCUMENTS_COLLECTION = 'clinical_documents';
export const RESOURCES_COLLECTION = 'resources';
export const UPLOADS_COLLECTION = 'uploads';
export const SCREENINGS_COLLECTION = 'screenings';

const storedFile = new mongoose.Schema(
  {
    objectKey: { type: String, required: true },
    fileName: { type: String, required: true },
    contentType: { type: String, required: true },
    sizeBytes: { type: Number, required: true },
    sha256: { type: String, required: true },
  },
  { _id: false },
);

const documentSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    // Empty for the clinic's handbook, which is every patient's.
    patientId: { type: String, default: '' },
    clinicId: { type: String, required: true },
    kind: { type: String, enum: DOCUMENT_KINDS, required: true },
    title: { type: String, required: true },
    documentDate: { type: String, required: true },
    author: { type: String, default: '' },
    file: { type: storedFile, required: true },
    sharedBy: { type: String, required: true },
    sharedAt: { type: Date, required: true },
    openedAt: { type: Date, default: null },
    version: { type: Number, required: true },
  },
  { collection: DOCUMENTS_COLLECTION, versionKey: false },
);
documentSchema.plugin(withOutbox);
// A patient's list, newest first.
documentSchema.index({ patientId: 1, sharedAt: -1 });
// The orphan sweep asks which objects a document names (store/object-keys).
documentSchema.index({ 'file.objectKey': 1 });

const resourceSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    clinicId: { type: String, required: true },
    audience: { type: String, enum: RESOURCE_AUDIENCES, required: true },
    patientId: { type: String, default: '' },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    linkUrl: { type: String, default: '' },
    file: { type: storedFile, default: null },
    sharedBy: { type: String, required: true },
    sharedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: RESOURCES_COLLECTION, versionKey: false },
);
resourceSchema.plugin(withOutbox);
// A patient's own resources and their clinic's shared ones, newest first.
resourceSchema.index({ clinicId: 1, patientId: 1, sharedAt: -1 });
resourceSchema.index({ 'file.objectKey': 1 });

const uploadSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    file: { type: storedFile, required: true },
    uploadedBy: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
    status: { type: String, enum: UPLOAD_STATUSES, required: true },
    filedAt: { type: Date, default: null },
    filedBy: { type: String, default: '' },
    version: { type: Number, required: true },
  },
  { collection: UPLOADS_COLLECTION, versionKey: false },
);
uploadSchema.plugin(withOutbox);
// A patient's list, and the clinic's new (or filed) uploads, newest first.
uploadSchema.index({ patientId: 1, uploadedAt: -1 });
uploadSchema.index({ clinicId: 1, status: 1, uploadedAt: -1 });
uploadSchema.index({ 'file.objectKey': 1 });

export const documentModel = (connection: Connection) =>
  connection.models.ClinicalDocument ?? connection.model('ClinicalDocument', documentSchema);
export const resourceModel = (connection: Connection) => connection.models.Resource ?? connection.model('Resource', resourceSchema);
export const uploadModel = (connection: Connection) => connection.models.Upload ?? connection.model('Upload', uploadSchema);

const screeningResult = new mongoose.Schema(
  {
    score: { type: Number, required: true },
    maxScore: { type: Number, required: true },
    severity: { type: String, enum: SEVERITIES, required: true },
    needsAttention: { type: Boolean, required: true },
    completedAt: { type: Date, required: true },
  },
  { _id: false },
);

const screeningSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    instrument: { type: String, enum: INSTRUMENTS, required: true },
    assignedBy: { type: String, required: true },
    assignedAt: { type: Date, required: true },
    answers: { type: [Number], default: null },
    result: { type: screeningResult, default: null },
    completedBy: { type: String, default: '' },
    version: { type: Number, required: true },
  },
  { collection: SCREENINGS_COLLECTION, versionKey: false },
);
screeningSchema.plugin(withOutbox);
// A patient's list, newest first, and their completed ones of an instrument for the trend.
screeningSchema.index({ patientId: 1, assignedAt: -1 });
screeningSchema.index({ patientId: 1, instrument: 1, 'result.completedAt': 1 });

export const screeningModel = (connection: Connection) => connection.models.Screening ?? connection.model('Screening', screeningSchema);
