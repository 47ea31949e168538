// The NotificationsService handlers: a patient's or guardian's own email choices (keyed by their
// token's subject, so nobody reads or changes another's), and the clinic's reminder lead time,
// which only its staff read and change.
import type { NotificationsService } from '@portico/contracts/gen/portico/notifications/v1/notifications_pb';
import { InvalidInput, NotPermitted, type Clock } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { authenticate, authoriseStaff, type RequestContext } from '@portico/kit/requests';
import { validateClinicSettings } from '../domain/settings.js';
import type { SettingsRepository } from '../store/settings-repository.js';

const SETTINGS = 'notification_settings';

/** The caller, when they are someone emails about appointments go to: a patient or a guardian. */
async function emailRecipient(ctx: RequestContext): Promise<string> {
  const principal = await authenticate(ctx);
  if (!principal.roles.includes('patient') && !principal.roles.includes('guardian'))
    throw new NotPermitted('only patients and guardians have email preferences');
  return principal.subject;
}

export function notificationsHandlers(deps: {
  settings: SettingsRepository;
  clock: Clock;
}): ServiceHandlers<(typeof NotificationsService)['method']> {
  const { settings } = deps;
  return {
    async getMyNotificationPreferences(_request, ctx) {
      return { preferences: await settings.preferencesOf(await emailRecipient(ctx)) };
    },

    async updateMyNotificationPreferences(request, ctx) {
      const userId = await emailRecipient(ctx);
      if (!request.preferences) throw new InvalidInput('request', [{ field: 'preferences', message: 'is required' }]);
      const saved = await settings.savePreferences(userId, { appointmentEmails: request.preferences.appointmentEmails }, deps.clock());
      return { preferences: saved };
    },

    async getClinicNotificationSettings(_request, ctx) {
      const caller = await authoriseStaff(ctx, { action: 'notification_settings.get', resourceType: SETTINGS });
      return { settings: await settings.clinicSettings(caller.clinicId) };
    },

    async updateClinicNotificationSettings(request, ctx) {
      const caller = await authoriseStaff(ctx, { action: 'notification_settings.update', resourceType: SETTINGS });
      if (!request.settings) throw new InvalidInput('request', [{ field: 'settings', message: 'is required' }]);
      const valid = validateClinicSettings(request.settings);
      return { settings: await settings.saveClinicSettings(caller.clinicId, valid, deps.clock()) };
    },
  };
}
