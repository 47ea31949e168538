// Everything the auth service reads from its environment, validated once at start.
import { port, serviceEnv, url, z } from '@portico/kit/config';
import { mailEnv } from '@portico/kit/mail';
import { objectStoreEnv } from '@portico/kit/objects';

export const authEnv = serviceEnv
  .extend({
    GRPC_PORT: port.default(50052),
    MONGO_DB: z.string().min(1).default('portico_auth'),
    KAFKA_CLIENT_ID: z.string().min(1).default('portico-auth'),
    /**
     * Keycloak's base URL for the admin API (the back channel). When unset it is read from
     * OIDC_JWKS_URL, else OIDC_ISSUER: everything before `/realms/`.
     */
    KEYCLOAK_URL: url.optional(),
    /** When unset, the realm named in OIDC_ISSUER. */
    KEYCLOAK_REALM: z.string().min(1).optional(),
    KEYCLOAK_CLIENT_ID: z.string().min(1).default('portico-auth'),
    /** The portico-auth client's secret, for the client credentials grant. */
    KEYCLOAK_CLIENT_SECRET: z.string().min(1),
    S3_BUCKET: z.string().min(3).default('portico-auth'),
    /** How often PENDING invitations past their expiry are looked for. */
    INVITATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
  })
  .extend(objectStoreEnv.shape)
  .extend(mailEnv.shape)
  .transform((config, ctx) => {
    const realmUrl = /^(?<base>.+?)\/realms\/(?<realm>[^/]+)/.exec(config.OIDC_JWKS_URL ?? config.OIDC_ISSUER)?.groups;
    const keycloakUrl = (config.KEYCLOAK_URL ?? realmUrl?.base ?? '').replace(/\/$/, '');
    const keycloakRealm = config.KEYCLOAK_REALM ?? realmUrl?.realm ?? '';
    if (!keycloakUrl || !keycloakRealm)
      ctx.addIssue({ code: 'custom', path: ['KEYCLOAK_URL'], message: 'is required when OIDC_ISSUER does not name a realm' });
    return { ...config, KEYCLOAK_URL: keycloakUrl, KEYCLOAK_REALM: keycloakRealm };
  });

export type AuthConfig = z.infer<typeof authEnv>;
