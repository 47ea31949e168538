// Seed step 8 in a real browser against the real platform: the patient clicks the large yellow Add
// Insurance button, fills the pop-up with both card photos (previewed before saving) and saves; staff
// open the patient's record, get the same photo bytes, see who changed what and verify it; the
// patient sees it verified and adds a secondary coverage, listed after it. A guardian adds a
// coverage for their child with themself as the policy holder. Axe on the page and the pop-up,
// 360 px without sideways scrolling, and the keyboard alone.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, phone, tabTo, type Person } from '../support/browser.js';
import { cardPng } from '../support/fixtures.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectHeading, expectNoSidewaysScroll, expectStatus } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);
const FRONT = cardPng([10, 98, 93]);
const BACK = cardPng([200, 120, 30]);

interface StoredCoverage {
  id: string;
  payerName: string;
  priority: string;
  verification: string;
  subscriber: { relationship: string; name: string; dateOfBirth: string };
}

describe('insurance in a browser against the real platform', { timeout: 300_000 }, () => {
  let portal: Portal;
  let patient: TestUser, child: TestUser, guardian: TestUser, staff: TestUser;
  const people: Person[] = [];

  const signedIn = (user: TestUser, path: string, name: string, viewport?: { width: number; height: number }) =>
    signedInBrowser(portal, people, user, path, name, viewport);

  async function stored(patientId: string): Promise<StoredCoverage[]> {
    const response = await fetch(`${portal.url}/api/v1/patients/${patientId}/insurance`, {
      headers: { authorization: `Bearer ${await passwordGrant(staff)}` },
    });
    if (!response.ok) throw new Error(`listing insurance: HTTP ${response.status}`);
    return ((await response.json()) as { coverages: StoredCoverage[] }).coverages;
  }

  /** Fills the pop-up's details; the photos and the policy holder are the test's own. */
  async function fillDetails(page: Page, d: { payer: string; memberId: string; planType: string; priority?: string; start: string }) {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Insurance company').fill(d.payer);
    await dialog.getByLabel(/^Plan name/).fill('Choice Plus');
    await dialog.getByLabel('Plan type').selectOption({ label: d.planType });
    await dialog.getByLabel('Member ID').fill(d.memberId);
    await dialog.getByLabel(/^Group number/).fill(`G-${run}`);
    if (d.priority) await dialog.getByLabel('Priority').selectOption({ label: d.priority });
    await dialog.getByLabel('Start date').fill(d.start);
    await dialog.getByLabel(/^Copay per visit/).fill('25.00');
  }

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal({ services: ['auth', 'insurance', 'documents'] });
    const clinicId = `clinic-${run}`;
    [patient, child, staff] = await Promise.all([
      createUser({ roles: ['patient'], clinicId, givenName: 'Ines', familyName: `Alvarez${run}` }),
      createUser({ roles: ['patient'], clinicId, givenName: 'Leo', familyName: `Brandt${run}` }),
      createUser({ roles: ['staff'], clinicId }),
    ]);
    guardian = await createUser({ roles: ['guardian'], patients: [child.id], clinicId, givenName: 'Dana', familyName: `Brandt${run}` });
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [patient, child, guardian, staff]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('seed step 8: the patient adds a primary coverage with both photos, staff see the same bytes and verify it, a secondary follows it', async () => {
    const shot = screenshots('insurance-seed-step-8');
    const { page, errors } = await signedIn(patient, '/insurance', 'insurance-seed-step-8');
    await expectHeading(page, 'Insurance');
    await page.getByText('No insurance yet').waitFor();
    await expectAccessible(page, 'the empty Insurance page');
    const add = page.getByRole('button', { name: 'Add Insurance' });
    // The large yellow button of the walkthrough.
    expect(await add.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 210, 63)');
    await add.click();
    const dialog = page.getByRole('dialog', { name: 'Add insurance' });
    await dialog.waitFor();
    await fillDetails(page, { payer: `Blue Cross ${run}`, memberId: `XJH${run}`, planType: 'PPO', start: '2026-01-01' });
    const front = dialog.getByLabel(/^Front of the card/);
    const back = dialog.getByLabel(/^Back of the card/);
    for (const input of [front, back]) {
      // A phone offers its camera for these inputs, and only image types.
      expect(await input.getAttribute('capture')).toBe('environment');
      expect(await input.getAttribute('accept')).toContain('image/heic');
    }
    await front.setInputFiles({ name: 'front.png', mimeType: 'image/png', buffer: FRONT });
    await back.setInputFiles({ name: 'back.png', mimeType: 'image/png', buffer: BACK });
    // Each photo is previewed before saving.
    for (const side of ['Front', 'Back']) {
      const preview = dialog.getByRole('img', { name: `Preview: ${side} of the card` });
      await preview.waitFor();
      // The browser decoded the chosen file: what the patient sees is their photo, not a broken image.
      await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120);
    }
    await shot(page, '01-dialog-filled');
    await expectAccessible(page, 'the Add insurance pop-up');
    await dialog.getByRole('button', { name: 'Save insurance' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, new RegExp(`Blue Cross ${run} was added`));
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Blue Cross ${run}`) }) });
    await card.getByText('Submitted – waiting for the clinic').waitFor();
    await card.getByText('Primary', { exact: true }).waitFor();
    await shot(page, '02-listed-submitted');
    await expectAccessible(page, 'the Insurance page with a coverage');

    // Staff find it in their work list (To verify), open the patient's record from there: the
    // coverage with the same photo bytes, its history, Verify.
    const office = await signedIn(staff, '/staff/insurance', 'insurance-staff');
    const staffPage = office.page;
    await expectHeading(staffPage, 'Insurance');
    const waiting = staffPage
      .getByRole('list', { name: 'To verify' })
      .getByRole('listitem')
      .filter({ hasText: `Alvarez${run}` });
    await waiting.getByText(`Blue Cross ${run} · Primary`).waitFor();
    await expectAccessible(staffPage, 'the staff’s insurance work list');
    await waiting.getByRole('link', { name: new RegExp(`Open the record of Ines Alvarez${run}`) }).click();
    await expectHeading(staffPage, new RegExp(`Alvarez${run}`));
    const staffCard = staffPage
      .getByRole('listitem')
      .filter({ has: staffPage.getByRole('heading', { name: new RegExp(`Blue Cross ${run}`) }) });
    await staffCard.getByRole('img', { name: /Front of the card/ }).waitFor();
    for (const [side, bytes] of [
      ['Front', FRONT],
      ['Back', BACK],
    ] as const) {
      const src = await staffCard.getByRole('img', { name: new RegExp(`${side} of the card`) }).getAttribute('src');
      const fetched = await staffPage.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url!)).arrayBuffer())), src);
      expect(Buffer.from(fetched).equals(bytes), `${side} photo bytes`).toBe(true);
    }
    await staffCard.getByRole('button', { name: 'Show changes' }).click();
    await staffCard.getByText(/added by .* \(patient\)/).waitFor();
    await expectAccessible(staffPage, 'the patient record with insurance');
    await staffCard.getByRole('button', { name: 'Verify' }).click();
    await staffCard.getByText('Verified', { exact: true }).waitFor();
    await staffCard.getByText(/verified by .* \(staff\)/).waitFor();
    await shot(staffPage, '03-staff-verified');

    // The patient sees it verified, and adds a secondary coverage, listed after the primary one.
    await page.reload();
    await card.getByText('Verified', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Add Insurance' }).click();
    await dialog.waitFor();
    expect(await dialog.getByLabel('Priority').inputValue()).toBe('secondary');
    await fillDetails(page, { payer: `Aetna ${run}`, memberId: `W${run}`, planType: 'HMO', start: '2026-03-01' });
    await dialog.getByRole('button', { name: 'Save insurance' }).click();
    await dialog.waitFor({ state: 'detached' });
    const headings = await page.getByRole('list', { name: 'Insurance' }).getByRole('heading').allTextContents();
    expect(headings.map((h) => h.split(' · ')[0])).toEqual([`Blue Cross ${run}`, `Aetna ${run}`]);
    expect((await stored(patient.id)).map((c) => [c.priority, c.verification])).toEqual([
      ['primary', 'verified'],
      ['secondary', 'submitted'],
    ]);
    await shot(page, '04-secondary-after-primary');
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('a guardian adds a coverage for their child with themself as the policy holder', async () => {
    const { page } = await signedIn(guardian, '/insurance', 'insurance-guardian');
    await expectHeading(page, 'Insurance');
    await page.getByRole('button', { name: 'Add Insurance' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add insurance' });
    await fillDetails(page, { payer: `Cigna ${run}`, memberId: `C${run}`, planType: 'EPO', start: '2026-02-01' });
    await dialog.getByLabel('Who holds the policy').selectOption({ label: 'Guardian' });
    await dialog.getByLabel('Policy holder’s full name').fill(`Dana Brandt${run}`);
    await dialog.getByLabel('Policy holder’s date of birth').fill('1984-03-09');
    await expectAccessible(page, 'the pop-up with a policy holder who is not the patient');
    await dialog.getByRole('button', { name: 'Save insurance' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(new RegExp(`Dana Brandt${run} \\(Guardian, born`)).waitFor();
    expect((await stored(child.id)).map((c) => c.subscriber)).toEqual([
      { relationship: 'guardian', name: `Dana Brandt${run}`, dateOfBirth: '1984-03-09' },
    ]);
  });

  it('fits a 360 px screen and works by keyboard alone: open the pop-up, refused dates, Escape and Discard back to the button', async () => {
    const shot = screenshots('insurance-360');
    const { page } = await signedIn(patient, '/insurance', 'insurance-360', phone);
    await expectHeading(page, 'Insurance');
    await page.getByRole('button', { name: 'Add Insurance' }).waitFor();
    await expectNoSidewaysScroll(page, 'Insurance at 360 px');
    await expectAccessible(page, 'Insurance at 360 px');
    await tabTo(page, /^\+?\s*Add Insurance$/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add insurance' });
    await dialog.waitFor();
    expect((await focused(page)).name).toBe('Insurance company');
    await expectNoSidewaysScroll(page, 'the pop-up at 360 px');
    await fillDetails(page, { payer: `Humana ${run}`, memberId: `H${run}`, planType: 'POS', priority: 'Tertiary', start: '2026-06-01' });
    await dialog.getByLabel(/^End date/).fill('2026-05-01');
    await dialog.getByLabel(/^End date/).focus();
    await tabTo(page, /^Save insurance$/);
    await page.keyboard.press('Enter');
    await dialog.getByText('The end date cannot be before the start date.').waitFor();
    expect((await focused(page)).name).toMatch(/^End date/);
    await shot(page, '01-end-before-start');
    // What was typed is not thrown away by one key: Escape asks first, Discard changes closes.
    await page.keyboard.press('Escape');
    await dialog.getByRole('alert').filter({ hasText: 'Discard your changes?' }).waitFor();
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Discard changes');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect((await focused(page)).name).toMatch(/Add Insurance/);
    expect((await stored(patient.id)).some((c) => c.payerName === `Humana ${run}`)).toBe(false);
  });
});
