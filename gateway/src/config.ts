// Everything the gateway reads from its environment, validated once at start.
import { baseEnv, loadConfigOrExit, port, z } from '@portico/kit/config';
import { addressVariable, backendNames, type BackendAddresses } from './backends.js';

const grpcAddress = z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port');
const seconds = z.coerce.number().int().min(1);

/** One <NAME>_GRPC_URL per service in the table of backends. */
const backendAddresses = Object.fromEntries(backendNames.map((name) => [addressVariable(name), grpcAddress])) as {
  [K in keyof BackendAddresses]: typeof grpcAddress;
};

export const gatewayEnv = baseEnv.extend({
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(8000),
  /** The address people type into the browser; redirects and cookies are built from it. */
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:8000'),
  ...backendAddresses,
  /** The gateway's own database: browser sessions only, never domain data. */
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
  MONGO_DB: z.string().min(1).default('portico_gateway'),
  OIDC_CLIENT_ID: z.string().min(1).default('portico-gateway'),
  OIDC_CLIENT_SECRET: z.string().min(1),
  /** Seals tokens at rest and derives CSRF tokens; at least 32 characters of randomness. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
  SESSION_IDLE_SECONDS: seconds.default(15 * 60),
  SESSION_ABSOLUTE_SECONDS: seconds.default(12 * 60 * 60),
  /** Largest request body accepted; contacts are small, uploads get their own limits. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /**
   * How long the clinic's profile as Home shows it is kept per clinic (0: asked every time). A
   * change made through another gateway replica shows within this time; through this one, at once.
   */
  ORGANISATION_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** Behind an ingress, trust its X-Forwarded-For to learn the client address. */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  GRPC_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** How far a token's expiry may lag the gateway's clock; tests that see expiry happen set it low. */
  OIDC_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** The built web app (gateway/web/dist); served at / when present. */
  WEB_ROOT: z.string().min(1).optional(),
});

export type GatewayConfig = z.infer<typeof gatewayEnv>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => loadConfigOrExit(gatewayEnv, env);
