// Seed step 6's consents in a real browser against the real platform: staff assign a consent from
// the patient's record; the patient at 360 px sees the red badge on Documents and on Consents,
// opens a consent with its pencil button, accepts the electronic-records disclosure, signs one by
// keyboard with the typed name alone and another with a signature drawn by mouse, presses Save,
// and the badge drops; staff download the signed PDF, whose text holds the certificate fields, and
// the verification accepts it and refuses a copy with one byte changed. Axe on every new page and
// dialog; no sideways scrolling at 360 px.
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import type { Page } from 'playwright-core';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, phone, tabTo, type Person } from '../support/browser.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectHeading, expectNoSidewaysScroll, expectStatus } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);

describe('consents in a browser against the real platform', { timeout: 600_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser;
  const people: Person[] = [];
  let signedPdf: Buffer;

  const signedIn = (user: TestUser, path: string, name: string, viewport?: { width: number; height: number }) =>
    signedInBrowser(portal, people, user, path, name, viewport);

  async function api(user: TestUser, method: string, path: string, body?: unknown) {
    const response = await fetch(`${portal.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await passwordGrant(user)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  }

  /** The number on the red badge next to a link, or 0 when there is none. */
  const badgeOn = async (page: Page, scope: 'Main menu' | 'Sections of Documents') => {
    // The main menu sits behind the Menu button at 360 px: its badge counts all the same.
    const badge = page.getByRole('navigation', { name: scope, includeHidden: true }).getByTestId('consent-badge');
    return (await badge.count()) === 0 ? 0 : Number(await badge.locator('[aria-hidden="true"]').textContent());
  };

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal({ services: ['auth', 'documents', 'contacts', 'audit'] });
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    const clinicId = `clinic-${run}`;
    [staff, patient] = await Promise.all([createUser({ roles: ['staff'], clinicId }), createUser({ roles: ['patient'], clinicId })]);
    await api(staff, 'PUT', '/api/v1/staff/organisation', {
      name: `Lakeside Clinic ${run}`,
      phone: '+13125550142',
      email: `front-desk-${run}@lakeside.example`,
      portalUrl: portal.url,
      timeZone: 'America/Chicago',
    });
    await api(staff, 'POST', `/api/v1/staff/patients/${patient.id}/consents`, { templateId: 'telehealth' });
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, patient]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('staff assign a consent to treatment from the patient’s record', async () => {
    const shot = screenshots('consents-staff-assign');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'consents-staff-assign');
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Consents', exact: true, level: 2 }) });
    await section.getByLabel('Consent', { exact: true }).selectOption({ label: 'Consent to treatment (Version 1)' });
    await section.getByRole('button', { name: 'Assign consent' }).click();
    await expectStatus(page, /Consent to treatment assigned\./);
    expect(await section.getByText(/waiting for a signature/).count()).toBe(2);
    await shot(page, '01-assigned');
    await expectAccessible(page, 'the patient’s record with consents');
  });

  it('the patient at 360 px opens a consent from the badge and signs it by keyboard with the typed name alone; the badge drops', async () => {
    const shot = screenshots('consents-keyboard');
    const { page } = await signedIn(patient, '/', 'consents-keyboard', phone);
    const toggle = page.getByRole('button', { name: 'Menu', exact: true });
    await toggle.click();
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: /Documents/ })
      .waitFor();
    expect(await badgeOn(page, 'Main menu')).toBe(2);
    // The badge is read with the link.
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Documents 2 consents to sign' }).click();
    await page
      .getByRole('navigation', { name: 'Sections of Documents' })
      .getByRole('link', { name: /^Consents/ })
      .click();
    await expectHeading(page, 'Documents');
    expect(await badgeOn(page, 'Sections of Documents')).toBe(2);
    await page.getByRole('link', { name: 'Sign Consent to treatment' }).waitFor();
    await shot(page, '01-consents');
    await expectAccessible(page, 'the Consents section');
    await expectNoSidewaysScroll(page, 'the Consents section at 360 px');

    // The pencil button, by keyboard.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, /^Sign Consent to treatment$/, 80);
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Consent to treatment');
    await page.getByRole('heading', { name: 'Consent to electronic records and signatures' }).waitFor();
    await shot(page, '02-disclosure');
    await expectAccessible(page, 'the electronic-records disclosure');
    await expectNoSidewaysScroll(page, 'the disclosure at 360 px');

    // Agreeing without ticking says so; then tick by keyboard and agree.
    await tabTo(page, /^Agree and continue$/, 80);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Tick the box to agree' }).waitFor();
    await tabTo(page, /I have read this and agree/, 10, 'Shift+Tab');
    await page.keyboard.press('Space');
    await tabTo(page, /^Agree and continue$/, 10);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your signature' }).waitFor();

    // The typed name alone, by keyboard; Save at the bottom.
    await tabTo(page, /^Your full name/, 80);
    await page.keyboard.type(`Pat Keyboard ${run}`);
    await tabTo(page, /^Save$/, 10);
    expect((await focused(page)).tag).toBe('button');
    await shot(page, '03-typed');
    await expectAccessible(page, 'the signature form');
    await expectNoSidewaysScroll(page, 'the signature form at 360 px');
    await page.keyboard.press('Enter');
    await expectStatus(page, /Consent to treatment signed\./);
    expect((await focused(page)).name).toBe('Signed');
    await page.getByRole('link', { name: 'Download signed PDF of Consent to treatment' }).waitFor();
    expect(await badgeOn(page, 'Main menu')).toBe(1);
    await shot(page, '04-signed');
    await expectAccessible(page, 'a signed consent');
    await page.getByRole('link', { name: 'Back to Consents' }).click();
    await page.getByRole('link', { name: 'Read Consent to treatment' }).waitFor();
    expect(await badgeOn(page, 'Sections of Documents')).toBe(1);
  });

  it('the patient signs the other with a drawn signature by mouse, presses Save, and the badge is gone', async () => {
    const shot = screenshots('consents-drawn');
    const { page } = await signedIn(patient, '/documents/consents', 'consents-drawn', phone);
    await page.getByRole('link', { name: 'Sign Consent to telehealth' }).click();
    await page.getByRole('heading', { name: 'Your signature' }).waitFor();
    await page.getByLabel(/^Your full name/).fill(`Pat Drawn ${run}`);
    const pad = page.getByRole('img', { name: 'Signature drawing area' });
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 12; step++)
      await page.mouse.move(box.x + 20 + step * 15, box.y + box.height / 2 + (step % 2 ? -20 : 20), { steps: 3 });
    await page.mouse.up();
    await page.getByText('Signature drawn.').waitFor();
    await shot(page, '01-drawn');
    await expectAccessible(page, 'the signature form with a drawing');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectStatus(page, /Consent to telehealth signed\./);
    expect(await badgeOn(page, 'Main menu')).toBe(0);
    await page.getByRole('link', { name: 'Back to Consents' }).click();
    await page.getByRole('link', { name: 'Read Consent to telehealth' }).waitFor();
    expect(await badgeOn(page, 'Sections of Documents')).toBe(0);
    await shot(page, '02-none-left');
  });

  it('staff download the signed PDF, its text holds the certificate, and verification accepts it and refuses a changed copy', async () => {
    const shot = screenshots('consents-staff-verify');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'consents-staff-verify');
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Consents', exact: true, level: 2 }) });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('link', { name: 'Download signed PDF of Consent to treatment' }).click(),
    ]);
    signedPdf = await readFile((await download.path())!);
    expect(download.suggestedFilename()).toBe('consent-to-treatment-signed.pdf');
    const text = (await extractText(new Uint8Array(signedPdf), { mergePages: true })).text.replace(/\s+/g, ' ');
    for (const field of [
      'Certificate of electronic signature',
      `Pat Keyboard ${run}`,
      'Themself (the patient)',
      'Typed full name',
      'Portico sign-in',
      ' UTC',
      '(America/Chicago)',
      'IP address',
      'User agent',
      'Electronic records disclosure: version esign-',
      'Document SHA-256',
    ])
      expect(text).toContain(field);

    const check = async (bytes: Buffer, name: string) => {
      await section.getByLabel('Signed PDF', { exact: true }).setInputFiles({ name, mimeType: 'application/pdf', buffer: bytes });
      await section.getByRole('button', { name: 'Check' }).click();
    };
    await check(signedPdf, 'signed.pdf');
    await section
      .getByTestId('verify-result')
      .filter({ hasText: /^Genuine: Portico produced this PDF of Consent to treatment/ })
      .waitFor();
    await shot(page, '01-genuine');
    await expectAccessible(page, 'a PDF verified as genuine');
    const changed = Buffer.from(signedPdf);
    const middle = Math.floor(changed.length / 2);
    changed[middle] = changed[middle]! ^ 0x01;
    expect(createHash('sha256').update(changed).digest('hex')).not.toBe(createHash('sha256').update(signedPdf).digest('hex'));
    await check(changed, 'changed.pdf');
    await section
      .getByTestId('verify-result')
      .filter({ hasText: /^Not genuine/ })
      .waitFor();
    await shot(page, '02-not-genuine');
    await expectAccessible(page, 'a PDF refused as changed');

    // How each was signed is recorded: the typed name alone (keyboard), and with the drawing.
    const { consents } = (await api(staff, 'GET', `/api/v1/patients/${patient.id}/consents`)) as {
      consents: { title: string; signatureMethod: string }[];
    };
    expect(Object.fromEntries(consents.map((c) => [c.title, c.signatureMethod]))).toEqual({
      'Consent to treatment': 'typed-name',
      'Consent to telehealth': 'typed-name-and-drawing',
    });
  });

  it('a release of information names the patient’s contact; the contact shows it in effect, then revoked by the patient', async () => {
    await api(patient, 'POST', `/api/v1/patients/${patient.id}/contacts`, { name: `Dr Referral ${run}`, purposes: ['other'] });
    const expiresOn = `${new Date().getUTCFullYear() + 1}-06-30`;

    const shot = screenshots('consents-release');
    const staffView = await signedIn(staff, `/staff/patients/${patient.id}`, 'consents-release-staff');
    const section = staffView.page.locator('section', {
      has: staffView.page.getByRole('heading', { name: 'Consents', exact: true, level: 2 }),
    });
    await section.getByLabel('Consent', { exact: true }).selectOption({ label: 'Authorization to release information (Version 1)' });
    // Assigning without the release's details says what is missing, next to each field.
    await section.getByRole('button', { name: 'Assign consent' }).click();
    await section.getByText('Choose one of the patient’s contacts').waitFor();
    await section.getByLabel('Contact the release names').selectOption({ label: `Dr Referral ${run}` });
    await section.getByLabel('What may be shared').fill('Attendance and treatment progress');
    await section.getByLabel('Until (last day)').fill(expiresOn);
    await section.getByRole('button', { name: 'Assign consent' }).click();
    await expectStatus(staffView.page, /Authorization to release information assigned\./);
    await section.getByText('Waiting for signature').waitFor();
    await shot(staffView.page, '01-assigned');
    await expectAccessible(staffView.page, 'the record with a release of information');

    const { page } = await signedIn(patient, '/documents/consents', 'consents-release-patient', phone);
    await page.getByRole('link', { name: 'Sign Authorization to release information' }).click();
    await page.getByText(`Release to Dr Referral ${run}: Attendance and treatment progress`).waitFor();
    await page.getByLabel(/^Your full name/).fill(`Pat Release ${run}`);
    await page.getByRole('button', { name: 'Save' }).click();
    await expectStatus(page, /Authorization to release information signed\./);

    await page.goto(`${portal.url}/contacts`);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: `Dr Referral ${run}` }) });
    await card.getByText('In effect').waitFor();
    await shot(page, '02-contact-in-effect');
    await expectAccessible(page, 'a contact with its release');
    await expectNoSidewaysScroll(page, 'the Contacts page with a release at 360 px');

    await card.getByRole('link', { name: 'Authorization to release information' }).click();
    await page.getByRole('button', { name: 'Revoke this release' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this release?' });
    await dialog.waitFor();
    await expectAccessible(page, 'the revoke dialog');
    await dialog.getByRole('button', { name: 'Revoke this release' }).click();
    await expectStatus(page, /Release revoked\./);
    await page.getByText('Revoked').first().waitFor();
    expect(await page.getByRole('button', { name: 'Revoke this release' }).count()).toBe(0);
    await shot(page, '03-revoked');

    await page.goto(`${portal.url}/contacts`);
    await card.getByText('Revoked').waitFor();
    await staffView.page.reload();
    await section.getByText('Revoked').first().waitFor();
  });
});
