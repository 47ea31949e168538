// Two-step login: a patient turns on a one-time-password (TOTP) app from the portal through
// Keycloak's application-initiated action CONFIGURE_TOTP, and from then on Keycloak asks for a
// code from the app after the password. Codes are computed as an authenticator app would.
import {
  BrowserSession,
  createUser,
  credentialsOf,
  deleteUser,
  startPlatform,
  type RunningPlatform,
  type TestUser,
} from '@portico/testing';
import { generate, ScureBase32Plugin, stringToBytes } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The realm's OTP policy (deploy/keycloak/portico-realm.json): HmacSHA1, 6 digits, 30 s.
const PERIOD_SECONDS = 30;
const otpOptions = { algorithm: 'sha1', digits: 6, period: PERIOD_SECONDS } as const;

let platform: RunningPlatform;
let patient: TestUser;
/** The secret Keycloak stored for the patient's app, once set up. */
let secret: Uint8Array | undefined;
/** The time step whose code was last accepted: Keycloak refuses the same code twice. */
let usedStep = -1;

beforeAll(async () => {
  platform = await startPlatform();
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
});

afterAll(async () => {
  await platform?.stop();
  if (patient) await deleteUser(patient);
});

const stepAt = (epochSeconds: number) => Math.floor(epochSeconds / PERIOD_SECONDS);

/**
 * A code Keycloak accepts now and has not seen: the current step's, or, when that one was already
 * used, the next step's (Keycloak looks one step either side), so no test waits for a new period.
 */
async function freshCode(key: Uint8Array): Promise<{ code: string; step: number }> {
  const step = Math.max(stepAt(Date.now() / 1000), usedStep + 1);
  expect(step - stepAt(Date.now() / 1000), 'at most one step ahead of the clock').toBeLessThanOrEqual(1);
  return { code: await generate({ secret: key, epoch: step * PERIOD_SECONDS, ...otpOptions }), step };
}

/** A code that is none of those Keycloak accepts now (it looks one step either side). */
async function wrongCode(key: Uint8Array): Promise<string> {
  const epoch = Math.floor(Date.now() / 1000);
  const valid = await Promise.all(
    [-1, 0, 1].map((offset) => generate({ secret: key, epoch: epoch + offset * PERIOD_SECONDS, ...otpOptions })),
  );
  for (let candidate = 123456; ; candidate = (candidate + 111111) % 1_000_000) {
    const code = String(candidate).padStart(6, '0');
    if (!valid.includes(code)) return code;
  }
}

/** A fresh browser through /auth/login and Keycloak's password form: the page Keycloak shows next. */
async function passwordOnly(browser: BrowserSession, user: TestUser): Promise<Response> {
  const start = await browser.request('/auth/login?returnTo=/contacts');
  expect(start.status).toBe(303);
  const login = await browser.followKeycloak(await browser.request(start.headers.get('location')!));
  const posted = await browser.submitForm(await login.text(), 'kc-form-login', { username: user.username, password: user.password });
  return browser.followKeycloak(posted);
}

/** GET /auth/two-factor from a logged-in browser, following Keycloak to the configure-TOTP page. */
async function startTwoFactor(browser: BrowserSession): Promise<Response> {
  const start = await browser.request('/auth/two-factor?returnTo=/contacts');
  expect(start.status).toBe(303);
  const location = new URL(start.headers.get('location')!);
  expect(location.searchParams.get('kc_action')).toBe('CONFIGURE_TOTP');
  expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  const page = await browser.followKeycloak(await browser.request(location.href));
  expect(page.status).toBe(200);
  return page;
}

describe('two-step login with a one-time-password app', () => {
  it('is turned on from the portal through Keycloak, which checks a first code from the app', async () => {
    const browser = new BrowserSession(platform.gatewayUrl);
    expect(await browser.logIn(patient.username, patient.password, '/contacts')).toBe('/contacts');
    expect((await credentialsOf(patient.id)).map((c) => c.type)).not.toContain('otp');

    // Cancelling Keycloak's page sends the browser back with the session as it was, and no second factor.
    const cancelled = await browser.submitForm(await (await startTwoFactor(browser)).text(), 'kc-totp-settings-form', {
      'cancel-aia': 'true',
    });
    expect(await browser.backToGateway(cancelled)).toBe('/contacts');
    expect((await browser.api('/api/v1/me')).status).toBe(200);
    expect((await credentialsOf(patient.id)).map((c) => c.type)).not.toContain('otp');

    // Portico's theme shows the secret as text on the page itself (a phone cannot scan its own
    // screen), with an otpauth: link carrying the same key for an app on this device.
    const manualPage = await (await startTwoFactor(browser)).text();
    expect(manualPage).toContain('id="kc-totp-settings-form"');
    const shown = /id="kc-totp-secret-key"[^>]*>([^<]+)</.exec(manualPage)?.[1]?.replace(/\s+/g, '');
    const appLink = /<a\b[^>]*href="(otpauth:[^"]+)"/.exec(manualPage)?.[1]?.replaceAll('&amp;', '&');
    expect(new URL(appLink!).searchParams.get('secret')).toBe(shown);
    const form = BrowserSession.form(manualPage, 'kc-totp-settings-form');
    expect(shown).toMatch(/^[A-Z2-7]+=*$/);
    expect(form?.hidden.totpSecret).toBeTruthy();
    // The hidden field is what Keycloak stores; the text shown is the same secret, Base32-encoded.
    const key = stringToBytes(form!.hidden.totpSecret!);
    expect(new ScureBase32Plugin().decode(shown!)).toEqual(key);

    const userLabel = /name="userLabel"/.test(manualPage) ? { userLabel: 'Test phone' } : {};
    const { code, step } = await freshCode(key);
    const saved = await browser.submitForm(manualPage, 'kc-totp-settings-form', { totp: code, ...userLabel });
    usedStep = step;
    expect(await browser.backToGateway(saved)).toBe('/contacts');
    expect((await browser.api('/api/v1/me')).status).toBe(200);
    secret = key;

    const otp = (await credentialsOf(patient.id)).filter((c) => c.type === 'otp');
    expect(otp).toHaveLength(1);
  });

  it('then asks for a code after the password: a wrong one is refused, the right one lets the patient in', async () => {
    expect(secret, 'the first test turns two-step login on').toBeDefined();
    const browser = new BrowserSession(platform.gatewayUrl);
    // The right password alone does not get back to the gateway: Keycloak asks for the code.
    const otpPage = await passwordOnly(browser, patient);
    expect(otpPage.status).toBe(200);
    const html = await otpPage.text();
    expect(html).toContain('id="kc-otp-login-form"');
    expect((await browser.api('/api/v1/me')).status).toBe(401);

    const refused = await browser.followKeycloak(await browser.submitForm(html, 'kc-otp-login-form', { otp: await wrongCode(secret!) }));
    expect(refused.status).toBe(200);
    const again = await refused.text();
    expect(again).toContain('id="kc-otp-login-form"');
    expect(again).toMatch(/id="input-error-otp-code"|Invalid authenticator code/);
    expect((await browser.api('/api/v1/me')).status).toBe(401);

    const { code, step } = await freshCode(secret!);
    const accepted = await browser.submitForm(again, 'kc-otp-login-form', { otp: code });
    usedStep = step;
    expect(await browser.backToGateway(accepted)).toBe('/contacts');
    const me = await browser.api('/api/v1/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user.id).toBe(patient.id);
  });
});
