// The contracts stay sound: buf lint passes, nothing breaks compatibility with main, and the
// committed generated code is exactly what the proto files generate.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '@portico/testing';
import { describe, expect, it } from 'vitest';

const buf = join(repoRoot, 'node_modules/.bin/buf');
const run = (args: string[], cwd = repoRoot) =>
  spawnSync(buf, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(repoRoot, 'node_modules/.bin')}:${process.env.PATH}` },
  });

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
}

describe('contracts', () => {
  it('pass buf lint', () => {
    const result = run(['lint', 'proto']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('break nothing against main', () => {
    const hasMain = spawnSync('git', ['rev-parse', '--verify', 'main'], { cwd: repoRoot }).status === 0;
    expect(hasMain).toBe(true);
    const result = run(['breaking', 'proto', '--against', `${repoRoot}.git#branch=main,subdir=proto`]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('generate exactly the committed code', () => {
    const out = mkdtempSync(join(tmpdir(), 'portico-gen-'));
    try {
      cpSync(join(repoRoot, 'proto'), join(out, 'proto'), { recursive: true });
      cpSync(join(repoRoot, 'buf.gen.yaml'), join(out, 'buf.gen.yaml'));
      const result = run(['generate'], out);
      expect(result.stderr).toBe('');
      const generated = join(out, 'packages/contracts/src/gen');
      const committed = join(repoRoot, 'packages/contracts/src/gen');
      const names = files(generated)
        .map((f) => relative(generated, f))
        .sort();
      expect(names).toEqual(
        files(committed)
          .map((f) => relative(committed, f))
          .sort(),
      );
      for (const name of names) expect(readFileSync(join(generated, name), 'utf8'), name).toBe(readFileSync(join(committed, name), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
