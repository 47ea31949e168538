import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, serviceEnv } from './index.js';

describe('configuration', () => {
  it('lists every problem at once, without echoing values', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(serviceEnv, { GRPC_PORT: 'ninety', KAFKA_BROKERS: 'no-port', OIDC_ISSUER: 'secret-not-a-url' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.join('\n')).toMatch(/MONGO_URL is required/);
    expect(error!.problems.some((p) => p.startsWith('GRPC_PORT'))).toBe(true);
    expect(error!.problems.some((p) => p.startsWith('KAFKA_BROKERS'))).toBe(true);
    expect(error!.problems.some((p) => p.startsWith('OIDC_ISSUER'))).toBe(true);
    expect(error!.message).not.toContain('secret-not-a-url');
  });

  it('applies defaults and splits the broker list', () => {
    const config = loadConfig(serviceEnv, {
      MONGO_URL: 'mongodb://db:27017',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      OIDC_ISSUER: 'http://kc/realms/portico',
    });
    expect(config).toMatchObject({
      GRPC_PORT: 50051,
      KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
      OIDC_AUDIENCE: 'portico-api',
      LOG_LEVEL: 'info',
    });
  });
});
