// The patients each guardian may act for, as Portico records them: the source the guardian's
// Keycloak `patients` attribute (and so their token's claim) is kept in step with. One document
// per guardian, carrying the events of its changes (the outbox).
import { withOutbox, type OutboxEntry } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';

export interface GuardianLinksDocument {
  _id: string;
  clinicId: string;
  patientIds: string[];
  updatedAt: Date;
  version: number;
  outbox: OutboxEntry[];
}

const guardianLinksSchema = new mongoose.Schema<GuardianLinksDocument>(
  {
    _id: { type: String, required: true },
    clinicId: { type: String, required: true },
    patientIds: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'guardian_links', versionKey: false },
);
guardianLinksSchema.plugin(withOutbox);

export const GUARDIAN_LINKS_COLLECTION = 'guardian_links';

export function guardianLinksModel(connection: Connection) {
  return connection.models.GuardianLinks ?? connection.model<GuardianLinksDocument>('GuardianLinks', guardianLinksSchema);
}
