// The auth service: users as Portico sees them, invitations and their welcome emails, guardian
// links and the organisation profile, behind gRPC, publishing its facts to Kafka.
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { registration } from '@portico/kit/grpc';
import { isMainModule } from '@portico/kit/lifecycle';
import { createMailer } from '@portico/kit/mail';
import { openObjectStore } from '@portico/kit/objects';
import { defineService, startService, type StartOptions } from '@portico/kit/runtime';
import { authEnv, type AuthConfig } from './config.js';
import { MAX_UPLOAD_BYTES } from './domain/uploads.js';
import { authHandlers } from './grpc/auth-handlers.js';
import { InvitationExpirySweeper } from './invitations/expiry-sweeper.js';
import { keycloakAdminOf } from './keycloak/keycloak-admin.js';
import { welcomeMailer } from './mail/welcome-mailer.js';
import { authRepositories, AUTH_OUTBOX } from './store/auth-store.js';

export type AuthServiceOptions = StartOptions;

export const startAuthService = (config: AuthConfig, options: AuthServiceOptions = {}) =>
  startService({ name: 'auth', config, options, outbox: AUTH_OUTBOX }, async ({ store, logger, lifecycle, clock, verify, outbox }) => {
    const repositories = await authRepositories(store);
    const objects = await openObjectStore(config, logger);
    const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
    lifecycle.onShutdown('mailer', () => mailer.close());
    const keycloak = keycloakAdminOf(config, logger);
    const sweeper = new InvitationExpirySweeper({
      ...repositories,
      keycloak,
      clock,
      logger,
      intervalMs: config.INVITATION_SWEEP_INTERVAL_MS,
    });
    const welcome = welcomeMailer({ mailer, objects, logger });
    const handlers = authHandlers({
      ...repositories,
      objects,
      keycloak,
      welcome,
      clock,
      logger,
      verify,
      recordEvents: outbox.record,
      nudgeRelay: outbox.nudge,
    });
    // Keycloak, the object store and SMTP being down fail only the calls that need them
    // (UNAVAILABLE); reading the profile still works, so only MongoDB decides readiness.
    return {
      grpc: [registration(AuthService, handlers)],
      jobs: [sweeper.job],
      // An upload arrives in one message: the file plus a little framing.
      maxReceiveMessageBytes: MAX_UPLOAD_BYTES + 64 * 1024,
      exports: { sweeper, objects },
    };
  });

export const authService = defineService({ name: 'auth', config: authEnv, start: startAuthService });

if (isMainModule(import.meta.url)) await authService.main();
