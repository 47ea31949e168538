// How Invitations are kept in the auth service's own database, each with its pending events (the
// outbox). There is never a temporary password here: it goes to Keycloak and the email only.
import { withOutbox, type OutboxEntry } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';
import type { InvitationStatus, InvitedKind, Inviter } from '../domain/invitation.js';

export interface InvitationDocument {
  _id: string;
  clinicId: string;
  userId: string;
  email: string;
  givenName: string;
  familyName: string;
  kind: InvitedKind;
  patientIds: string[];
  status: InvitationStatus;
  invitedBy: Inviter;
  createdAt: Date;
  expiresAt: Date;
  updatedAt: Date;
  emailSentAt: Date | null;
  userDisablePending: boolean;
  version: number;
  /**
   * `pending:<email>` while PENDING, else the invitation id: a unique index on it allows one
   * pending invitation per email (FerretDB has no partial indexes to say so directly).
   */
  pendingKey: string;
  outbox: OutboxEntry[];
}

const invitationSchema = new mongoose.Schema<InvitationDocument>(
  {
    _id: { type: String, required: true },
    clinicId: { type: String, required: true },
    userId: { type: String, required: true },
    email: { type: String, required: true },
    givenName: { type: String, required: true },
    familyName: { type: String, required: true },
    kind: { type: String, enum: ['patient', 'guardian'], required: true },
    patientIds: { type: [String], default: [] },
    status: { type: String, enum: ['pending', 'accepted', 'revoked', 'expired'], required: true },
    invitedBy: { type: new mongoose.Schema({ subject: String, displayName: String }, { _id: false }), required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    emailSentAt: { type: Date, default: null },
    userDisablePending: { type: Boolean, default: false },
    version: { type: Number, required: true },
    pendingKey: { type: String, required: true },
  },
  { collection: 'invitations', versionKey: false },
);
invitationSchema.plugin(withOutbox);
invitationSchema.index({ pendingKey: 1 }, { unique: true });
invitationSchema.index({ clinicId: 1, createdAt: -1 });
invitationSchema.index({ userId: 1 });
invitationSchema.index({ status: 1, expiresAt: 1 });
invitationSchema.index({ userDisablePending: 1 });

export const INVITATIONS_COLLECTION = 'invitations';

export function invitationModel(connection: Connection) {
  return connection.models.Invitation ?? connection.model<InvitationDocument>('Invitation', invitationSchema);
}
