// How the notifications service keeps its work in its own database: the notices it owes people
// (one per appointment event or reminder), each email of a notice (pending until the SMTP server
// took it), each appointment's reminder, and what people and clinics chose. No addresses and no
// email bodies are kept: both are made again from the auth service's answer when sending.
import { mongoose, type Connection } from '@portico/kit/mongo';
import type { NoticeKind, VisitMode } from '../domain/appointment-notice.js';
import type { ReminderState } from '../domain/reminder.js';

export interface NoticeDocument {
  _id: string;
  kind: NoticeKind;
  appointmentId: string;
  patientId: string;
  clinicId: string;
  startsAt: Date;
  previousStartsAt: Date | null;
  timeZone: string;
  mode: VisitMode;
  reminderId: string | null;
  /** Billing notices: the amount and its currency, and a statement's month. */
  money?: { amountMinor: number; currency: string } | null;
  month?: string | null;
  /** pending until every email of it is sent or skipped. */
  state: 'pending' | 'done';
  /** Why it ended without emails (no such patient, the reminder was superseded), when it did. */
  outcome: string;
  /** A replica working on it holds it until then (see NoticeRepository.claim). */
  claimedUntil: Date;
  createdAt: Date;
  doneAt: Date | null;
}

export type OutgoingEmailState = 'pending' | 'sent' | 'skipped' | 'failed';

export interface OutgoingEmailDocument {
  /** `<notice id>/<recipient id>`: the same email can only be recorded once. */
  _id: string;
  noticeId: string;
  recipientId: string;
  state: OutgoingEmailState;
  /** Why it was skipped or failed, in a few words; never an address. */
  reason: string;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
}

export interface ReminderDocument {
  /** The appointment's id: one reminder per appointment, replaced when it moves. */
  _id: string;
  version: number;
  reminderId: string;
  patientId: string;
  clinicId: string;
  startsAt: Date;
  timeZone: string;
  mode: VisitMode;
  dueAt: Date;
  state: ReminderState;
  updatedAt: Date;
}

export interface PreferencesDocument {
  /** The person's Keycloak id (their token's subject). */
  _id: string;
  appointmentEmails: boolean;
  updatedAt: Date;
}

export interface ClinicSettingsDocument {
  _id: string;
  reminderLeadHours: number;
  updatedAt: Date;
}

export const NOTICES = 'notices';
export const OUTGOING_EMAILS = 'outgoing_emails';
export const REMINDERS = 'reminders';

const noticeSchema = new mongoose.Schema<NoticeDocument>(
  {
    _id: { type: String, required: true },
    kind: {
      type: String,
      enum: [
        'scheduled',
        'rescheduled',
        'cancelled',
        'reminder',
        'shared',
        'screening_flagged',
        'consent_assigned',
        'form_assigned',
        'payment_receipt',
        'statement_ready',
      ],
      required: true,
    },
    appointmentId: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, default: '' },
    startsAt: { type: Date, required: true },
    previousStartsAt: { type: Date, default: null },
    timeZone: { type: String, required: true },
    mode: { type: String, enum: ['in_person', 'video', 'unspecified'], required: true },
    reminderId: { type: String, default: null },
    money: { type: { amountMinor: Number, currency: String }, default: null, _id: false },
    month: { type: String, default: null },
    state: { type: String, enum: ['pending', 'done'], required: true },
    outcome: { type: String, default: '' },
    claimedUntil: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    doneAt: { type: Date, default: null },
  },
  { collection: NOTICES, versionKey: false },
);
noticeSchema.index({ state: 1, createdAt: 1 });

const outgoingEmailSchema = new mongoose.Schema<OutgoingEmailDocument>(
  {
    _id: { type: String, required: true },
    noticeId: { type: String, required: true },
    recipientId: { type: String, required: true },
    state: { type: String, enum: ['pending', 'sent', 'skipped', 'failed'], required: true },
    reason: { type: String, default: '' },
    attempts: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { collection: OUTGOING_EMAILS, versionKey: false },
);
outgoingEmailSchema.index({ noticeId: 1, state: 1 });

const reminderSchema = new mongoose.Schema<ReminderDocument>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    reminderId: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, default: '' },
    startsAt: { type: Date, required: true },
    timeZone: { type: String, required: true },
    mode: { type: String, enum: ['in_person', 'video', 'unspecified'], required: true },
    dueAt: { type: Date, required: true },
    state: { type: String, enum: ['waiting', 'sent', 'not_needed', 'cancelled', 'missed'], required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: REMINDERS, versionKey: false },
);
reminderSchema.index({ state: 1, dueAt: 1 });

const preferencesSchema = new mongoose.Schema<PreferencesDocument>(
  {
    _id: { type: String, required: true },
    appointmentEmails: { type: Boolean, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'notification_preferences', versionKey: false },
);

const clinicSettingsSchema = new mongoose.Schema<ClinicSettingsDocument>(
  {
    _id: { type: String, required: true },
    reminderLeadHours: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'clinic_notification_settings', versionKey: false },
);

const modelOf = <D>(connection: Connection, name: string, schema: mongoose.Schema<D>) =>
  (connection.models[name] ?? connection.model<D>(name, schema)) as mongoose.Model<D>;

export const noticeModel = (c: Connection) => modelOf(c, 'Notice', noticeSchema);
export const outgoingEmailModel = (c: Connection) => modelOf(c, 'OutgoingEmail', outgoingEmailSchema);
export const reminderModel = (c: Connection) => modelOf(c, 'Reminder', reminderSchema);
export const preferencesModel = (c: Connection) => modelOf(c, 'NotificationPreferences', preferencesSchema);
export const clinicSettingsModel = (c: Connection) => modelOf(c, 'ClinicNotificationSettings', clinicSettingsSchema);
