// What people set about the portal's emails, kept by the notifications service: a patient's or a
// guardian's own choice of appointment emails, and the clinic's reminder lead time (staff).
import type { NotificationsService } from '@portico/contracts/gen/portico/notifications/v1/notifications_pb';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceClient } from '@portico/kit/grpc';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { problemResponses, ref } from '../http/schemas.js';
import { callMetadata } from './call-metadata.js';

export type NotificationsClient = ServiceClient<(typeof NotificationsService)['method']>;

export const NotificationPreferencesView = Type.Object(
  {
    appointmentEmails: Type.Boolean({ description: 'Scheduled, rescheduled, cancelled and reminder emails; on unless turned off' }),
  },
  { $id: 'NotificationPreferences', additionalProperties: false, description: 'The emails the logged-in person wants' },
);

export const ClinicNotificationSettingsView = Type.Object(
  {
    reminderLeadHours: Type.Integer({
      minimum: 1,
      maximum: 168,
      description: 'How long before an appointment its reminder goes out; 24 unless set',
    }),
  },
  { $id: 'ClinicNotificationSettings', additionalProperties: false, description: 'The clinic’s email settings' },
);

export const notificationSchemas = [NotificationPreferencesView, ClinicNotificationSettingsView];

const tags = ['Notifications'];

function answered<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`service answered without its ${what}`);
  return value;
}
const changed = problemResponses(400, 413, 415);

/** The logged-in person's own preferences (a patient or a guardian, for themself). */
export function notificationRoutes(app: FastifyInstance, client: NotificationsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const path = '/api/v1/me/notification-preferences';
  api.get(path, { schema: { tags, summary: 'The emails I get', response: { 200: ref(NotificationPreferencesView) } } }, async (request) => {
    const { preferences } = await client.getMyNotificationPreferences({}, { metadata: callMetadata(request) });
    return { appointmentEmails: answered(preferences, 'preferences').appointmentEmails };
  });
  api.put(
    path,
    {
      schema: {
        tags,
        summary: 'Choose the emails I get',
        body: ref(NotificationPreferencesView),
        response: { 200: ref(NotificationPreferencesView), ...changed },
      },
    },
    async (request) => {
      const { preferences } = await client.updateMyNotificationPreferences(
        { preferences: { appointmentEmails: request.body.appointmentEmails } },
        { metadata: callMetadata(request) },
      );
      return { appointmentEmails: answered(preferences, 'preferences').appointmentEmails };
    },
  );
}

/** The clinic's settings, in the staff scope: patients and guardians are refused before their body is read. */
export function staffNotificationRoutes(app: FastifyInstance, client: NotificationsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const path = '/api/v1/staff/notification-settings';
  api.get(
    path,
    { schema: { tags, summary: 'The clinic’s email settings', response: { 200: ref(ClinicNotificationSettingsView) } } },
    async (request) => {
      const { settings } = await client.getClinicNotificationSettings({}, { metadata: callMetadata(request) });
      return { reminderLeadHours: answered(settings, 'settings').reminderLeadHours };
    },
  );
  api.put(
    path,
    {
      schema: {
        tags,
        summary: 'Change the clinic’s email settings',
        body: ref(ClinicNotificationSettingsView),
        response: { 200: ref(ClinicNotificationSettingsView), ...changed },
      },
    },
    async (request) => {
      const { settings } = await client.updateClinicNotificationSettings(
        { settings: { reminderLeadHours: request.body.reminderLeadHours } },
        { metadata: callMetadata(request) },
      );
      return { reminderLeadHours: answered(settings, 'settings').reminderLeadHours };
    },
  );
}
