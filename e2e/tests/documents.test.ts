// Seed step 6 for files, in a real browser against the real platform: staff share a treatment
// plan and a resource from a patient's record; the patient (at 360 px, by keyboard) finds them in
// Documents marked new, opens the plan — and staff then see it opened; the patient uploads a PDF
// and a JPEG with a visible progress bar, and an executable called .pdf is refused with a message
// saying why; staff download exactly the same bytes (SHA-256 compared) from Uploads and file them.
// A guardian uploads for their patient and cannot reach another patient's documents. Every new
// page passes axe.
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createUser, deleteUser, passwordGrant, sampleExecutable, sampleJpeg, samplePdf, type TestUser } from '@portico/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, phone, tabTo, type Person } from '../support/browser.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectNoSidewaysScroll, expectStatus, openFromMenu } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('documents in a browser against the real platform', { timeout: 600_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser, other: TestUser, guardian: TestUser;
  const people: Person[] = [];
  const planTitle = `Treatment plan ${run}`;
  const resourceTitle = `Coping with worry ${run}`;
  let plan: Buffer;
  let letter: Buffer;
  let photo: Buffer;

  const signedIn = (user: TestUser, path: string, name: string, viewport?: { width: number; height: number }) =>
    signedInBrowser(portal, people, user, path, name, viewport);

  /** Saves what a click downloads and returns its bytes and suggested name. */
  async function downloaded(page: Page, click: () => Promise<unknown>) {
    const [download] = await Promise.all([page.waitForEvent('download'), click()]);
    return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
  }

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal({ services: ['auth', 'documents', 'contacts', 'audit', 'appointments', 'notifications'] });
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    const clinicId = `clinic-${run}`;
    [staff, patient, other] = await Promise.all([
      createUser({ roles: ['staff'], clinicId }),
      createUser({ roles: ['patient'], clinicId }),
      createUser({ roles: ['patient'], clinicId }),
    ]);
    guardian = await createUser({ roles: ['guardian'], patients: [patient.id], clinicId });
    const profile = await fetch(`${portal.url}/api/v1/staff/organisation`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await passwordGrant(staff)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Lakeside Clinic ${run}`, portalUrl: portal.url, timeZone: 'America/New_York' }),
    });
    if (!profile.ok) throw new Error(`saving the clinic's profile: HTTP ${profile.status} ${await profile.text()}`);
    plan = await samplePdf(planTitle);
    // Big enough that the progress bar has something to show.
    letter = await samplePdf(`Referral letter ${run}`, 6 * 1024 * 1024);
    photo = sampleJpeg(3 * 1024 * 1024);
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, patient, other, guardian]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('staff share a treatment plan and a resource from the patient’s record', async () => {
    const shot = screenshots('documents-staff-share');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'documents-staff-share');
    await page.getByRole('heading', { name: 'Share a note, assessment or treatment plan' }).waitFor();
    const share = page.locator('form').filter({ has: page.getByRole('button', { name: 'Share with the patient' }) });
    await share.getByLabel('Kind').selectOption({ label: 'Treatment plan' });
    await share.getByLabel('Title').fill(planTitle);
    await share.getByLabel('Date of the document').fill('2026-11-20');
    await share.getByLabel('Author').fill('Dr Alex Morgan');
    await share.getByLabel('The document (PDF)').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: plan });
    await shot(page, '01-share-plan');
    await expectAccessible(page, 'the patient’s record with the sharing forms');
    await share.getByRole('button', { name: 'Share with the patient' }).click();
    await expectStatus(page, new RegExp(`${planTitle} was shared`));
    await page.getByRole('heading', { name: planTitle }).waitFor();
    await page.getByText('Not opened yet').first().waitFor();

    const resource = page.locator('form').filter({ has: page.getByRole('button', { name: 'Share resource' }) });
    await resource.getByLabel('Title').fill(resourceTitle);
    await resource.getByLabel(/^Description/).fill('A short guide to noticing and easing worry.');
    await resource.getByLabel(/^Link/).fill('https://example.org/worry-guide');
    await resource.getByRole('button', { name: 'Share resource' }).click();
    await expectStatus(page, new RegExp(`${resourceTitle} was shared`));
    await page.getByRole('heading', { name: resourceTitle }).waitFor();
    await shot(page, '02-shared');
  });

  it('the patient finds them marked new at 360 px, opens the plan by keyboard, and uploads a PDF and a photo with a progress bar', async () => {
    const shot = screenshots('documents-patient');
    const { page } = await signedIn(patient, '/', 'documents-patient', phone);
    await openFromMenu(page, 'Documents');
    const sections = page.getByRole('navigation', { name: 'Sections of Documents' });
    for (const label of [
      'Forms and Surveys',
      'Additional Surveys',
      'Notes, Assessments and Treatment Plans',
      'Consents',
      'Resources',
      'Upload',
    ])
      await sections.getByRole('link', { name: label, exact: true }).waitFor();
    await page.getByRole('heading', { name: planTitle }).waitFor();
    expect(await page.locator('.document-item', { hasText: planTitle }).getByText('New', { exact: true }).count()).toBe(1);
    await shot(page, '01-notes-new');
    await expectAccessible(page, 'Documents: notes, assessments and treatment plans');
    await expectNoSidewaysScroll(page, 'Documents at 360 px');

    // By keyboard: Tab to the plan's download link and press Enter.
    const opened = await downloaded(page, async () => {
      await tabTo(page, new RegExp(`^Download ${planTitle}`), 60);
      await page.keyboard.press('Enter');
    });
    expect(sha256(opened.bytes)).toBe(sha256(plan));
    await page
      .locator('.document-item', { hasText: planTitle })
      .getByText('New', { exact: true })
      .waitFor({ state: 'detached', timeout: 20_000 });

    // The sections still to come show their real, empty state.
    await sections.getByRole('link', { name: 'Forms and Surveys' }).click();
    await page.getByRole('heading', { name: 'No forms to complete' }).waitFor();
    await expectAccessible(page, 'Documents: forms and surveys (empty)');
    await sections.getByRole('link', { name: 'Resources' }).click();
    await page.getByRole('heading', { name: resourceTitle }).waitFor();
    expect(await page.getByRole('link', { name: new RegExp(`Open ${resourceTitle}`) }).getAttribute('href')).toBe(
      'https://example.org/worry-guide',
    );
    await shot(page, '02-resources');
    await expectAccessible(page, 'Documents: resources');
    await expectNoSidewaysScroll(page, 'Resources at 360 px');

    await sections.getByRole('link', { name: 'Upload' }).click();
    await page.getByLabel('File to send').waitFor();
    await expectAccessible(page, 'the Upload tool');
    await expectNoSidewaysScroll(page, 'the Upload tool at 360 px');
    // The progress bar may come and go quickly on one machine: note whether it was ever shown, with a value.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('progress');
        if (bar) seen.push(Number(bar.getAttribute('value')));
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    for (const [name, bytes, type] of [
      ['Referral letter.pdf', letter, 'application/pdf'],
      ['IMG_2041.jpg', photo, 'image/jpeg'],
    ] as const) {
      await page.getByLabel('File to send').setInputFiles({ name, mimeType: type, buffer: bytes });
      await page.getByLabel('File to send').focus();
      await tabTo(page, /^Send to the clinic$/);
      await page.keyboard.press('Enter');
      await page.locator('.notice--success').getByText(`${name} was received by the clinic.`).waitFor({ timeout: 60_000 });
      expect((await focused(page)).name).toContain(`${name} was received by the clinic.`);
    }
    const progress = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(progress.length).toBeGreaterThan(0);
    await shot(page, '03-uploaded');
    for (const name of ['Referral letter.pdf', 'IMG_2041.jpg'])
      await page.locator('.document-item', { hasText: name }).getByText('Received', { exact: true }).waitFor();

    // An executable called .pdf is refused with the reason, and nothing is listed.
    await page.getByLabel('File to send').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: sampleExecutable() });
    await page.getByRole('button', { name: 'Send to the clinic' }).click();
    await page
      .getByRole('alert')
      .getByText(/^This file was not sent: it is not a PDF, JPEG image, PNG image/)
      .waitFor();
    await shot(page, '04-refused');
    await expectAccessible(page, 'the Upload tool with a refusal');
    expect(await page.locator('.document-item', { hasText: 'invoice.pdf' }).count()).toBe(0);
  });

  it('staff see the plan opened, download exactly the bytes the patient sent, and file them', async () => {
    const shot = screenshots('documents-staff-uploads');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'documents-staff-uploads');
    await page
      .locator('.document-item', { hasText: planTitle })
      .getByText(/^Opened /)
      .waitFor();

    await openFromMenu(page, 'Uploads');
    await expectAccessible(page, 'Uploads');
    for (const [name, bytes] of [
      ['Referral letter.pdf', letter],
      ['IMG_2041.jpg', photo],
    ] as const) {
      const item = page.locator('.document-item', { hasText: name });
      const file = await downloaded(page, () => item.getByRole('link', { name: `Download ${name}` }).click());
      expect(file.name).toBe(name);
      expect(sha256(file.bytes)).toBe(sha256(bytes));
      await item.getByRole('button', { name: `Mark ${name} filed` }).click();
      await expectStatus(page, new RegExp(`${name.replace('.', '\\.')} is filed`));
      await item.waitFor({ state: 'detached' });
    }
    await shot(page, '01-all-filed');
    await page.getByRole('tab', { name: 'Filed' }).click();
    await page.locator('.document-item', { hasText: 'IMG_2041.jpg' }).waitFor();
    await expectAccessible(page, 'Uploads: filed');
  });

  it('a guardian uploads for their patient and cannot reach another patient’s documents', async () => {
    const { page } = await signedIn(guardian, '/documents/upload', 'documents-guardian');
    await page
      .getByLabel('File to send')
      .setInputFiles({ name: 'school note.pdf', mimeType: 'application/pdf', buffer: await samplePdf('School') });
    await page.getByRole('button', { name: 'Send to the clinic' }).click();
    await page.locator('.notice--success').getByText('school note.pdf was received by the clinic.').waitFor();
    const answers = await page.evaluate(async (otherId) => {
      const documents = await fetch(`/api/v1/patients/${otherId}/documents`);
      const uploads = await fetch(`/api/v1/patients/${otherId}/uploads`);
      return [documents.status, uploads.status];
    }, other.id);
    expect(answers).toEqual([404, 404]);
  });
});
