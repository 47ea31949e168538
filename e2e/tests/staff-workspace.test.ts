// The staff workspace in a real browser against the real platform: staff start at Patients (not
// a patient's Home), find a patient by name with the keyboard alone, open the record, add a
// contact there and see the patient's appointments; both pages pass axe and fit a 360 px screen.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, openBrowser, phone, tabTo, type Person } from '../support/browser.js';
import { authServiceProblem, signInAtKeycloak, signedInBrowser, startPortal, type Portal } from '../support/platform.js';
import { expectHeading, expectNoSidewaysScroll, expectStatus, fillContactDialog, openFromMenu } from '../support/scenarios.js';
import { failureShots, screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);
const ZONE = 'America/Chicago';
const DAY = 86_400_000;
const family = `Moreno${run}`;

/** The clinic's calendar day `days` from now (YYYY-MM-DD). */
function clinicDay(days: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(Date.now() + days * DAY))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

describe('the staff workspace in a browser against the real platform', { timeout: 300_000 }, () => {
  let portal: Portal;
  let staff: TestUser, rosa: TestUser, tomas: TestUser;
  const people: Person[] = [];

  async function api(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${portal.url}${path}`, {
      method: path.endsWith('organisation') ? 'PUT' : 'POST',
      headers: { authorization: `Bearer ${await passwordGrant(staff)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  }

  const signedIn = (path: string, name: string, viewport?: { width: number; height: number }) =>
    signedInBrowser(portal, people, staff, path, name, viewport);

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    const clinicId = `clinic-${run}`;
    [staff, rosa, tomas] = await Promise.all([
      createUser({ roles: ['staff'], clinicId }),
      createUser({ roles: ['patient'], clinicId, givenName: 'Rosa', familyName: family }),
      createUser({ roles: ['patient'], clinicId, givenName: 'Tomas', familyName: family }),
    ]);
    const authProblem = await authServiceProblem(portal.url, await passwordGrant(staff));
    // Everything these tests need must be there: a missing part fails them, never skips them.
    const missing = [...portal.missing, ...(authProblem ? [authProblem] : [])];
    if (missing.length) throw new Error(`the gateway lacks ${missing.join('; ')}`);
    await api('/api/v1/staff/organisation', {
      name: `Lakeside Clinic ${run}`,
      address: { line1: '1 Lake Road', line2: '', city: 'Duluth', region: 'MN', postalCode: '55802', countryCode: 'US' },
      phone: '+12185550175',
      email: `desk-${run}@lakeside.example.org`,
      hours: ['Monday to Friday: 8:00 to 18:00'],
      welcomeMessage: 'Welcome.',
      portalUrl: portal.url,
      timeZone: ZONE,
    });
    const visit = { clinicianId: staff.id, mode: 'in_person', location: 'Room 4' };
    await api(`/api/v1/staff/patients/${rosa.id}/appointments`, {
      ...visit,
      serviceType: `Follow-up ${run}`,
      start: `${clinicDay(3)}T10:00`,
      end: `${clinicDay(3)}T10:45`,
    });
    await api(`/api/v1/staff/patients/${rosa.id}/appointments/past-visits`, {
      ...visit,
      serviceType: `Intake ${run}`,
      start: `${clinicDay(-10)}T09:00`,
      end: `${clinicDay(-10)}T10:00`,
      outcome: 'completed',
    });
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, rosa, tomas]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('finds a patient with the keyboard alone, opens the record, adds a contact there and sees the appointments', async () => {
    const shot = screenshots('staff-workspace');
    const person = await signedIn('/', 'staff-workspace');
    const { page } = person;
    // Staff land on their workspace, with their own menu: not a patient's Home and menu.
    await expectHeading(page, 'Patients');
    const menu = page.getByRole('navigation', { name: 'Main menu' });
    expect(await menu.getByRole('link', { name: 'Patients', exact: true }).count()).toBe(1);
    for (const patientsOwn of ['Home', 'Contacts', 'Who opened my record'])
      expect(await menu.getByRole('link', { name: patientsOwn, exact: true }).count()).toBe(0);
    await expectAccessible(page, 'Patients');

    // Keyboard only: from the page's heading to the search box, a search, the patient's link.
    await tabTo(page, /^Name or email/);
    await page.keyboard.type(family);
    await page.keyboard.press('Enter');
    await expectStatus(page, new RegExp(`2 patients match “${family}”`));
    await page.getByRole('link', { name: `Tomas ${family}` }).waitFor();
    await shot(page, '01-search-family');
    await expectAccessible(page, 'Patients, a search with results');

    await page.getByRole('searchbox', { name: /Name or email/ }).focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(`rosa ${family}`);
    await page.keyboard.press('Enter');
    await expectStatus(page, new RegExp(`1 patient matches “rosa ${family}”`));
    expect(await page.getByRole('link', { name: `Tomas ${family}` }).count()).toBe(0);
    await tabTo(page, new RegExp(`^Rosa ${family}$`));
    await page.keyboard.press('Enter');
    await expectHeading(page, `Rosa ${family}`);
    expect((await focused(page)).name).toBe(`Rosa ${family}`);
    expect(page.url()).toBe(`${portal.url}/staff/patients/${rosa.id}`);

    // The record: the patient's details, and the areas acting for the patient in the address.
    await page.getByText(`${rosa.username}@example.org`).first().waitFor();
    await page.getByRole('heading', { level: 2, name: 'Contacts' }).waitFor();
    const appointments = page.getByRole('region', { name: 'Appointments' });
    await appointments.getByText(`Follow-up ${run}`).waitFor();
    await shot(page, '02-record');
    await expectAccessible(page, 'the patient record');

    await page.getByRole('button', { name: /Add New Contact/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Add New Contact' });
    await dialog.waitFor();
    await fillContactDialog(page, {
      name: `Lena ${family}`,
      relationship: 'Sister',
      phone: '(218) 555-0199',
      purposes: ['Emergency'],
    });
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, new RegExp(`Lena ${family} was added`));
    await page.getByRole('heading', { level: 3, name: `Lena ${family}`, exact: true }).waitFor();
    expect((await focused(page)).name).toBe(`Lena ${family}`);
    // Added for Rosa, as the contacts service keeps it.
    const contacts = await fetch(`${portal.url}/api/v1/patients/${rosa.id}/contacts`, {
      headers: { authorization: `Bearer ${await passwordGrant(rosa)}` },
    });
    expect(((await contacts.json()) as { contacts: { name: string }[] }).contacts.map((c) => c.name)).toEqual([`Lena ${family}`]);

    await appointments.getByRole('tab', { name: 'Past' }).click();
    await appointments.getByText(`Intake ${run}`).waitFor();
    expect(await appointments.getByRole('link', { name: 'Open Scheduling' }).getAttribute('href')).toBe('/staff/appointments');
    await shot(page, '03-record-contact-added-past-visits');
    await expectAccessible(page, 'the patient record after adding a contact');

    // The record's access history is one link away, already showing this patient.
    await page.getByRole('link', { name: `See who opened Rosa ${family}’s record` }).click();
    await expectHeading(page, 'Record access history');
    await page.waitForFunction((id) => (document.querySelector('#main-content select') as HTMLSelectElement | null)?.value === id, rosa.id);

    // From Users, a patient's name leads to their record.
    await openFromMenu(page, 'Users');
    await page.getByRole('link', { name: `Tomas ${family}` }).click();
    await expectHeading(page, `Tomas ${family}`);
    expect(person.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('fits a 360 px screen: the results as cards and the record, with nothing to scroll sideways', async () => {
    const shot = screenshots('staff-workspace-360');
    const { page } = await signedIn(`/staff/patients?q=${family}`, 'staff-workspace-360', phone);
    await expectHeading(page, 'Patients');
    await page.getByRole('link', { name: `Rosa ${family}` }).waitFor();
    await expectNoSidewaysScroll(page, 'Patients at 360 px');
    await shot(page, '01-patients');
    await expectAccessible(page, 'Patients at 360 px');
    await page.getByRole('link', { name: `Rosa ${family}` }).click();
    await expectHeading(page, `Rosa ${family}`);
    await page.getByRole('region', { name: 'Appointments' }).getByText(`Follow-up ${run}`).waitFor();
    await expectNoSidewaysScroll(page, 'the patient record at 360 px');
    await shot(page, '02-record');
  });

  it('every page of staff and of a patient fits 360 px and passes axe, tables as cards and long emails wrapped', async () => {
    const shot = screenshots('small-screens');
    // An address long enough to push a table or a message off a phone's screen.
    const longEmail = `a.very.long.address.for.a.guardian.${run}@family-of-the-patient.example.org`;
    await api('/api/v1/staff/invitations', {
      email: longEmail,
      givenName: 'Long',
      familyName: `Address ${run}`,
      kind: 'guardian',
      patientIds: [rosa.id],
    });
    const { page } = await signedIn('/staff/patients', 'small-screens', phone);
    const staffPages: [string, string | RegExp, string?][] = [
      ['/staff/patients', 'Patients'],
      [`/staff/patients/${rosa.id}`, `Rosa ${family}`, `Follow-up ${run}`],
      ['/staff/appointments', 'Scheduling'],
      ['/staff/invitations', 'Invitations', longEmail],
      ['/staff/users', 'Users', `Tomas ${family}`],
      ['/staff/access-history', /access history/i],
      ['/staff/organisation', /Clinic profile|Organisation/],
    ];
    for (const [index, [path, heading, content]] of staffPages.entries()) {
      await page.goto(`${portal.url}${path}`);
      await expectHeading(page, heading);
      if (content) await page.getByText(content).filter({ visible: true }).first().waitFor();
      await shot(page, `0${index + 1}-staff${path.replaceAll('/', '-')}`);
      await expectNoSidewaysScroll(page, `${path} at 360 px`);
      await expectAccessible(page, `${path} at 360 px`);
    }
    // On a phone the users table is a stack of cards, each value under its column's name, still
    // read as a table's rows and cells.
    await page.goto(`${portal.url}/staff/users`);
    const card = page.getByRole('row', { name: new RegExp(`Tomas ${family}`) });
    expect(await card.locator('td').first().getAttribute('data-label')).toBe('Username and email');
    expect(await card.evaluate((row) => getComputedStyle(row).display)).toBe('block');

    const patientPerson = await openBrowser({ viewport: phone });
    people.push(patientPerson);
    onTestFailed(() => failureShots('small-screens', [patientPerson.page]));
    const patientPage = patientPerson.page;
    await patientPage.goto(`${portal.url}/`);
    await signInAtKeycloak(patientPage, rosa);
    for (const path of [
      '/',
      '/appointments',
      '/documents',
      '/billing',
      '/insurance',
      '/contacts',
      '/access-history',
      '/account/email-preferences',
    ]) {
      await patientPage.goto(`${portal.url}${path}`);
      await patientPage.locator('#main-content h1').waitFor();
      await expectNoSidewaysScroll(patientPage, `${path} at 360 px`);
      await expectAccessible(patientPage, `${path} at 360 px (patient)`);
    }
  });
});
