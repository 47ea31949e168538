// Seed step 6's forms in a real browser against the real platform: the clinic publishes the
// example intake questionnaire and staff assign it from the patient's record; the patient at
// 360 px opens it from Forms and Surveys, answers by keyboard, sees the draft saved, reloads the
// page and finds the draft still there, then submits it (a missing required answer is pointed out
// first); the form shows submitted and read-only. The demographics form, offered to every patient,
// is started from Additional Surveys. Staff read the answers on the record and
// download the PDF, whose text holds an answer. Axe on every new page, SurveyJS's output included.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, phone, tabTo, type Person } from '../support/browser.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectNoSidewaysScroll, expectStatus, openFromMenu } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);
const example = (key: string) =>
  JSON.parse(readFileSync(new URL(`../../deploy/local/forms/${key}.json`, import.meta.url), 'utf8')) as object;
const REASON = `Trouble sleeping since the move ${run}`;

describe('forms in a browser against the real platform', { timeout: 600_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser;
  const people: Person[] = [];

  const signedIn = (user: TestUser, path: string, name: string, viewport?: { width: number; height: number }) =>
    signedInBrowser(portal, people, user, path, name, viewport);

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal({ services: ['auth', 'documents', 'contacts', 'audit', 'appointments', 'notifications'] });
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    const clinicId = `clinic-${run}`;
    [staff, patient] = await Promise.all([createUser({ roles: ['staff'], clinicId }), createUser({ roles: ['patient'], clinicId })]);
    const staffCall = async (method: string, path: string, body?: object) => {
      const response = await fetch(`${portal.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${await passwordGrant(staff)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    };
    // The clinic's examples: the intake questionnaire, and the demographics form offered to every patient.
    for (const key of ['intake', 'demographics'])
      await staffCall('PUT', `/api/v1/staff/forms/definitions/${key}`, { survey: example(key) });
    await staffCall('POST', '/api/v1/staff/forms/definitions/demographics/offer');
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, patient]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('staff assign the intake questionnaire from the patient’s record', async () => {
    const shot = screenshots('forms-staff-assign');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'forms-staff-assign');
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Forms and surveys', exact: true }) });
    await section.getByLabel('Form', { exact: true }).selectOption({ label: 'Intake questionnaire (version 1)' });
    await section.getByRole('button', { name: 'Assign form' }).click();
    await expectStatus(page, /Intake questionnaire assigned\./);
    await section.getByText('To do', { exact: true }).waitFor();
    await shot(page, '01-assigned');
    await expectAccessible(page, 'the patient’s record with forms');
  });

  it('the patient fills it in at 360 px by keyboard: a draft saved, the page reloaded, the draft still there, then submitted', async () => {
    const shot = screenshots('forms-patient');
    const { page } = await signedIn(patient, '/', 'forms-patient', phone);
    await openFromMenu(page, 'Documents');
    await page.getByRole('navigation', { name: 'Sections of Documents' }).getByRole('link', { name: 'Forms and Surveys' }).click();
    await page.getByText('To do', { exact: true }).waitFor();
    await expectAccessible(page, 'Forms and Surveys');
    await expectNoSidewaysScroll(page, 'Forms and Surveys at 360 px');
    await page.getByRole('link', { name: 'Start Intake questionnaire' }).click();
    await page.getByRole('heading', { name: 'Intake questionnaire', level: 1 }).waitFor();
    const reason = page.getByRole('textbox', { name: /What brings you to the clinic\?/ });
    await reason.waitFor();
    await shot(page, '01-form');
    await expectAccessible(page, 'the intake questionnaire (SurveyJS)');
    await expectNoSidewaysScroll(page, 'the intake questionnaire at 360 px');

    // By keyboard only, from the top of the page: Tab to the first question, type, Tab on.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, /What brings you to the clinic\?/, 60);
    await page.keyboard.type(REASON);
    await page.keyboard.press('Tab');
    await page.getByText(/^Draft saved /).waitFor({ timeout: 15_000 });
    await shot(page, '02-draft-saved');

    // Another device, or this one later: the draft comes back from the server.
    await page.reload();
    await page.getByRole('heading', { name: 'Intake questionnaire', level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('textbox', { name: /What brings you to the clinic\?/ }).inputValue()).toBe(REASON);
    await page.getByText(/^Draft saved /).waitFor();

    // Submitting with required answers missing is pointed out, nothing sent.
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText('Response required.').first().waitFor();
    await expectAccessible(page, 'the intake questionnaire with required answers pointed out');

    // Still by keyboard: "No" to the second question (arrows move within a radio group), Space
    // on the yes/no switch, Enter on Submit.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, /^Yes$/, 60);
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).name).toBe('No');
    await tabTo(page, /May the clinic leave a message/, 60);
    await page.keyboard.press('Space');
    await tabTo(page, /^Submit$/, 60);
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: /^Submitted / })
      .waitFor();
    await shot(page, '03-submitted');
    await expectAccessible(page, 'the submitted intake questionnaire');
    await expectNoSidewaysScroll(page, 'the submitted form at 360 px');

    // Read-only: the list says submitted, and the form no longer offers Submit.
    await page.goto(`${portal.url}/documents/forms`);
    await page.getByText('Submitted', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'View Intake questionnaire' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Submitted / })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Submit' }).count()).toBe(0);
  });

  it('the patient finds the demographics form in Additional Surveys and starts it', async () => {
    const shot = screenshots('forms-surveys');
    const { page } = await signedIn(patient, '/documents/surveys', 'forms-surveys', phone);
    await page.getByRole('heading', { name: 'Demographics', level: 3 }).waitFor();
    await expectAccessible(page, 'Additional Surveys');
    await expectNoSidewaysScroll(page, 'Additional Surveys at 360 px');
    await page.getByRole('button', { name: 'Start Demographics' }).click();
    await page.getByRole('heading', { name: 'Demographics', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: /The name you would like us to use/ }).waitFor();
    await shot(page, '01-demographics');
    await expectAccessible(page, 'the demographics form (SurveyJS, with a dropdown)');
    await expectNoSidewaysScroll(page, 'the demographics form at 360 px');
    // Back in the list it is the patient's own now, to continue.
    await page.goto(`${portal.url}/documents/surveys`);
    await page.getByRole('link', { name: 'Continue Demographics' }).waitFor();
  });

  it('staff read the answers on the record and download them as a PDF holding an answer', async () => {
    const shot = screenshots('forms-staff-read');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'forms-staff-read');
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Forms and surveys', exact: true }) });
    await section.getByText('Submitted', { exact: true }).waitFor();
    await section.getByRole('link', { name: 'Open Intake questionnaire' }).click();
    await page.getByRole('heading', { name: 'Intake questionnaire', level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('textbox', { name: /What brings you to the clinic\?/ }).inputValue()).toBe(REASON);
    await shot(page, '01-answers');
    await expectAccessible(page, 'the submitted answers for staff');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the answers (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^intake-\d{4}-\d{2}-\d{2}\.pdf$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const { text } = await extractText(new Uint8Array(Buffer.concat(chunks)), { mergePages: true });
    expect(text).toContain(REASON);
    expect(text).toContain('Have you seen a counsellor, therapist or psychiatrist before?');
  });
});
