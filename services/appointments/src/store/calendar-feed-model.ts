// How a patient's calendar feed is kept: the digest of its secret, never the secret. A feed
// document also carries the audit events of its creation and revocation (the outbox).
import { withOutbox, type OutboxEntry } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';

export interface CalendarFeedDocument {
  _id: string;
  patientId: string;
  clinicId: string;
  /** SHA-256 of the secret, hex. */
  tokenDigest: string;
  createdAt: Date;
  /** Null while the feed works. */
  revokedAt: Date | null;
  outbox: OutboxEntry[];
}

const calendarFeedSchema = new mongoose.Schema<CalendarFeedDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, default: '' },
    tokenDigest: { type: String, required: true },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'calendar_feeds', versionKey: false },
);
calendarFeedSchema.plugin(withOutbox);
calendarFeedSchema.index({ tokenDigest: 1 }, { unique: true });
calendarFeedSchema.index({ patientId: 1, revokedAt: 1 });

export const CALENDAR_FEEDS_COLLECTION = 'calendar_feeds';

export function calendarFeedModel(connection: Connection) {
  return connection.models.CalendarFeed ?? connection.model<CalendarFeedDocument>('CalendarFeed', calendarFeedSchema);
}
