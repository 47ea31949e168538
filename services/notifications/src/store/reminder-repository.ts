// Each appointment's reminder, replaced when the appointment moves and ended when it is cancelled
// or its time comes. Writes to one appointment's reminder go one at a time (the kit's document
// lock: FerretDB does not apply concurrent updates of one document atomically) and follow the
// appointment's version, so an event delivered again or late never brings back an old reminder.
import { withDocumentLock } from '@portico/kit/mongo';
import type { Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { AppointmentReminder, ReminderState } from '../domain/reminder.js';
import { REMINDERS, reminderModel, type ReminderDocument } from './notification-models.js';

const reminderOf = ({ _id, ...fields }: ReminderDocument): AppointmentReminder => ({ appointmentId: _id, ...fields });

export class ReminderRepository {
  private readonly reminders: Model<ReminderDocument>;

  constructor(store: Store) {
    this.reminders = reminderModel(store.connection);
  }

  async init(): Promise<this> {
    await this.reminders.createIndexes();
    return this;
  }

  find(appointmentId: string): Promise<AppointmentReminder | undefined> {
    return this.reminders
      .findById(appointmentId)
      .lean<ReminderDocument>()
      .then((d) => (d ? reminderOf(d) : undefined));
  }

  /**
   * Makes `reminder` the appointment's, unless what is kept follows the same or a later version.
   * True when it was kept.
   */
  save(reminder: AppointmentReminder): Promise<boolean> {
    const { appointmentId, ...fields } = reminder;
    return withDocumentLock(REMINDERS, appointmentId, async () => {
      const kept = await this.reminders.findById(appointmentId, { version: 1 }).lean<{ version: number }>();
      if (kept && kept.version >= reminder.version) return false;
      if (kept) await this.reminders.replaceOne({ _id: appointmentId, version: kept.version }, fields);
      else await this.reminders.collection.insertOne({ _id: appointmentId, ...fields } as never);
      return true;
    });
  }

  /** Waiting reminders whose time has come, earliest first. */
  async due(now: Date, limit: number): Promise<AppointmentReminder[]> {
    const documents = await this.reminders
      .find({ state: 'waiting', dueAt: { $lte: now } })
      .sort({ dueAt: 1, _id: 1 })
      .limit(limit)
      .lean<ReminderDocument[]>();
    return documents.map(reminderOf);
  }

  /** Ends a waiting reminder; false when it moved or was cancelled meanwhile. */
  settle(reminder: AppointmentReminder, state: Extract<ReminderState, 'sent' | 'missed'>, at: Date): Promise<boolean> {
    return withDocumentLock(REMINDERS, reminder.appointmentId, async () => {
      const result = await this.reminders.updateOne(
        { _id: reminder.appointmentId, reminderId: reminder.reminderId, state: 'waiting' },
        { $set: { state, updatedAt: at } },
      );
      return result.modifiedCount === 1;
    });
  }
}
