// Where things are, from the e2e folder: the repository, the built web app, the artifacts.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const e2eDir = fileURLToPath(new URL('..', import.meta.url));
export const repoDir = join(e2eDir, '..');
export const webDir = join(repoDir, 'gateway', 'web');
export const webDist = join(webDir, 'dist');
export const artifactsDir = join(e2eDir, 'artifacts');
