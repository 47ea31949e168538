// The built portal in Debian's Chromium against a stand-in gateway (e2e/support/stand-in-gateway):
// everything a browser can check without the real login — the shell, every page with axe, the
// contact flows by mouse and by keyboard, 360 px, the guardian's patient switcher, the staff
// pages, log out and change password. The same scenarios run against the real platform in
// walkthrough.test.ts and guardian.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, openBrowser, phone, type Person } from '../support/browser.js';
import { handbookPdf, logoPng } from '../support/fixtures.js';
import {
  addContact,
  addContactWithKeyboard,
  downloadHandbook,
  editContact,
  expectHeading,
  expectHome,
  expectStatus,
  fillContactDialog,
  openAccountMenu,
  openFromMenu,
  setContactActive,
  switchPatient,
  useNarrowMenu,
} from '../support/scenarios.js';
import { failureShots, screenshots } from '../support/screenshots.js';
import { people, StandInGateway, type Who } from '../support/stand-in-gateway.js';
import { ensureWebBuilt } from '../support/web-build.js';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('the portal in a browser, against a stand-in gateway', { timeout: 240_000 }, () => {
  let gateway: StandInGateway;
  let person: Person | null = null;

  beforeAll(() => {
    assertChromium();
    ensureWebBuilt();
  });

  afterEach(async () => {
    const errors = person?.errors ?? [];
    await person?.close();
    person = null;
    await gateway?.stop();
    // A page that logged errors (a CSP refusal, an exception) is broken even if it looked right.
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  afterAll(async () => {
    await person?.close();
  });

  async function open(who: Who, path = '/', viewport?: { width: number; height: number }) {
    gateway = await new StandInGateway().start();
    person = await openBrowser(viewport ? { viewport } : {});
    const page = person.page;
    onTestFailed(({ task }) => failureShots(`stand-in-${task.name.slice(0, 40)}`, [page]));
    await page.goto(gateway.signInUrl(who, path));
    await page.locator('#main-content h1').waitFor();
    return page;
  }

  it('sends a visitor who is not logged in to the login page, saying where to come back to', async () => {
    gateway = await new StandInGateway().start();
    person = await openBrowser();
    await person.page.goto(`${gateway.url}/contacts?tab=all`);
    await person.page.waitForURL(/\/auth\/login\?returnTo=/);
    expect(new URL(person.page.url()).searchParams.get('returnTo')).toBe('/contacts?tab=all');
  });

  it('patient: Home shows the welcome, the clinic’s details and the handbook; every menu page passes axe', async () => {
    const page = await open('patient');
    const shot = screenshots('stand-in-patient-pages');
    await expectHome(page, {
      name: gateway.organisation.name,
      phone: gateway.organisation.phone,
      email: gateway.organisation.email,
      welcome: /Welcome to your patient portal/,
    });
    expect(await page.title()).toBe(`Home · ${gateway.organisation.name}`);
    expect(await page.locator('.brand__logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await shot(page, '01-home');
    await expectAccessible(page, 'Home');
    expect((await downloadHandbook(page)).equals(gateway.handbook!.bytes)).toBe(true);

    for (const [index, label] of ['Appointments', 'Documents', 'Billing', 'Insurance', 'Contacts'].entries()) {
      await openFromMenu(page, label);
      // After navigation focus is on the new page's heading, so screen readers start there.
      expect((await focused(page)).tag).toBe('h1');
      await shot(page, `0${index + 2}-${label.toLowerCase()}`);
      await expectAccessible(page, label);
    }
    await page.getByRole('heading', { level: 2, name: 'Jordan Quinn' }).waitFor();
    // Inactive contacts are listed too, and marked in words, not only by colour.
    const alex = page.locator('.contact-card', { has: page.getByRole('heading', { name: 'Alex Morgan' }) });
    expect(await alex.locator('.badge').textContent()).toBe('Inactive');

    await page.goto(`${gateway.url}/no-such-page`);
    await expectHeading(page, 'Page not found');
    await expectAccessible(page, 'Page not found');
    await page.goto(`${gateway.url}/staff/invitations`);
    await expectHeading(page, 'Page not available');
    expect(await page.getByRole('heading', { name: 'Clinic staff' }).count()).toBe(0);
  });

  it('patient: adds, edits, inactivates and reactivates a contact; the gateway’s field problems show next to the fields', async () => {
    const page = await open('patient', '/contacts');
    const shot = screenshots('stand-in-contacts');
    await shot(page, '01-contacts');

    // The gateway refuses the phone number: its problem appears next to the phone field.
    await page.getByRole('button', { name: /Add New Contact/ }).click();
    await fillContactDialog(page, { name: 'Robin Vale', phone: 'call me', email: 'robin@example', purposes: ['Other'] });
    await page.getByRole('dialog').getByRole('button', { name: 'Add contact' }).click();
    await page.getByText('Enter an email address like name@example.org.').waitFor();
    const emailField = page.getByRole('dialog').getByLabel(/^Email/);
    expect(await emailField.getAttribute('aria-invalid')).toBe('true');
    expect((await focused(page)).name).toBe('Email (optional)');
    expect(
      await emailField.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent),
    ).toMatch(/Enter an email address/);
    await shot(page, '02-field-problems');
    await expectAccessible(page, 'the contact dialog showing problems');
    await fillContactDialog(page, { email: 'robin.vale@example.org' });
    await page.getByRole('dialog').getByRole('button', { name: 'Add contact' }).click();
    // The phone problem came from the server (field "phone", no "body." prefix).
    await page.getByText('Is not a phone number we can call.').waitFor();
    expect((await focused(page)).name).toBe('Phone (optional)');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await addContact(
      page,
      { name: 'Robin Vale', relationship: 'Neighbour', phone: '217 555 0100', purposes: ['Emergency', 'Other'] },
      shot,
    );
    // Empty optional fields are left out of the body, never sent as "".
    const added = gateway.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/contacts')).at(-1)!;
    expect(added.body).toEqual({
      name: 'Robin Vale',
      relationship: 'Neighbour',
      phone: '217 555 0100',
      phoneRegion: 'US',
      purposes: ['emergency', 'other'],
    });
    expect(added.headers['x-csrf-token']).toBeTruthy();
    expect(added.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/);
    await shot(page, '03-added');

    await editContact(page, 'Robin Vale', { relationship: 'Neighbour and friend', email: 'robin.vale@example.org' }, shot);
    const edited = gateway.requests.filter((r) => r.method === 'PUT').at(-1)!;
    expect(edited.headers['if-match']).toBe('"1"');
    await page.getByText('Neighbour and friend').waitFor();

    // Someone else changed the contact meanwhile: 412, nothing overwritten, the latest version on offer.
    await page.getByRole('button', { name: 'Edit Robin Vale' }).click();
    gateway.contacts.find((c) => c.name === 'Robin Vale')!.version += 1;
    await fillContactDialog(page, { notes: 'Has a spare key' });
    await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Someone changed this contact after you opened it.').waitFor();
    await shot(page, '04-stale-edit');
    await page.getByRole('button', { name: 'Load the latest version' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).waitFor();
    await fillContactDialog(page, { notes: 'Has a spare key' });
    await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
    await expectStatus(page, /changes to Robin Vale were saved/);

    await setContactActive(page, 'Robin Vale', false, shot);
    await shot(page, '05-inactivated');
    await setContactActive(page, 'Robin Vale', true);
    await expectAccessible(page, 'Contacts after the changes');
  });

  it('keyboard only: adds a contact, and Escape closes the dialog with focus back on its button', async () => {
    const page = await open('patient', '/contacts');
    const shot = screenshots('stand-in-keyboard');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // The first Tab reaches the skip link, which jumps past the header and the menu.
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Skip to main content');
    await shot(page, '01-skip-link');
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('main-content');
    await addContactWithKeyboard(page, { name: 'Kim Ito', relationship: 'Aunt', phone: '+44 20 7946 0958', purposes: ['Emergency'] }, shot);
    await shot(page, '02-added-by-keyboard');
    expect(gateway.contacts.some((c) => c.name === 'Kim Ito' && c.phone === '+442079460958')).toBe(true);
  });

  it('account menu: opens by keyboard, Escape closes it; Change password and Log out leave the app as the gateway says', async () => {
    const page = await open('patient', '/contacts');
    const shot = screenshots('stand-in-account-menu');
    await openAccountMenu(page, people.patient.name);
    await shot(page, '01-account-menu');
    await expectAccessible(page, 'the open account menu');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('menu').isVisible()).toBe(false);
    expect((await focused(page)).name).toBe(`${people.patient.name}: account menu`);

    await openAccountMenu(page, people.patient.name);
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/auth\/change-password\?returnTo=/);
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/contacts');

    await page.goto(`${gateway.url}/`);
    await expectHeading(page, /Welcome/);
    await openAccountMenu(page, people.patient.name);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/auth\/login\?loggedOut=1/);
    const logout = gateway.requests.find((r) => r.path === '/auth/logout')!;
    expect(logout.method).toBe('POST');
    expect(logout.headers['x-csrf-token']).toBeTruthy();
    // The session is gone: the portal sends the browser to the login page again.
    await page.goto(`${gateway.url}/`);
    await page.waitForURL(/\/auth\/login\?returnTo=%2F/);
  });

  it('360 px wide: the menu sits behind a button and works by keyboard; pages fit without sideways scrolling', async () => {
    const page = await open('guardian', '/', phone);
    const shot = screenshots('stand-in-360px');
    await shot(page, '01-home-360');
    await expectAccessible(page, 'Home at 360 px');
    await useNarrowMenu(page, shot);
    await shot(page, '02-contacts-360');
    await page.getByRole('button', { name: /Add New Contact/ }).click();
    await page.getByRole('dialog').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(page, '03-dialog-360');
    await expectAccessible(page, 'the contact dialog at 360 px');
  });

  it('guardian: switches between their two patients; another family’s patient is out of reach', async () => {
    const page = await open('guardian', '/contacts');
    const shot = screenshots('stand-in-guardian');
    await page.getByRole('button', { name: /^Acting for: Milo Harper\./ }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Grandma Rose' }).waitFor();
    await page.getByRole('button', { name: /^Acting for:/ }).click();
    const choices = await page.getByRole('menuitemradio').allTextContents();
    expect(choices.map((c) => c.replace('✓', ''))).toEqual(['Milo Harper', 'Ada Harper']);
    await shot(page, '01-switcher-open');
    await expectAccessible(page, 'the patient switcher');
    await page.keyboard.press('Escape');

    await switchPatient(page, 'Ada Harper');
    await page.getByRole('heading', { level: 2, name: 'Coach Lee' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Grandma Rose' }).count()).toBe(0);
    await shot(page, '02-acting-for-ada');
    await addContact(page, { name: 'Uncle Tam', phone: '+1 217 555 0111', purposes: ['Emergency'] });
    expect(gateway.contacts.find((c) => c.name === 'Uncle Tam')?.patientId).toBe(people.ada.id);

    // A third patient: neither offered nor reachable by asking the API directly.
    const status = await page.evaluate(async (id) => (await fetch(`/api/v1/patients/${id}/contacts`)).status, people.otto.id);
    expect(status).toBe(404);
  });

  it('staff: invite, resend and revoke; link a guardian; edit the clinic’s profile; upload the logo and the handbook', async () => {
    const page = await open('staff', '/staff/invitations');
    const shot = screenshots('stand-in-staff');
    const nav = page.getByRole('navigation', { name: 'Main menu' });
    await nav.getByRole('link', { name: 'Invitations' }).waitFor();
    await shot(page, '01-invitations');
    await expectAccessible(page, 'Invitations');

    await page.getByLabel('Email', { exact: true }).fill('june.park@example.org');
    await page.getByLabel('First name').fill('June');
    await page.getByLabel('Last name').fill('Park');
    await page.getByRole('radio', { name: 'Guardian' }).check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Choose at least one patient this guardian looks after.').waitFor();
    await page.getByRole('checkbox', { name: /Milo Harper/ }).check();
    await shot(page, '02-invite-guardian');
    await expectAccessible(page, 'the invite form');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await expectStatus(page, /invitation was sent to june\.park@example\.org/);
    const invite = gateway.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/staff/invitations')!;
    expect(invite.body).toEqual({
      email: 'june.park@example.org',
      givenName: 'June',
      familyName: 'Park',
      kind: 'guardian',
      patientIds: [people.milo.id],
    });
    await page.getByRole('row', { name: /June Park/ }).waitFor();

    await page.getByRole('button', { name: 'Resend the invitation to june.park@example.org' }).click();
    await expectStatus(page, /sent again/);
    await page.getByRole('button', { name: 'Revoke the invitation to june.park@example.org' }).click();
    await page
      .getByRole('dialog', { name: /Revoke the invitation/ })
      .getByRole('button', { name: 'Revoke invitation' })
      .click();
    await expectStatus(page, /was revoked/);
    expect(
      await page
        .getByRole('row', { name: /June Park/ })
        .getByText('Revoked')
        .count(),
    ).toBe(1);
    await shot(page, '03-invitations-after');

    await openFromMenu(page, 'Users');
    await page.getByLabel('Guardian', { exact: true }).selectOption({ label: `${people.guardian.name} (${people.guardian.email})` });
    await page.getByLabel('Patient', { exact: true }).selectOption({ label: `${people.otto.name} (${people.otto.email})` });
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await expectStatus(page, /Gwen Harper now acts for Otto Berg/);
    await page.getByRole('button', { name: 'Unlink Otto Berg from Gwen Harper' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Unlink', exact: true }).click();
    await expectStatus(page, /no longer acts for Otto Berg/);
    await shot(page, '04-users');
    await expectAccessible(page, 'Users');

    await openFromMenu(page, 'Organisation');
    await page.getByLabel('Clinic name').fill('Riverside Family Clinic & Counselling');
    await page.getByLabel('Opening hours').fill('Monday to Thursday: 8:00 to 19:00\nFriday: 8:00 to 16:00');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expectStatus(page, /profile was saved/);
    expect(gateway.organisation.hours).toEqual(['Monday to Thursday: 8:00 to 19:00', 'Friday: 8:00 to 16:00']);
    await page.locator('.brand__name', { hasText: 'Riverside Family Clinic & Counselling' }).waitFor();

    const folder = await mkdtemp(join(tmpdir(), 'portico-upload-'));
    const pdf = handbookPdf('uploaded');
    const png = logoPng();
    await writeFile(join(folder, 'Handbook 2026 – Riverside.pdf'), pdf);
    await writeFile(join(folder, 'logo.png'), png);
    await page.getByLabel('Logo file').setInputFiles(join(folder, 'logo.png'));
    await page.getByRole('region', { name: 'Logo' }).getByRole('button', { name: 'Upload' }).click();
    await expectStatus(page, /new logo was uploaded/);
    await page.getByLabel('Handbook file').setInputFiles(join(folder, 'Handbook 2026 – Riverside.pdf'));
    await page.getByRole('region', { name: 'Client handbook' }).getByRole('button', { name: 'Upload' }).click();
    await expectStatus(page, /handbook Handbook 2026 – Riverside\.pdf was uploaded/);
    expect(gateway.handbook!.bytes.equals(pdf)).toBe(true);
    expect(gateway.handbook!.name).toBe('Handbook 2026 – Riverside.pdf');
    expect(gateway.logo!.bytes.equals(png)).toBe(true);
    await shot(page, '05-organisation');
    await expectAccessible(page, 'Organisation');
  });
});
