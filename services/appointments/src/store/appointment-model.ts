// How an Appointment is kept in the appointments service's own database. Each document also
// carries the events its last changes produced (the outbox) until the relay has published them.
import { withOutbox, type OutboxEntry } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';
import { APPOINTMENT_MODES, APPOINTMENT_STATUSES, type AppointmentMode, type AppointmentStatus } from '../domain/appointment.js';

export interface AppointmentDocument {
  _id: string;
  patientId: string;
  clinicId: string;
  clinicName: string;
  timeZone: string;
  portalUrl: string;
  clinicianId: string;
  clinicianName: string;
  serviceType: string;
  startsAt: Date;
  endsAt: Date;
  mode: AppointmentMode;
  location: string;
  meetingUrl: string;
  noteForPatient: string;
  status: AppointmentStatus;
  cancellationReason: string;
  sequence: number;
  version: number;
  /** The caller's key for ScheduleAppointment retries; the appointment id when none was given (keeps the index unique without a partial index). */
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
  outbox: OutboxEntry[];
}

const appointmentSchema = new mongoose.Schema<AppointmentDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    clinicName: { type: String, default: '' },
    timeZone: { type: String, required: true },
    portalUrl: { type: String, default: '' },
    clinicianId: { type: String, required: true },
    clinicianName: { type: String, default: '' },
    serviceType: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    mode: { type: String, enum: APPOINTMENT_MODES, required: true },
    location: { type: String, default: '' },
    meetingUrl: { type: String, default: '' },
    noteForPatient: { type: String, default: '' },
    status: { type: String, enum: APPOINTMENT_STATUSES, required: true },
    cancellationReason: { type: String, default: '' },
    sequence: { type: Number, required: true },
    version: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'appointments', versionKey: false },
);
appointmentSchema.plugin(withOutbox);
// A patient's upcoming and past lists, the overlap checks, and a clinician's day and week.
appointmentSchema.index({ patientId: 1, endsAt: 1 });
appointmentSchema.index({ patientId: 1, startsAt: 1 });
appointmentSchema.index({ clinicianId: 1, startsAt: 1 });
appointmentSchema.index({ patientId: 1, idempotencyKey: 1 }, { unique: true });

export const APPOINTMENTS_COLLECTION = 'appointments';

export function appointmentModel(connection: Connection) {
  return connection.models.Appointment ?? connection.model<AppointmentDocument>('Appointment', appointmentSchema);
}
