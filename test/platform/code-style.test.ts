// The whole tree keeps one style: ESLint (with typescript-eslint) and Prettier both pass.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@portico/testing';
import { describe, expect, it } from 'vitest';

const tool = (name: string, args: string[]) =>
  spawnSync(join(repoRoot, 'node_modules/.bin', name), args, { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });

describe('code style', () => {
  it('passes ESLint', () => {
    const result = tool('eslint', ['.']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 300_000);

  it('passes Prettier', () => {
    const result = tool('prettier', ['--check', '.', '--log-level', 'warn']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 300_000);
});
