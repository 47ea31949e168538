// The notifications service: every email the platform sends from other services' events —
// appointment confirmations, changes, cancellations and reminders, and news that the clinic shared
// something in Documents — and the choices people and
// clinics make about them, behind gRPC.
import { NotificationsService } from '@portico/contracts/gen/portico/notifications/v1/notifications_pb';
import { registration } from '@portico/kit/grpc';
import { serviceTokenSource } from '@portico/kit/identity';
import { isMainModule } from '@portico/kit/lifecycle';
import { createMailer } from '@portico/kit/mail';
import { defineService, startService, type StartOptions } from '@portico/kit/runtime';
import { notificationsEnv, type NotificationsConfig } from './config.js';
import { emailDelivery } from './delivery/email-delivery.js';
import { authNotificationContexts } from './delivery/notification-contexts.js';
import { appointmentConsumer } from './events/appointment-consumer.js';
import { billingConsumer } from './events/billing-consumer.js';
import { documentConsumer } from './events/document-consumer.js';
import { notificationsHandlers } from './grpc/notifications-handlers.js';
import { reminderSweep } from './jobs/reminder-sweep.js';
import { notificationRepositories } from './store/notification-store.js';

export const startNotificationsService = (config: NotificationsConfig, options: StartOptions = {}) =>
  startService({ name: 'notifications', config, options, outbox: [] }, async (platform) => {
    const { lifecycle, logger, clock } = platform;
    const repositories = await notificationRepositories(platform.store);
    const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
    lifecycle.onShutdown('mailer', () => mailer.close());
    const tokens = serviceTokenSource({
      tokenUrl: config.OIDC_TOKEN_URL,
      clientId: config.NOTIFICATIONS_CLIENT_ID,
      clientSecret: config.NOTIFICATIONS_CLIENT_SECRET,
    });
    const contexts = authNotificationContexts({ address: config.AUTH_GRPC_URL, tokens, lifecycle });
    const delivery = emailDelivery({ ...repositories, contexts, mailer, logger, clock, intervalMs: config.EMAIL_RETRY_INTERVAL_MS });
    const groupId = config.NOTIFICATIONS_CONSUMER_GROUP ?? config.MONGO_DB;
    return {
      grpc: [registration(NotificationsService, notificationsHandlers({ settings: repositories.settings, clock }))],
      consumers: [
        appointmentConsumer(platform, { ...repositories, groupId, start: config.NOTIFICATIONS_CONSUMER_START, delivery }),
        documentConsumer(platform, { ...repositories, groupId, start: config.NOTIFICATIONS_CONSUMER_START, delivery }),
        billingConsumer(platform, { ...repositories, groupId, start: config.NOTIFICATIONS_CONSUMER_START, delivery }),
      ],
      jobs: [delivery, reminderSweep(platform, { ...repositories, intervalMs: config.REMINDER_SWEEP_INTERVAL_MS, delivery })],
      exports: { ...repositories, delivery, groupId },
    };
  });

export const notificationsService = defineService({ name: 'notifications', config: notificationsEnv, start: startNotificationsService });

if (isMainModule(import.meta.url)) await notificationsService.main();
