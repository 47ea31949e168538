// The shapes the gateway answers with, as its OpenAPI document declares them (api-types.ts,
// generated): the app names the ones it passes around.
import type { components } from './api-types';

type Schemas = components['schemas'];

export type Me = Schemas['Me'];
export type PatientRef = Me['patients'][number];
export type Organisation = Schemas['Organisation'];
export type PostalAddress = NonNullable<Schemas['ContactInput']['address']>;
export type Contact = Schemas['Contact'];
export type ContactInput = Schemas['ContactInput'];
export type Purpose = ContactInput['purposes'][number];
export type Invitation = Schemas['Invitation'];
export type PortalUser = Schemas['PortalUser'];
export type ClinicPatient = Schemas['ClinicPatient'];
export type Appointment = Schemas['Appointment'];
export type CalendarFeed = Schemas['CalendarFeed'];
export type CalendarFeedStatus = Schemas['CalendarFeedStatus'];
export type NotificationPreferences = Schemas['NotificationPreferences'];
export type ClinicNotificationSettings = Schemas['ClinicNotificationSettings'];
export type ClinicalDocument = Schemas['ClinicalDocument'];
export type Resource = Schemas['Resource'];
export type Upload = Schemas['Upload'];

/** The roles the portal knows; the gateway sends them as plain strings. */
export const roles = ['patient', 'guardian', 'staff'] as const;
export type Role = (typeof roles)[number];
export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);
export type Coverage = Schemas['Coverage'];
export type CoverageInput = Schemas['CoverageInput'];
export type CoverageChange = Schemas['CoverageChange'];
