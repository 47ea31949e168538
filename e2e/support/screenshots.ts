// Screenshots of each step a test walks through, as PNGs under e2e/artifacts/<test>/<step>.png,
// for a person to look at (the folder is not committed).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from './paths.js';

const safe = (name: string) =>
  name
    .replace(/[^a-z0-9._-]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** When a test fails, a screenshot of each page still open, to see where it stood. */
export async function failureShots(test: string, pages: Page[]): Promise<void> {
  const shot = screenshots(test);
  for (const [index, page] of pages.entries()) {
    if (!page.isClosed()) await shot(page, `failure-${index + 1}`).catch(() => {});
  }
}

export function screenshots(test: string) {
  const folder = join(artifactsDir, safe(test));
  let made = false;
  return async function shot(page: Page, step: string): Promise<string> {
    if (!made) {
      await mkdir(folder, { recursive: true });
      made = true;
    }
    const file = join(folder, `${safe(step)}.png`);
    // Web fonts (Keycloak's pages) must be in before the picture is taken.
    await page.evaluate(() => document.fonts.ready).catch(() => {});
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    return file;
  };
}
