// What each image built by `make images` holds: its own deployable and the workspace libraries
// it links to, with exactly the production dependencies npm resolves for that workspace from the
// lock file, files owned by root, and the CMD that loads telemetry first. Starts containers
// (podman run --rm): run in the serial group.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo, run } from '../delivery/tools.js';
import { composeRunOptions, deployables, podman } from './podman.js';

const workspaceDir = (name: string) => (name === 'gateway' ? 'gateway' : `services/${name}`);

/** Runs a command in a throwaway container of the image, hardened as in production. */
function inImage(name: string, script: string): string {
  const { image, args } = composeRunOptions(name);
  const out = podman(['run', '--rm', '--network', 'none', ...args, '--entrypoint', 'sh', image, '-c', script]);
  if (out.status !== 0) throw new Error(`${script} in ${image} failed: ${out.stderr}`);
  return out.stdout;
}

/**
 * Names of the packages npm resolves for the workspace's production dependencies. The workspace
 * is named by its package name: its folder would also take in the workspaces nested in it (the
 * web app inside gateway/, which the gateway serves as a built bundle).
 */
function expectedPackages(name: string): string[] {
  const workspace = (JSON.parse(readFileSync(join(repo, workspaceDir(name), 'package.json'), 'utf8')) as { name: string }).name;
  const listed = run('npm', ['ls', '--omit=dev', '--all', '--parseable', '--workspace', workspace]);
  const paths = listed.stdout.split('\n').filter((p) => p.startsWith(`${repo}/`));
  return packageNames(paths);
}

/** `…/node_modules/@scope/name` → `@scope/name`, each once: copies nested for another version count once. */
const packageNames = (paths: string[]) =>
  [...new Set(paths.map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(p)?.[1]).filter((n) => n !== undefined))].sort();

// Every folder under a node_modules that holds a package (scoped ones one level deeper).
const listPackages =
  "cd /app && find . -path '*/node_modules/*/package.json' -not -path '*/node_modules/*/node_modules/*/*/package.json' | " +
  "sed -E 's|^\\./||; s|/package.json$||' | grep -E '(^|/)node_modules/(@[^/]+/)?[^/@]+$' | sort -u";

describe.each(deployables())('the %s image', (name) => {
  it('holds its own deployable and the workspace libraries it links, nothing of the others', () => {
    const top = inImage(name, 'ls /app; echo --; ls /app/services 2>/dev/null; echo --; ls /app/packages; echo --; readlink /app/current');
    const [root, servicesHeld, packagesHeld, current] = top.split('--\n').map((part) => part.split('\n').filter(Boolean));
    expect(current).toEqual([workspaceDir(name)]);
    expect(servicesHeld).toEqual(name === 'gateway' ? [] : [name]);
    expect(root).toEqual(expect.arrayContaining(['current', 'node_modules', 'packages', 'package.json']));
    expect(root!.includes('gateway')).toBe(name === 'gateway');
    for (const gone of ['e2e', 'docs', 'proto', 'deploy', 'charts', 'docker']) expect(root, gone).not.toContain(gone);
    // The contracts and the kit; never the test helpers.
    expect(packagesHeld).toEqual(['contracts', 'kit']);
  });

  it('has exactly the production dependencies npm resolves for its workspace from the lock file', () => {
    const held = packageNames(inImage(name, listPackages).split('\n').filter(Boolean));
    const expected = expectedPackages(name);
    expect(expected.length).toBeGreaterThan(10);
    expect(held.filter((p) => !expected.includes(p))).toEqual([]);
    expect(expected.filter((p) => !held.includes(p) && !p.startsWith('@portico/'))).toEqual([]);
  });

  it('carries Node without the tools only a build uses (npm, corepack, C headers)', () => {
    expect(inImage(name, 'node --version').trim()).toMatch(/^v24\./);
    expect(inImage(name, 'command -v npm npx corepack yarn; ls /usr/local/lib/node_modules /usr/local/include 2>/dev/null; true')).toBe('');
  });

  it('keeps its code owned by root and unwritable by the service user', () => {
    expect(inImage(name, 'find /app -not -user root | head -5')).toBe('');
    expect(inImage(name, 'find /app -perm -o+w -not -type l | head -5')).toBe('');
  });

  it('starts with telemetry loaded first, as uid 10001', () => {
    const { image } = composeRunOptions(name);
    const inspect = (field: string) => JSON.parse(podman(['image', 'inspect', '--format', `{{json .${field}}}`, image]).stdout);
    const config = inspect('Config') as { Cmd: string[]; User: string; WorkingDir: string };
    expect(config.Cmd).toEqual(['node', '--import', '@portico/kit/telemetry/register', 'dist/main.js']);
    expect(config.User).toBe('10001:10001');
    expect(config.WorkingDir).toBe('/app/current');
    expect((inspect('HealthCheck') as { Test: string[] }).Test[0]).toBe('CMD');
  });
});
