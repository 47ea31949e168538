// Everything the notifications service reads from its environment, validated once at start.
import { serviceEnv, z } from '@portico/kit/config';
import { serviceCredentialsEnv, tokenEndpointOf } from '@portico/kit/identity';
import { mailEnv } from '@portico/kit/mail';

export const notificationsEnv = serviceEnv
  .extend({
    MONGO_DB: z.string().min(1).default('portico_notifications'),
    KAFKA_CLIENT_ID: z.string().min(1).default('portico-notifications'),
    /** The auth service: whom to email about a patient, and the clinic's name, phone and logo. */
    AUTH_GRPC_URL: z.string().min(1),
    /** This service's own Keycloak client (client credentials; the realm gives it the `service` role). */
    NOTIFICATIONS_CLIENT_ID: z.string().min(1).default('portico-notifications'),
    /** The development realm's secret by default; a cluster's Secret sets the one Keycloak generated. */
    NOTIFICATIONS_CLIENT_SECRET: z.string().min(1).default('portico-notifications-dev-secret'),
    /**
     * The Kafka consumer group; the database's name when unset. Which events became emails is kept
     * in that database, so a new database starts a new group.
     */
    NOTIFICATIONS_CONSUMER_GROUP: z.string().min(1).optional(),
    /**
     * Where a new consumer group starts on the appointments topic (a group that has read before
     * carries on where it stopped): `earliest`, `latest` (from now on) or an ISO instant.
     */
    NOTIFICATIONS_CONSUMER_START: z.union([z.enum(['earliest', 'latest']), z.iso.datetime({ offset: true })]).default('earliest'),
    /** How often reminders that have come due are looked for. */
    REMINDER_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
    /** How often emails still waiting (SMTP or the auth service was down) are tried again, at most. */
    EMAIL_RETRY_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  })
  .extend(serviceCredentialsEnv)
  .extend(mailEnv.shape)
  .transform((config) => ({ ...config, OIDC_TOKEN_URL: config.OIDC_TOKEN_URL ?? tokenEndpointOf(config.OIDC_ISSUER) }));

export type NotificationsConfig = z.infer<typeof notificationsEnv>;
