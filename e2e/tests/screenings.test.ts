// Seed step 6's screenings in a real browser against the real platform: staff assign a PHQ-9 from
// the patient's record; the patient at 360 px finds "Complete your PHQ-9" in Resources, answers it
// by keyboard only with known answers and sees the right score, band and plain-language meaning; a
// PHQ-9 with item 9 above zero shows the crisis resources (988 and the clinic's phone) at once and
// emails the clinic's designated address once; staff see the results on the record. Axe on every
// new page.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, waitForEmails, type TestUser } from '@portico/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, phone, tabTo, type Person } from '../support/browser.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectNoSidewaysScroll, expectStatus, openFromMenu } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);
const clinicEmail = `care-team-${run}@lakeside.example`;
const SUBJECT = /screening needs attention/;

describe('screenings in a browser against the real platform', { timeout: 600_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser;
  const people: Person[] = [];

  const signedIn = (user: TestUser, path: string, name: string, viewport?: { width: number; height: number }) =>
    signedInBrowser(portal, people, user, path, name, viewport);

  async function assignByApi(instrument: string) {
    const response = await fetch(`${portal.url}/api/v1/staff/patients/${patient.id}/screenings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await passwordGrant(staff)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ instrument }),
    });
    if (response.status !== 201) throw new Error(`assigning: HTTP ${response.status} ${await response.text()}`);
  }

  /**
   * Answers the form by keyboard only, from the top of the page: Tab to the first item's first
   * choice, then per item Space or arrows to choose and Tab to the next; Enter on Submit.
   */
  async function answerByKeyboard(page: Page, answers: number[]) {
    await page.getByRole('group').first().waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, /^Not at all$/, 80);
    for (const [index, answer] of answers.entries()) {
      if (index > 0) await page.keyboard.press('Tab');
      if (answer === 0) await page.keyboard.press('Space');
      else for (let step = 0; step < answer; step++) await page.keyboard.press('ArrowRight');
    }
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Submit my answers');
    await page.keyboard.press('Enter');
  }

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal({ services: ['auth', 'documents', 'contacts', 'audit', 'appointments', 'notifications'] });
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    const clinicId = `clinic-${run}`;
    [staff, patient] = await Promise.all([createUser({ roles: ['staff'], clinicId }), createUser({ roles: ['patient'], clinicId })]);
    const profile = await fetch(`${portal.url}/api/v1/staff/organisation`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await passwordGrant(staff)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `Lakeside Clinic ${run}`,
        phone: '+13125550142',
        email: clinicEmail,
        portalUrl: portal.url,
        timeZone: 'America/New_York',
      }),
    });
    if (!profile.ok) throw new Error(`saving the clinic's profile: HTTP ${profile.status} ${await profile.text()}`);
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, patient]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('staff assign a PHQ-9 from the patient’s record', async () => {
    const shot = screenshots('screenings-staff-assign');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'screenings-staff-assign');
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Screenings', exact: true }) });
    await section.getByRole('heading', { name: 'Screenings', exact: true }).waitFor();
    await section.getByLabel('Screening').selectOption({ label: 'PHQ-9' });
    await section.getByRole('button', { name: 'Assign' }).click();
    await expectStatus(page, /PHQ-9 assigned\./);
    await section.getByText('Not completed yet.').waitFor();
    await shot(page, '01-assigned');
    await expectAccessible(page, 'the patient’s record with screenings');
  });

  it('the patient completes it at 360 px by keyboard only and sees the score, the band and what it means', async () => {
    const shot = screenshots('screenings-patient');
    const { page } = await signedIn(patient, '/', 'screenings-patient', phone);
    await openFromMenu(page, 'Documents');
    await page.getByRole('navigation', { name: 'Sections of Documents' }).getByRole('link', { name: 'Resources' }).click();
    await page.getByRole('link', { name: 'Complete your PHQ-9' }).click();
    await page.getByRole('heading', { name: 'PHQ-9', level: 1 }).waitFor();
    expect(await page.getByRole('group').count()).toBe(9);
    await shot(page, '01-form');
    await expectAccessible(page, 'the PHQ-9 form');
    await expectNoSidewaysScroll(page, 'the PHQ-9 form at 360 px');

    // Submitting with items unanswered says so and sends nothing.
    await page.getByRole('button', { name: 'Submit my answers' }).click();
    await page.getByRole('alert').filter({ hasText: 'Answer every question: 9 are still unanswered.' }).waitFor();

    // 2+2+1+2+1+1+2+1+0 = 12: moderate.
    await answerByKeyboard(page, [2, 2, 1, 2, 1, 1, 2, 1, 0]);
    await page.getByText('Score 12 of 27').first().waitFor();
    await page.getByText('Moderate', { exact: true }).first().waitFor();
    await page.getByText(/Your answers suggest moderate symptoms/).waitFor();
    expect(await page.getByText('988 Suicide & Crisis Lifeline:').count()).toBe(0);
    await shot(page, '02-result');
    await expectAccessible(page, 'the PHQ-9 result');
    await expectNoSidewaysScroll(page, 'the PHQ-9 result at 360 px');
  });

  it('a PHQ-9 with item 9 above zero shows the crisis resources at once and emails the clinic once', async () => {
    await assignByApi('phq9');
    const shot = screenshots('screenings-crisis');
    const { page } = await signedIn(patient, '/documents/resources', 'screenings-crisis', phone);
    await page.getByRole('link', { name: 'Complete your PHQ-9' }).click();
    const groups = page.getByRole('group');
    await groups.first().waitFor();
    for (let item = 0; item < 8; item++) await groups.nth(item).getByRole('radio', { name: 'Not at all' }).check();
    await groups.nth(8).getByRole('radio', { name: 'Several days' }).check();
    await page.getByRole('button', { name: 'Submit my answers' }).click();

    const crisis = page.getByRole('alert').filter({ hasText: 'help is available now' });
    await crisis.waitFor();
    await crisis.getByRole('link', { name: 'call 988' }).waitFor();
    expect(await crisis.getByRole('link', { name: 'call 988' }).getAttribute('href')).toBe('tel:988');
    expect(await crisis.getByRole('link', { name: 'text 988' }).getAttribute('href')).toBe('sms:988');
    expect(await crisis.locator('a[href^="tel:+1312"]').count()).toBe(1);
    await page.getByText('Score 1 of 27').first().waitFor();
    await page.getByText(/care team wants to know about straight away/).waitFor();
    // The trend: the earlier one (12) and this one (1).
    expect(await page.locator('.screening-trend li').count()).toBe(2);
    await shot(page, '01-crisis');
    await expectAccessible(page, 'the PHQ-9 result with crisis resources');
    await expectNoSidewaysScroll(page, 'the crisis resources at 360 px');

    const [email] = await waitForEmails(clinicEmail, 1, 60_000, SUBJECT);
    expect(email!.Text).toContain(`/staff/patients/${patient.id}`);
    // Nothing of the screening: no instrument, band or answer.
    expect(`${email!.Subject}\n${email!.Text}`).not.toMatch(/PHQ|minimal|Several days|better off dead/i);
    // Once: a while later there is still only one.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await waitForEmails(clinicEmail, 1, 5_000, SUBJECT)).toHaveLength(1);
  });

  it('staff see both results on the record and open one', async () => {
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'screenings-staff-results');
    await page.getByText(/Score 12 of 27 · Moderate/).waitFor();
    await page.getByText(/Score 1 of 27 · Minimal/).waitFor();
    expect(await page.getByText(/^Needs attention: item 9/).count()).toBe(1);
    await page.getByRole('link', { name: 'Open the PHQ-9 result' }).first().click();
    await page.getByRole('heading', { name: 'Result', exact: true }).waitFor();
    await expectAccessible(page, 'a screening result for staff');
  });
});
