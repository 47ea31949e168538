// What each person chose about their emails (by their Keycloak id) and each clinic's reminder
// lead time; the defaults for anyone who never chose.
import { upsertRetried, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import {
  DEFAULT_CLINIC_SETTINGS,
  DEFAULT_PREFERENCES,
  type ClinicNotificationSettings,
  type NotificationPreferences,
} from '../domain/settings.js';
import { clinicSettingsModel, preferencesModel, type ClinicSettingsDocument, type PreferencesDocument } from './notification-models.js';

export class SettingsRepository {
  private readonly preferences: Model<PreferencesDocument>;
  private readonly clinics: Model<ClinicSettingsDocument>;

  constructor(store: Store) {
    this.preferences = preferencesModel(store.connection);
    this.clinics = clinicSettingsModel(store.connection);
  }

  async init(): Promise<this> {
    await Promise.all([this.preferences.createIndexes(), this.clinics.createIndexes()]);
    return this;
  }

  async preferencesOf(userId: string): Promise<NotificationPreferences> {
    const kept = await this.preferences.findById(userId).lean<PreferencesDocument>();
    return kept ? { appointmentEmails: kept.appointmentEmails } : { ...DEFAULT_PREFERENCES };
  }

  /** Each person's choices, the default for those who never chose. */
  async preferencesOfMany(userIds: string[]): Promise<Map<string, NotificationPreferences>> {
    const kept = await this.preferences.find({ _id: { $in: userIds } }).lean<PreferencesDocument[]>();
    const byId = new Map(kept.map((d) => [d._id, { appointmentEmails: d.appointmentEmails }]));
    return new Map(userIds.map((id) => [id, byId.get(id) ?? { ...DEFAULT_PREFERENCES }]));
  }

  async savePreferences(userId: string, preferences: NotificationPreferences, at: Date): Promise<NotificationPreferences> {
    await upsertRetried(() => this.preferences.updateOne({ _id: userId }, { $set: { ...preferences, updatedAt: at } }, { upsert: true }));
    return preferences;
  }

  async clinicSettings(clinicId: string): Promise<ClinicNotificationSettings> {
    const kept = await this.clinics.findById(clinicId).lean<ClinicSettingsDocument>();
    return kept ? { reminderLeadHours: kept.reminderLeadHours } : { ...DEFAULT_CLINIC_SETTINGS };
  }

  async saveClinicSettings(clinicId: string, settings: ClinicNotificationSettings, at: Date): Promise<ClinicNotificationSettings> {
    await upsertRetried(() => this.clinics.updateOne({ _id: clinicId }, { $set: { ...settings, updatedAt: at } }, { upsert: true }));
    return settings;
  }
}
