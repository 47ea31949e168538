// How the trail is kept in the audit service's own database: one document per audit event, its id
// the event's id, so a topic delivered again (a replay, a second consumer group) adds nothing.
import { mongoose, type Connection } from '@portico/kit/mongo';
import type { RecordAccess } from '../domain/record-access.js';

export type RecordAccessDocument = Omit<RecordAccess, 'eventId'> & { _id: string };

const actorSchema = new mongoose.Schema(
  { subject: { type: String, default: '' }, role: { type: String, default: '' }, clinicId: { type: String, default: '' } },
  { _id: false },
);

const recordAccessSchema = new mongoose.Schema<RecordAccessDocument>(
  {
    _id: { type: String, required: true },
    actor: { type: actorSchema, required: true },
    patientId: { type: String, default: '' },
    action: { type: String, required: true },
    resourceType: { type: String, default: '' },
    resourceId: { type: String, default: '' },
    outcome: { type: String, enum: ['allowed', 'denied'], required: true },
    occurredAt: { type: Date, required: true },
    sourceIp: { type: String, default: '' },
    requestId: { type: String, default: '' },
    keptAt: { type: Date, required: true },
  },
  { collection: 'record_accesses', versionKey: false },
);
// A patient's history, newest first, optionally by one person; and the retention sweep.
recordAccessSchema.index({ patientId: 1, occurredAt: -1, _id: -1 });
recordAccessSchema.index({ patientId: 1, 'actor.subject': 1, occurredAt: -1 });
recordAccessSchema.index({ occurredAt: 1 });

// Append-only: a change to a kept entry is a bug wherever it comes from, so the model refuses it.
const refuseChange = () => {
  throw new Error('the audit trail is append-only: entries are never changed');
};
for (const operation of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'] as const)
  recordAccessSchema.pre(operation, refuseChange);

export const RECORD_ACCESSES = 'record_accesses';

export function recordAccessModel(connection: Connection) {
  return connection.models.RecordAccess ?? connection.model<RecordAccessDocument>('RecordAccess', recordAccessSchema);
}

/** Patient id → clinic, as the trail itself has shown it (see clinicShownBy). */
export interface PatientClinicDocument {
  _id: string;
  clinicId: string;
  learnedAt: Date;
}

const patientClinicSchema = new mongoose.Schema<PatientClinicDocument>(
  { _id: { type: String, required: true }, clinicId: { type: String, required: true }, learnedAt: { type: Date, required: true } },
  { collection: 'patient_clinics', versionKey: false },
);

export function patientClinicModel(connection: Connection) {
  return connection.models.PatientClinic ?? connection.model<PatientClinicDocument>('PatientClinic', patientClinicSchema);
}
