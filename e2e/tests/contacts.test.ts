// Contacts in a real browser against the real platform, for what only the services can say: a
// patient and their guardian edit the same contact at once (two browsers) and the later save is
// refused, nothing overwritten, with the latest version on offer; a phone number the browser lets
// through but the contacts service refuses is shown next to the phone field. Also every menu page
// of a patient, each loaded on demand, passes axe and gets focus on its heading.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, type Person } from '../support/browser.js';
import { signedInBrowser, startPortal, type Portal } from '../support/platform.js';
import { addContact, expectHeading, expectStatus, fillContactDialog, openFromMenu } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);

interface StoredContact {
  id: string;
  name: string;
  relationship: string;
  notes: string;
  phone: string;
  version: number;
}

async function contactsApi(url: string, user: TestUser, patientId: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}/api/v1/patients/${patientId}/contacts`, {
    ...init,
    headers: { authorization: `Bearer ${await passwordGrant(user)}`, 'content-type': 'application/json' },
  });
}

async function storedContacts(url: string, user: TestUser, patientId: string): Promise<StoredContact[]> {
  const response = await contactsApi(url, user, patientId);
  if (!response.ok) throw new Error(`listing contacts: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { contacts: StoredContact[] }).contacts;
}

describe('contacts in a browser against the real platform', { timeout: 240_000 }, () => {
  let portal: Portal;
  let patient: TestUser;
  let guardian: TestUser;
  const people: Person[] = [];

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    const clinicId = `clinic-${run}`;
    patient = await createUser({ roles: ['patient'], clinicId });
    guardian = await createUser({ roles: ['guardian'], patients: [patient.id], clinicId });
    // Everything these tests need must be there: a missing part fails them, never skips them.
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [patient, guardian]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  const signedIn = (user: TestUser, path: string, name: string) => signedInBrowser(portal, people, user, path, name);

  it('a patient’s every menu page loads on demand, passes axe and starts at its heading', async () => {
    const shot = screenshots('contacts-menu-pages');
    const { page, errors } = await signedIn(patient, '/', 'contacts-menu-pages');
    await expectHeading(page, /Welcome/);
    await expectAccessible(page, 'Home');
    for (const [index, label] of ['Appointments', 'Documents', 'Billing', 'Insurance', 'Contacts', 'Home'].entries()) {
      await openFromMenu(page, label);
      // After navigation focus is on the new page's heading, so screen readers start there.
      expect((await focused(page)).tag).toBe('h1');
      await shot(page, `0${index + 1}-${label.toLowerCase()}`);
      await expectAccessible(page, label);
    }
    await page.goto(`${portal.url}/no-such-page`);
    await expectHeading(page, 'Page not found');
    await expectAccessible(page, 'Page not found');
    // A patient who opens a staff address sees a plain refusal, and no staff menu.
    await page.goto(`${portal.url}/staff/invitations`);
    await expectHeading(page, 'Page not available');
    expect(await page.getByRole('heading', { name: 'Clinic staff' }).count()).toBe(0);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('a phone number the contacts service would refuse is refused in the browser by the same rule, next to the phone field, with nothing sent', async () => {
    const shot = screenshots('contacts-server-field-problem');
    const { page, errors } = await signedIn(patient, '/contacts', 'contacts-server-field-problem');
    await expectHeading(page, 'Contacts');
    await page.getByRole('button', { name: /Add New Contact/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Add New Contact' });
    await dialog.waitFor();
    // The browser reads the number with the service's own rule (the kit's), so it need not wait for the reply.
    await fillContactDialog(page, { name: `Robin Vale ${run}`, phone: '+1 555', purposes: ['Emergency'] });
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await dialog.getByText('Is not a valid phone number.').waitFor();
    const phoneField = dialog.getByLabel(/^Phone/).first();
    expect(await phoneField.getAttribute('aria-invalid')).toBe('true');
    expect((await focused(page)).name).toBe('Phone');
    expect(
      await phoneField.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent),
    ).toMatch(/Is not a valid phone number/);
    // Refused before sending: the service was never asked, so it has no "not added" to say.
    expect(await dialog.getByText('The contact was not added.').count()).toBe(0);
    await shot(page, '01-phone-refused');
    await expectAccessible(page, 'the contact dialog with the phone refused');
    expect((await storedContacts(portal.url, patient, patient.id)).some((c) => c.name === `Robin Vale ${run}`)).toBe(false);

    // Corrected, the same dialog adds the contact once.
    await fillContactDialog(page, { phone: '+1 218 555 0142' });
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, new RegExp(`Robin Vale ${run} was added`));
    expect((await storedContacts(portal.url, patient, patient.id)).filter((c) => c.name === `Robin Vale ${run}`)).toHaveLength(1);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('Escape in a contact dialog with unsaved changes asks first; Keep editing keeps them, Discard changes closes', async () => {
    const { page, errors } = await signedIn(patient, '/contacts', 'contacts-discard-question');
    await expectHeading(page, 'Contacts');
    await page.getByRole('button', { name: /Add New Contact/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Add New Contact' });
    await dialog.waitFor();
    await page.keyboard.type(`Half Typed ${run}`);
    await page.keyboard.press('Escape');
    const question = dialog.getByRole('alert').filter({ hasText: 'Discard your changes?' });
    await question.waitFor();
    expect((await focused(page)).name).toBe('Keep editing');
    await expectAccessible(page, 'the question before unsaved changes are discarded');
    // Keep editing: the text is still there and focus is back in the name field.
    await page.keyboard.press('Enter');
    await question.waitFor({ state: 'detached' });
    expect((await focused(page)).name).toBe('Name');
    expect(await dialog.getByLabel('Name', { exact: true }).inputValue()).toBe(`Half Typed ${run}`);
    // Escape twice is no accident either: the second keeps editing.
    await page.keyboard.press('Escape');
    await question.waitFor();
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    expect(await dialog.isVisible()).toBe(true);
    // Discard changes closes, and nothing was added.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Discard changes');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect((await focused(page)).name).toMatch(/Add New Contact/);
    expect((await storedContacts(portal.url, patient, patient.id)).some((c) => c.name === `Half Typed ${run}`)).toBe(false);
    // An untouched dialog closes at once.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('a patient and their guardian edit one contact at once: the later save is refused, nothing is overwritten', async () => {
    const shot = screenshots('contacts-stale-edit');
    const name = `Jordan Quinn ${run}`;
    const added = await contactsApi(portal.url, patient, patient.id, {
      method: 'POST',
      body: JSON.stringify({ name, relationship: 'Uncle', phone: '+12185550100', purposes: ['emergency'] }),
    });
    expect(added.status).toBe(201);

    const first = await signedIn(patient, '/contacts', 'contacts-stale-edit-patient');
    const second = await signedIn(guardian, '/contacts', 'contacts-stale-edit-guardian');
    for (const { page } of [first, second]) {
      await page.getByRole('heading', { level: 2, name }).waitFor();
      await page.getByRole('button', { name: `Edit ${name}` }).click();
      await page.getByRole('dialog', { name: `Edit contact: ${name}` }).waitFor();
    }

    // The patient saves first.
    await fillContactDialog(first.page, { relationship: 'Uncle (weekends)' });
    await first.page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
    await expectStatus(first.page, new RegExp(`changes to ${name} were saved`));

    // The guardian, still on the version they opened, saves a different change: refused.
    await fillContactDialog(second.page, { notes: 'Has a spare key' });
    const dialog = second.page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.getByText('Someone changed this contact after you opened it.').waitFor();
    await dialog.getByText('Your changes were not saved, so nothing was overwritten.').waitFor();
    expect(await dialog.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
    await shot(second.page, '01-stale-edit');
    await expectAccessible(second.page, 'the contact dialog after a stale save');
    const afterRefusal = (await storedContacts(portal.url, patient, patient.id)).find((c) => c.name === name)!;
    expect(afterRefusal).toMatchObject({ relationship: 'Uncle (weekends)', notes: '' });

    // The latest version comes into the form; the guardian's change then goes on top of it.
    await dialog.getByRole('button', { name: 'Load the latest version' }).click();
    await second.page.waitForFunction(
      () => (document.querySelector('dialog input[name="relationship"]') as HTMLInputElement | null)?.value === 'Uncle (weekends)',
    );
    // Focus goes back to the top of the form once it shows the latest version.
    await expect.poll(async () => (await focused(second.page)).name).toBe('Name');
    await fillContactDialog(second.page, { notes: 'Has a spare key' });
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expectStatus(second.page, new RegExp(`changes to ${name} were saved`));
    await second.page.getByText('Uncle (weekends)').waitFor();
    await shot(second.page, '02-saved-on-latest');
    const final = (await storedContacts(portal.url, patient, patient.id)).find((c) => c.name === name)!;
    expect(final).toMatchObject({ relationship: 'Uncle (weekends)', notes: 'Has a spare key', version: afterRefusal.version + 1 });
    for (const person of [first, second]) expect(person.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('a guardian adds a contact for the patient they act for', async () => {
    const { page } = await signedIn(guardian, '/contacts', 'contacts-guardian-adds');
    await expectHeading(page, 'Contacts');
    await addContact(page, { name: `Coach Lee ${run}`, phone: '+1 218 555 0111', purposes: ['Emergency', 'Other'] });
    const stored = (await storedContacts(portal.url, patient, patient.id)).find((c) => c.name === `Coach Lee ${run}`);
    expect(stored?.phone).toBe('+12185550111');
  });
});
