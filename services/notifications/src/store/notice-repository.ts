// The notices owed to people and each of their emails. A notice is added once per event or
// reminder (its id), each email once per notice and person (its id); an email moves from pending
// to sent (or skipped, or failed for good) only once, so whatever runs a notice again — a
// redelivered event, a restart, a second replica after the lease — sends only what is still pending.
import { isDuplicateKey, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import { outgoingEmailId, type AppointmentNotice } from '../domain/appointment-notice.js';
import {
  noticeModel,
  outgoingEmailModel,
  type NoticeDocument,
  type OutgoingEmailDocument,
  type OutgoingEmailState,
} from './notification-models.js';

const noticeOf = (d: NoticeDocument): AppointmentNotice => ({
  noticeId: d._id,
  kind: d.kind,
  appointmentId: d.appointmentId,
  patientId: d.patientId,
  clinicId: d.clinicId,
  startsAt: d.startsAt,
  previousStartsAt: d.previousStartsAt ?? undefined,
  timeZone: d.timeZone,
  mode: d.mode,
  reminderId: d.reminderId ?? undefined,
  createdAt: d.createdAt,
  ...(d.money ? { money: { amountMinor: d.money.amountMinor, currency: d.money.currency } } : {}),
  ...(d.month ? { month: d.month } : {}),
});

async function insertOnce(model: Model<never>, document: object): Promise<boolean> {
  try {
    await model.collection.insertOne(document as never);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export class NoticeRepository {
  private readonly notices: Model<NoticeDocument>;
  private readonly emails: Model<OutgoingEmailDocument>;

  constructor(store: Store) {
    this.notices = noticeModel(store.connection);
    this.emails = outgoingEmailModel(store.connection);
  }

  async init(): Promise<this> {
    await Promise.all([this.notices.createIndexes(), this.emails.createIndexes()]);
    return this;
  }

  /** Records the notice; false when it was recorded before (the same event again). */
  add(notice: AppointmentNotice): Promise<boolean> {
    const { noticeId, previousStartsAt, reminderId, ...fields } = notice;
    return insertOnce(this.notices as never, {
      _id: noticeId,
      ...fields,
      previousStartsAt: previousStartsAt ?? null,
      reminderId: reminderId ?? null,
      state: 'pending',
      outcome: '',
      claimedUntil: new Date(0),
      doneAt: null,
    });
  }

  /** Notices with emails still to send that nobody holds, oldest first. */
  async pending(limit: number): Promise<AppointmentNotice[]> {
    const documents = await this.notices
      .find({ state: 'pending', claimedUntil: { $lte: new Date() } })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean<NoticeDocument[]>();
    return documents.map(noticeOf);
  }

  /**
   * Holds the notice for `leaseMs` so another replica leaves it alone meanwhile; false when
   * someone else holds it or it is done. Real time, not the service's clock: it is about processes.
   */
  async claim(noticeId: string, leaseMs: number): Promise<boolean> {
    const now = new Date();
    const result = await this.notices.updateOne(
      { _id: noticeId, state: 'pending', claimedUntil: { $lte: now } },
      { $set: { claimedUntil: new Date(now.getTime() + leaseMs) } },
    );
    return result.modifiedCount === 1;
  }

  /** Gives the notice up at once (its sending failed), so the next round may try it again. */
  async release(noticeId: string): Promise<void> {
    await this.notices.updateOne({ _id: noticeId, state: 'pending' }, { $set: { claimedUntil: new Date(0) } });
  }

  async done(noticeId: string, outcome: string, at: Date): Promise<void> {
    await this.notices.updateOne({ _id: noticeId }, { $set: { state: 'done', outcome, doneAt: at } });
  }

  /** Records one email per recipient of the notice, each only once. */
  async recordEmails(noticeId: string, recipientIds: string[], at: Date): Promise<void> {
    for (const recipientId of recipientIds)
      await insertOnce(this.emails as never, {
        _id: outgoingEmailId(noticeId, recipientId),
        noticeId,
        recipientId,
        state: 'pending',
        reason: '',
        attempts: 0,
        createdAt: at,
        sentAt: null,
      });
  }

  async pendingEmails(noticeId: string): Promise<{ emailId: string; recipientId: string; attempts: number }[]> {
    const documents = await this.emails.find({ noticeId, state: 'pending' }).sort({ _id: 1 }).lean<OutgoingEmailDocument[]>();
    return documents.map((d) => ({ emailId: d._id, recipientId: d.recipientId, attempts: d.attempts }));
  }

  /** Ends a pending email: sent, skipped (and why) or failed for good (and why). */
  async settleEmail(emailId: string, state: Exclude<OutgoingEmailState, 'pending'>, at: Date, reason = ''): Promise<void> {
    await this.emails.updateOne(
      { _id: emailId, state: 'pending' },
      { $set: { state, reason, ...(state === 'sent' ? { sentAt: at } : {}) }, $inc: { attempts: state === 'skipped' ? 0 : 1 } },
    );
  }

  async countAttempt(emailId: string, reason: string): Promise<void> {
    await this.emails.updateOne({ _id: emailId, state: 'pending' }, { $set: { reason }, $inc: { attempts: 1 } });
  }
}
