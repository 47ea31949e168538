// Makes sure gateway/web/dist holds a build of the current sources: builds it with Vite when it
// is missing or older than any source file (the Makefile's build step normally did it already).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoDir, webDir, webDist } from './paths.js';

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

export function ensureWebBuilt(): void {
  const index = join(webDist, 'index.html');
  const sources = Math.max(newest(join(webDir, 'src')), newest(join(webDir, 'index.html')), newest(join(webDir, 'vite.config.ts')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const vite = join(repoDir, 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV=test (set by vitest) would bundle React's development build.
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: webDir,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`building gateway/web failed:\n${result.stdout}\n${result.stderr}`);
}
