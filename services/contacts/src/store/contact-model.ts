// How a Contact is kept in the contacts service's own database. Each document also carries the
// events its last changes produced (the outbox) until the relay has published them.
import { withOutbox, type OutboxEntry } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';
import { CONTACT_PURPOSES, type ContactDetails, type ContactStatus } from '../domain/contact.js';

export interface ContactDocument {
  _id: string;
  patientId: string;
  clinicId: string;
  details: ContactDetails;
  status: ContactStatus;
  version: number;
  /** The caller's key for AddContact retries; the contact id when none was given (keeps the index unique without a partial index). */
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
  outbox: OutboxEntry[];
}

const addressSchema = new mongoose.Schema(
  { line1: String, line2: String, city: String, region: String, postalCode: String, countryCode: String },
  { _id: false },
);

const detailsSchema = new mongoose.Schema<ContactDetails>(
  {
    name: { type: String, required: true },
    relationship: { type: String, default: '' },
    phone: { type: String, default: '' },
    email: { type: String, default: '' },
    address: { type: addressSchema, required: false },
    purposes: { type: [String], enum: CONTACT_PURPOSES, default: [] },
    notes: { type: String, default: '' },
  },
  { _id: false },
);

const contactSchema = new mongoose.Schema<ContactDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, default: '' },
    details: { type: detailsSchema, required: true },
    status: { type: String, enum: ['active', 'inactive'], required: true },
    version: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'contacts', versionKey: false },
);
contactSchema.plugin(withOutbox);
contactSchema.index({ patientId: 1, createdAt: 1 });
contactSchema.index({ patientId: 1, idempotencyKey: 1 }, { unique: true });

export const CONTACTS_COLLECTION = 'contacts';

export function contactModel(connection: Connection) {
  return connection.models.Contact ?? connection.model<ContactDocument>('Contact', contactSchema);
}
