// How a clinic's Organisation is kept in the auth service's own database: one document per
// clinic (the clinic id is the _id), carrying its pending events (the outbox) until published.
import { withOutbox, type OutboxEntry } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';
import type { OrganisationProfile, StoredFile } from '../domain/organisation.js';

export interface OrganisationDocument {
  _id: string;
  profile: OrganisationProfile;
  logo: StoredFile | null;
  handbook: StoredFile | null;
  updatedAt: Date;
  version: number;
  outbox: OutboxEntry[];
}

const addressSchema = new mongoose.Schema(
  { line1: String, line2: String, city: String, region: String, postalCode: String, countryCode: String },
  { _id: false },
);

const profileSchema = new mongoose.Schema<OrganisationProfile>(
  {
    name: { type: String, default: '' },
    address: { type: addressSchema, required: false },
    phone: { type: String, default: '' },
    email: { type: String, default: '' },
    openingHours: { type: [String], default: [] },
    welcomeMessage: { type: String, default: '' },
    portalUrl: { type: String, default: '' },
    timeZone: { type: String, default: 'UTC' },
  },
  { _id: false },
);

const storedFileSchema = new mongoose.Schema<StoredFile>(
  {
    objectKey: { type: String, required: true },
    contentType: { type: String, required: true },
    sizeBytes: { type: Number, required: true },
    fileName: { type: String, default: '' },
    uploadedAt: { type: Date, required: true },
  },
  { _id: false },
);

const organisationSchema = new mongoose.Schema<OrganisationDocument>(
  {
    _id: { type: String, required: true },
    profile: { type: profileSchema, required: true },
    logo: { type: storedFileSchema, default: null },
    handbook: { type: storedFileSchema, default: null },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'organisations', versionKey: false },
);
organisationSchema.plugin(withOutbox);

export const ORGANISATIONS_COLLECTION = 'organisations';

export function organisationModel(connection: Connection) {
  return connection.models.Organisation ?? connection.model<OrganisationDocument>('Organisation', organisationSchema);
}
