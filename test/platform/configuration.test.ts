// An operator who forgets a variable gets a process that refuses to start and says what is
// missing, all at once — not a crash minutes later.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@portico/testing';
import { describe, expect, it } from 'vitest';

function start(entry: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [join(repoRoot, entry)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('a process with bad configuration', () => {
  it('contacts refuses to start and lists every missing or wrong variable', () => {
    const result = start('services/contacts/dist/main.js', {
      KAFKA_BROKERS: 'localhost',
      OIDC_ISSUER: 'http://127.0.0.1:8180/realms/portico',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('refuses to start');
    expect(result.stderr).toContain('MONGO_URL is required');
    expect(result.stderr).toContain('KAFKA_BROKERS');
    expect(result.stdout).toBe('');
  });

  it('the gateway refuses to start without the address of the contacts service', () => {
    const result = start('gateway/dist/main.js', { OIDC_ISSUER: 'http://127.0.0.1:8180/realms/portico' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('CONTACTS_GRPC_URL is required');
  });
});
