// Keycloak's pages in the portal's look (deploy/keycloak/themes/portico), on a phone: the login
// page, two-step login set up by someone whose authenticator app is on the phone they are reading
// (the key as text and an otpauth: link, every field labelled, axe clean), the code asked at the
// next login, and the password-reset email in the portal's words.
import { randomUUID } from 'node:crypto';
import { createUser, credentialsOf, deleteUser, waitForEmails, type TestUser } from '@portico/testing';
import { generate, ScureBase32Plugin } from 'otplib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, openBrowser, phone, type Person } from '../support/browser.js';
import { signInAtKeycloak, startPortal, type Portal } from '../support/platform.js';
import { expectHeading, expectNoSidewaysScroll, logOutFromMenu } from '../support/scenarios.js';
import { failureShots, screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);

/** The heading Keycloak's page shows (its h1), whichever page it is. */
const keycloakHeading = (page: Page) => page.locator('#kc-page-title');

describe('sign-in pages that look like the clinic’s portal', { timeout: 240_000 }, () => {
  let portal: Portal;
  let patient: TestUser;
  const people: Person[] = [];

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    patient = await createUser({ roles: ['patient'], clinicId: `clinic-${run}`, givenName: 'Tess', familyName: `Otp ${run}` });
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    if (patient) await deleteUser(patient);
    await portal?.stop();
  });

  async function phoneBrowser(test: string): Promise<Page> {
    const person = await openBrowser({ viewport: phone });
    people.push(person);
    onTestFailed(() => failureShots(test, [person.page]));
    return person.page;
  }

  it('the login page carries the portal’s theme and words at 360 px', async () => {
    const shot = screenshots('sign-in-pages');
    const page = await phoneBrowser('sign-in-pages');
    await page.goto(`${portal.url}/`);
    await page.locator('#kc-login').waitFor({ timeout: 60_000 });
    expect(await page.locator('html').getAttribute('class')).toContain('portico-login');
    expect(await keycloakHeading(page).textContent()).toMatch(/Sign in to your patient portal/);
    // The deployment's display name (the realm's), not Keycloak's logo.
    expect((await page.locator('#kc-header-wrapper').textContent())?.trim()).toBe('Portico');
    expect(await page.title()).toBe('Sign in to Portico');
    // The portal's primary colour on the sign-in button, not PatternFly's blue.
    expect(await page.locator('#kc-login').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(10, 98, 93)');
    await shot(page, '01-login');
    await expectAccessible(page, 'the themed login page at 360 px');
    await expectNoSidewaysScroll(page, 'the login page');
  });

  it('two-step login is set up on a phone from the key as text, and asked for at the next login', async () => {
    const shot = screenshots('sign-in-pages');
    const page = await phoneBrowser('sign-in-pages');
    await page.goto(`${portal.url}/auth/two-factor?returnTo=%2F`);
    await signInAtKeycloak(page, patient);
    await page.locator('#totp').waitFor();
    expect(await keycloakHeading(page).textContent()).toMatch(/Set up two-step login/);
    await shot(page, '02-two-step-setup');
    await expectAccessible(page, 'the two-step setup page at 360 px');
    await expectNoSidewaysScroll(page, 'the two-step setup page');

    // The key is there as text, and the link hands the same key to an app on this phone.
    const key = ((await page.locator('#kc-totp-secret-key').textContent()) ?? '').replace(/\s+/g, '');
    expect(key).toMatch(/^[A-Z2-7]{16,}$/);
    const link = new URL((await page.getByRole('link', { name: /open the app with this link/i }).getAttribute('href')) ?? '');
    expect(link.protocol).toBe('otpauth:');
    expect(link.host).toBe('totp');
    expect(decodeURIComponent(link.pathname)).toBe(`/Portico:${patient.username}`);
    expect(link.searchParams.get('secret')).toBe(key);
    expect(link.searchParams.get('issuer')).toBe('Portico');
    // Both fields are found by their labels (Keycloak's own page labels neither).
    expect(await page.getByLabel('Code from the app').getAttribute('id')).toBe('totp');
    expect(await page.getByLabel('Device name').getAttribute('id')).toBe('userLabel');

    // A wrong code is refused next to its field, still accessible.
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#input-error-otp-code').waitFor();
    expect(await page.getByLabel('Code from the app').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the two-step setup page with a wrong code');

    // What an authenticator app computes from the key (the realm's policy: SHA-1, 6 digits, 30 s).
    const secret = new ScureBase32Plugin().decode(key);
    const code = (secondsAhead: number) =>
      generate({ secret, algorithm: 'sha1', digits: 6, period: 30, epoch: Math.floor(Date.now() / 1000) + secondsAhead });
    await page.getByLabel('Code from the app').fill(await code(0));
    await page.getByLabel('Device name').fill('My phone');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectHeading(page, /Welcome|Home/);
    expect((await credentialsOf(patient.id)).map((c) => c.type)).toContain('otp');

    // The next login asks for a code after the password, on a themed and accessible page.
    await logOutFromMenu(page, `Tess Otp ${run}`);
    // Logging out ends on the portal's logged-out page once both sessions are gone.
    await page.getByRole('heading', { level: 1, name: 'You have logged out' }).waitFor();
    await expectAccessible(page, 'the logged-out page at 360 px');
    await page.getByRole('link', { name: 'Log in again' }).click();
    await signInAtKeycloak(page, patient);
    await page.locator('#otp').waitFor();
    expect(await page.locator('html').getAttribute('class')).toContain('portico-login');
    await shot(page, '03-code-at-login');
    await expectAccessible(page, 'the code asked at login at 360 px');
    // The code of the next period: the one used at setup may not be used twice.
    await page.locator('#otp').fill(await code(30));
    await page.locator('#kc-login').click();
    await expectHeading(page, /Welcome|Home/);
  });

  it('the password-reset email speaks of the patient portal, not of a Portico account', async () => {
    const page = await phoneBrowser('sign-in-pages');
    await page.goto(`${portal.url}/`);
    await page.locator('#kc-login').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: /forgot password/i }).click();
    await page.locator('#username').waitFor();
    expect(await keycloakHeading(page).textContent()).toMatch(/Forgot your password\?/);
    await expectAccessible(page, 'the forgotten-password page at 360 px');
    await page.locator('#username').fill(patient.username);
    await page.locator('form [type="submit"]').click();
    const [email] = await waitForEmails(`${patient.username}@example.org`, 1, 30_000, /password/i);
    expect(email!.Subject).toBe('Reset your patient portal password');
    expect(email!.Text).toContain('the patient portal of Portico');
    expect(email!.Text).not.toMatch(/Portico account|credentials|administrator/);
    expect(email!.HTML).toContain('Choose a new password');
  });
});
