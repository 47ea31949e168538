// The contracts stay sound: buf lint passes, nothing breaks compatibility with main except a move
// recorded in docs/decisions, and the committed generated code is exactly what the proto files generate.
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

/** The buf breaking findings decision records accept, one `RULE path: message` per line of a buf-breaking-accepted block. */
function acceptedBreakingChanges(): Set<string> {
  const decisions = join(repoRoot, 'docs/decisions');
  const blocks = readdirSync(decisions)
    .filter((name) => name.endsWith('.md'))
    .flatMap((name) => [...readFileSync(join(decisions, name), 'utf8').matchAll(/```buf-breaking-accepted\n([\s\S]*?)```/g)]);
  return new Set(blocks.flatMap((block) => block[1]!.split('\n').filter(Boolean)));
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
}

describe('contracts', () => {
  it('pass buf lint', () => {
    const result = run(['lint', 'proto']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('break nothing against main but what a decision record accepts', () => {
    const hasMain = spawnSync('git', ['rev-parse', '--verify', 'main'], { cwd: repoRoot }).status === 0;
    expect(hasMain).toBe(true);
    const result = run(['breaking', 'proto', '--against', `${repoRoot}.git#branch=main,subdir=proto`, '--error-format', 'json']);
    expect(result.stderr).toBe('');
    const findings = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; path: string; message: string })
      .map((f) => `${f.type} ${f.path}: ${f.message}`);
    const accepted = acceptedBreakingChanges();
    expect(findings.filter((finding) => !accepted.has(finding))).toEqual([]);
    expect(result.status === 0 || findings.length > 0).toBe(true);
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
