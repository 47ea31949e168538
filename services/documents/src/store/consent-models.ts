// How consents are kept in the documents service's database: the consent with its text as
// assigned, its signature and evidence once signed, and the signed PDF's key and SHA-256 (what
// verification looks up). The signers' acceptances of the electronic-records disclosure sit in a
// collection of their own, one document per signer and disclosure version.
import { withOutbox } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';
import { CONSENT_KINDS } from '../domain/consents.js';

export const CONSENTS_COLLECTION = 'consents';
export const DISCLOSURE_ACCEPTANCES_COLLECTION = 'disclosure_acceptances';

const release = new mongoose.Schema(
  {
    contactId: { type: String, required: true },
    scope: { type: String, required: true },
    expiresOn: { type: String, required: true },
    timeZone: { type: String, required: true },
    revokedAt: { type: Date, default: null },
    revokedBy: { type: String, default: '' },
  },
  { _id: false },
);

const signature = new mongoose.Schema(
  {
    typedName: { type: String, required: true },
    method: { type: String, enum: ['typed-name', 'typed-name-and-drawing'], required: true },
    // signature_pad's stroke points, as sent (kept as they are; never queried).
    strokes: { type: mongoose.Schema.Types.Mixed, default: null },
    imagePng: { type: Buffer, default: null },
    evidence: { type: mongoose.Schema.Types.Mixed, required: true },
  },
  { _id: false },
);

const signedPdf = new mongoose.Schema(
  {
    objectKey: { type: String, required: true },
    sha256: { type: String, required: true },
    sizeBytes: { type: Number, required: true },
  },
  { _id: false },
);

const consentSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    templateId: { type: String, required: true },
    templateVersion: { type: Number, required: true },
    kind: { type: String, enum: CONSENT_KINDS, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
    textSha256: { type: String, required: true },
    release: { type: release, default: null },
    assignedBy: { type: String, required: true },
    assignedAt: { type: Date, required: true },
    signature: { type: signature, default: null },
    signedAt: { type: Date, default: null },
    signedPdf: { type: signedPdf, default: null },
    version: { type: Number, required: true },
  },
  { collection: CONSENTS_COLLECTION, versionKey: false },
);
consentSchema.plugin(withOutbox);
// A patient's list, newest first; verification by the signed PDF's SHA-256 within a clinic.
consentSchema.index({ patientId: 1, assignedAt: -1 });
consentSchema.index({ clinicId: 1, 'signedPdf.sha256': 1 });
// The orphan sweep asks which signed PDFs a consent names (store/object-keys).
consentSchema.index({ 'signedPdf.objectKey': 1 });

export const consentModel = (connection: Connection) => connection.models.Consent ?? connection.model('Consent', consentSchema);
