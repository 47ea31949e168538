// Configuration comes only from environment variables, read once per process and validated at
// start. A process with bad configuration refuses to start and lists every problem at once.
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    // Never echo the value: it may be a secret.
    return issue.code === 'invalid_type' && issue.input === undefined ? `${name} is required` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** loadConfig for a main module: on failure prints the list and exits with status 78 (EX_CONFIG). */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${process.env.OTEL_SERVICE_NAME ?? 'portico'} refuses to start: ${error.message}\n`);
    process.exit(78);
  }
}

// 0 asks the system for a free port (tests); for METRICS_PORT it turns the endpoint off.
const port = z.coerce.number().int().min(0).max(65535);
const url = z.string().url();
const brokers = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'each broker must be host:port')).min(1));

/** The variables every Portico process reads. */
export const baseEnv = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_PORT: port.default(9464),
  /** 127.0.0.1 on a developer's machine; 0.0.0.0 in a pod, so probes and Prometheus reach it. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  OIDC_ISSUER: url,
  /** Where to fetch signing keys when it differs from the issuer's own (the back channel in Kubernetes). */
  OIDC_JWKS_URL: url.optional(),
  OIDC_AUDIENCE: z.string().min(1).default('portico-api'),
});

/** The variables every domain service reads on top of baseEnv. */
export const serviceEnv = baseEnv.extend({
  GRPC_PORT: port.default(50051),
  GRPC_HOST: z.string().min(1).default('127.0.0.1'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
  KAFKA_BROKERS: brokers,
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});

export { z, port, url, brokers };
