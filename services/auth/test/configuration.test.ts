// An operator who forgets the auth service's Keycloak client secret gets a process that refuses
// to start and names the variable, never one that fails at the first invitation.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@portico/testing';
import { describe, expect, it } from 'vitest';
import { authEnvironment } from './auth-service.js';

describe('the auth service with bad configuration', () => {
  it('refuses to start without KEYCLOAK_CLIENT_SECRET, exiting 78 with the variable named on stderr', () => {
    const { KEYCLOAK_CLIENT_SECRET: _secret, ...environment } = authEnvironment('test_auth_config');
    const result = spawnSync(process.execPath, [join(repoRoot, 'services/auth/dist/main.js')], {
      env: { PATH: process.env.PATH ?? '', ...environment, S3_SECRET_KEY: 'do-not-echo-me' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('refuses to start');
    expect(result.stderr).toContain('KEYCLOAK_CLIENT_SECRET is required');
    expect(result.stderr).not.toContain('do-not-echo-me');
    expect(result.stdout).toBe('');
  });

  it('lists every wrong variable at once', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'services/auth/dist/main.js')], {
      env: { PATH: process.env.PATH ?? '', OIDC_ISSUER: 'http://127.0.0.1:8180/realms/portico', SMTP_URL: 'mail.example:25' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    for (const name of [
      'MONGO_URL',
      'KAFKA_BROKERS',
      'KEYCLOAK_CLIENT_SECRET',
      'S3_ENDPOINT',
      'S3_ACCESS_KEY',
      'S3_SECRET_KEY',
      'SMTP_URL',
    ])
      expect(result.stderr).toContain(name);
  });
});
