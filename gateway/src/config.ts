// Everything the gateway reads from its environment, validated once at start.
import { baseEnv, loadConfigOrExit, port, z } from '@portico/kit/config';

const grpcAddress = z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port');

export const gatewayEnv = baseEnv.extend({
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(8000),
  CONTACTS_GRPC_URL: grpcAddress,
  /** Largest request body accepted; contacts are small, uploads will get their own route. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Behind an ingress, trust its X-Forwarded-For to learn the client address. */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  GRPC_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
});

export type GatewayConfig = z.infer<typeof gatewayEnv>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => loadConfigOrExit(gatewayEnv, env);
