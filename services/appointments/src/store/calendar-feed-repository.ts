// Reads and writes calendar feeds. A patient has at most one working feed: creating one revokes
// the one before, and both steps are queued per patient so two creations never leave two working.
import type { OutboxEntry } from '@portico/kit/eventing';
import { withDocumentLock } from '@portico/kit/mongo';
import type { Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { CalendarFeed } from '../domain/calendar-feed.js';
import { calendarFeedModel, CALENDAR_FEEDS_COLLECTION, type CalendarFeedDocument } from './calendar-feed-model.js';

const toFeed = (document: CalendarFeedDocument): CalendarFeed => ({
  feedId: document._id,
  patientId: document.patientId,
  clinicId: document.clinicId,
  tokenDigest: document.tokenDigest,
  createdAt: document.createdAt,
  revokedAt: document.revokedAt ?? undefined,
});

export class CalendarFeedRepository {
  private readonly model: Model<CalendarFeedDocument>;

  constructor(private readonly store: Store) {
    this.model = calendarFeedModel(store.connection) as Model<CalendarFeedDocument>;
  }

  async init(): Promise<this> {
    await this.model.createIndexes();
    return this;
  }

  /** The patient's working feed, if any. */
  async active(patientId: string): Promise<CalendarFeed | undefined> {
    const document = await this.model.findOne({ patientId, revokedAt: null }, { outbox: 0 }).lean<CalendarFeedDocument>().exec();
    return document ? toFeed(document) : undefined;
  }

  /** The working feed whose secret has this digest. */
  async byDigest(tokenDigest: string): Promise<CalendarFeed | undefined> {
    const document = await this.model.findOne({ tokenDigest, revokedAt: null }, { outbox: 0 }).lean<CalendarFeedDocument>().exec();
    return document ? toFeed(document) : undefined;
  }

  /** Stores `feed` as the patient's one working feed, revoking any other; each step with its own events. */
  async replace(feed: CalendarFeed, events: { revoked: (old: CalendarFeed) => OutboxEntry[]; created: OutboxEntry[] }): Promise<void> {
    await this.perPatient(feed.patientId, async () => {
      await this.revokeAll(feed.patientId, feed.createdAt, events.revoked);
      await this.model.create({ _id: feed.feedId, ...feed, revokedAt: null, outbox: events.created } as never);
      this.store.outbox.nudge(CALENDAR_FEEDS_COLLECTION);
    });
  }

  /** Revokes the patient's working feed; true when there was one. */
  revoke(patientId: string, at: Date, events: (old: CalendarFeed) => OutboxEntry[]): Promise<boolean> {
    return this.perPatient(patientId, async () => (await this.revokeAll(patientId, at, events)) > 0);
  }

  private async revokeAll(patientId: string, at: Date, events: (old: CalendarFeed) => OutboxEntry[]): Promise<number> {
    const working = await this.model.find({ patientId, revokedAt: null }, { outbox: 0 }).lean<CalendarFeedDocument[]>().exec();
    for (const document of working) {
      const feed = toFeed(document);
      // The relay also writes this document (removing what it published): one writer at a time.
      await withDocumentLock(CALENDAR_FEEDS_COLLECTION, feed.feedId, () =>
        this.model
          .updateOne({ _id: feed.feedId, revokedAt: null }, { $set: { revokedAt: at }, $push: { outbox: { $each: events(feed) } } })
          .exec(),
      );
    }
    if (working.length) this.store.outbox.nudge(CALENDAR_FEEDS_COLLECTION);
    return working.length;
  }

  private perPatient<T>(patientId: string, work: () => Promise<T>): Promise<T> {
    return withDocumentLock(CALENDAR_FEEDS_COLLECTION, `patient:${patientId}`, work);
  }
}
