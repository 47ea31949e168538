// The real platform for browser tests: the services and the gateway from @portico/testing, with
// the built web app served at / and the browser login wired to Keycloak, plus the steps a person
// takes on Keycloak's own pages (login, choosing a new password).
import { BrowserSession, startPlatform, env, type PlatformOptions, type RunningPlatform } from '@portico/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { expectAccessible } from './axe.js';
import { openBrowser, type Person } from './browser.js';
import { webDist } from './paths.js';
import { failureShots } from './screenshots.js';
import { ensureWebBuilt } from './web-build.js';

export interface Portal {
  url: string;
  platform: RunningPlatform;
  /** What the gateway cannot do yet; tests that need it are skipped, saying so. */
  missing: string[];
  stop(): Promise<void>;
}

/** The platform with the built web app; `options` as startPlatform takes them (a service's clock, say). */
export async function startPortal(options: Omit<PlatformOptions, 'webRoot'> = {}): Promise<Portal> {
  ensureWebBuilt();
  const platform = await startPlatform({ ...options, webRoot: webDist });
  const url = platform.gatewayUrl;
  const missing: string[] = [];
  const login = await fetch(`${url}/auth/login?returnTo=%2F`, { redirect: 'manual' });
  if (![302, 303].includes(login.status) || !(login.headers.get('location') ?? '').startsWith(env.keycloakUrl)) {
    missing.push(`browser login (GET /auth/login answered ${login.status}, not a redirect to Keycloak)`);
  }
  const shell = await fetch(`${url}/contacts`, { headers: { accept: 'text/html' } });
  if (!shell.ok || !(await shell.text()).includes('<div id="root">')) {
    missing.push(`the web app at / with the SPA fallback (GET /contacts answered ${shell.status})`);
  }
  return { url, platform, missing, stop: () => platform.stop() };
}

/** Whether the staff API answers (it needs the auth service behind the gateway). */
export async function authServiceProblem(url: string, staffBearer: string): Promise<string | null> {
  const response = await fetch(`${url}/api/v1/staff/invitations`, { headers: { authorization: `Bearer ${staffBearer}` } });
  if (response.ok) return null;
  return `the staff API (GET /api/v1/staff/invitations answered ${response.status}: ${(await response.text()).slice(0, 200)})`;
}

/** Keycloak's login form (#username, #password, #kc-login), checked with axe like our own pages. */
export async function signInAtKeycloak(
  page: Page,
  user: { username: string; password: string },
  shot?: (step: string) => Promise<unknown>,
) {
  // Keycloak's first page after a quiet while can take far longer than our own pages on a busy machine.
  await page.locator('#kc-login').waitFor({ timeout: 60_000 });
  if (shot) await shot('keycloak-login');
  await expectAccessible(page, 'Keycloak’s login page');
  const username = page.locator('#username');
  if (await username.isEditable().catch(() => false)) await username.fill(user.username);
  await page.locator('#password').fill(user.password);
  await page.locator('#kc-login').click();
}

/** Keycloak's update-password page (#password-new, #password-confirm): first login and change of password. */
export async function chooseNewPassword(page: Page, password: string, shot?: (step: string) => Promise<unknown>) {
  await page.locator('#password-new').waitFor();
  if (shot) await shot('keycloak-new-password');
  await expectAccessible(page, 'Keycloak’s update-password page');
  await page.locator('#password-new').fill(password);
  await page.locator('#password-confirm').fill(password);
  await page.locator('form [type="submit"]:not([name="cancel-aia"])').first().click();
}

/** The Keycloak error text after a refused login, if any. */
export async function keycloakError(page: Page): Promise<string> {
  const alert = page.locator('#input-error, .pf-m-danger, .alert-error, [id^="input-error"]').first();
  await alert.waitFor();
  return (await alert.textContent())?.trim() ?? '';
}

/** A password Keycloak's policy accepts (length ≥ 12, not the username, not one of the last three). */
export function newPassword(label: string): string {
  return `Portal-${label}-${Math.random().toString(36).slice(2, 10)}-9x`;
}

/**
 * Signs the browser context in as `user` the way the login form does, without drawing Keycloak's
 * page: the context's own HTTP client follows /auth/login to Keycloak's real login form, posts it,
 * and follows Keycloak back through the gateway's /auth/callback, so the context holds the same
 * session cookies (the gateway's and Keycloak's) a person signing in there would.
 * Signing in on Keycloak's pages in the browser, with axe on them, is what the sign-in, walkthrough,
 * guardian, staff and access-history tests do; every other test starts from a signed-in browser,
 * which saves drawing and checking Keycloak's page (about 4 s of CPU) for each person.
 */
export async function signInByForm(context: BrowserContext, portal: Portal, user: { username: string; password: string }, path = '/') {
  // What a browser's navigation asks for: the portal answers an HTML page, not its API's 404.
  const headers = { accept: 'text/html,application/xhtml+xml' };
  const loginPage = await context.request.get(`${portal.url}/auth/login?returnTo=${encodeURIComponent(path)}`, { headers });
  const form = BrowserSession.form(await loginPage.text(), 'kc-form-login');
  if (!loginPage.ok() || !form)
    throw new Error(`no Keycloak login form behind /auth/login (HTTP ${loginPage.status()} from ${loginPage.url()})`);
  const landing = await context.request.post(form.action, {
    headers,
    form: { ...form.hidden, username: user.username, password: user.password, credentialId: '' },
  });
  if (!landing.ok() || !landing.url().startsWith(portal.url)) {
    throw new Error(`signing ${user.username} in did not lead back to the portal (HTTP ${landing.status()} at ${landing.url()})`);
  }
}

/**
 * A browser signed in as `user` (signInByForm) that opened `path` of the portal and shows its page
 * heading; kept in `people` so the test file closes it, with screenshots under `name` when the
 * test fails.
 */
export async function signedInBrowser(
  portal: Portal,
  people: Person[],
  user: { username: string; password: string },
  path: string,
  name: string,
  viewport?: { width: number; height: number },
): Promise<Person> {
  const person = await openBrowser(viewport ? { viewport } : {});
  people.push(person);
  onTestFailed(() => failureShots(name, [person.page]));
  await signInByForm(person.context, portal, user, path);
  await person.page.goto(`${portal.url}${path}`);
  await person.page.locator('#main-content h1').waitFor();
  return person;
}
