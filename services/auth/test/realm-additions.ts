// The realm's later additions (the `service` role, the portico-notifications client) on a
// Keycloak whose realm was imported before they existed: the same script an operator runs.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@portico/testing';

export async function applyRealmAdditions(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(repoRoot, 'deploy/keycloak/realm-additions.mjs')], { env: process.env });
}
