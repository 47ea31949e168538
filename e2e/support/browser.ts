// Debian's Chromium driven by playwright-core (Playwright's own browser download cannot work on
// the project's machines: deploy/local/install-browser.sh installs /usr/bin/chromium). Each person
// in a test gets a browser context of their own: a fresh, empty profile (cookies, storage, cache)
// that no other person shares. The contexts of one test file share one Chromium process, started
// when the file first needs it and closed after the file: starting Chromium per person cost about
// 1.2 s of CPU each on two cores, for the same isolation.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll } from 'vitest';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without the background-networking flags Chromium keeps calling Google's hosts, which this network refuses. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors and uncaught exceptions: a test can require none. */
  errors: string[];
  close(): Promise<void>;
}

export const desktop = { width: 1280, height: 900 };
export const phone = { width: 360, height: 740 };

export function assertChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: run deploy/local/install-browser.sh (as root) to install Debian's chromium`);
  }
}

let chromiumProcess: Promise<Browser> | undefined;

function sharedChromium(): Promise<Browser> {
  assertChromium();
  chromiumProcess ??= chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  return chromiumProcess;
}

// After everything else in the test file (a file's own afterAll closes its people first).
afterAll(async () => {
  const running = chromiumProcess;
  chromiumProcess = undefined;
  if (running) await (await running).close();
});

export async function openBrowser(options: { viewport?: { width: number; height: number }; baseURL?: string } = {}): Promise<Person> {
  const context = await (
    await sharedChromium()
  ).newContext({
    viewport: options.viewport ?? desktop,
    acceptDownloads: true,
    locale: 'en-GB',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  // The console says only "status of 500"; which request it was is what a failing test needs to say.
  page.on('response', (response) => {
    if (response.status() >= 500)
      errors.push(`${response.status()} from ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close().catch(() => {});
    },
  };
}

/** The accessible name and role of the focused element, to follow keyboard-only flows. */
export async function focused(page: Page): Promise<{ tag: string; role: string | null; name: string; id: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { tag: '', role: null, name: '', id: '' };
    const labelled = el.getAttribute('aria-labelledby');
    const byLabel =
      el.getAttribute('aria-label') ??
      (labelled
        ? labelled
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' ')
        : null) ??
      ((el as HTMLInputElement).labels?.[0]?.textContent || null);
    return {
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role'),
      name: (byLabel ?? el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      id: el.id,
    };
  });
}

/** Presses Tab until the focused element's name matches, or fails after `limit` presses. */
export async function tabTo(page: Page, name: RegExp, limit = 40, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (name.test(now.name)) return;
    seen.push(`${now.tag}${now.role ? `[${now.role}]` : ''} "${now.name.slice(0, 40)}"`);
  }
  throw new Error(`Tab never reached ${name}; focus went through: ${seen.join(' → ')}`);
}
