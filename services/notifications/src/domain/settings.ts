// What people choose about their emails, and what a clinic sets about its reminders. No I/O here.
import { validate } from '@portico/kit/domain';
import { z } from 'zod';
import { DEFAULT_LEAD_HOURS } from './reminder.js';

export interface NotificationPreferences {
  /** Scheduled, rescheduled, cancelled and reminder emails. */
  appointmentEmails: boolean;
}

/** Everyone gets appointment emails until they turn them off. */
export const DEFAULT_PREFERENCES: NotificationPreferences = { appointmentEmails: true };

export interface ClinicNotificationSettings {
  reminderLeadHours: number;
}

export const DEFAULT_CLINIC_SETTINGS: ClinicNotificationSettings = { reminderLeadHours: DEFAULT_LEAD_HOURS };

/** A week at most: a reminder further ahead is forgotten before the day. */
export const MAX_LEAD_HOURS = 168;

const clinicSettings = z.object({
  reminder_lead_hours: z
    .number()
    .int('must be a whole number of hours')
    .min(1, `must be from 1 to ${MAX_LEAD_HOURS} hours`)
    .max(MAX_LEAD_HOURS, `must be from 1 to ${MAX_LEAD_HOURS} hours`),
});

export function validateClinicSettings(submitted: { reminderLeadHours: number }): ClinicNotificationSettings {
  const valid = validate(clinicSettings, { reminder_lead_hours: submitted.reminderLeadHours }, 'settings', {
    field: (path) => `settings.${path}`,
  });
  return { reminderLeadHours: valid.reminder_lead_hours };
}
