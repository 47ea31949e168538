// In a real browser against the real platform: a guardian of two patients switches between them,
// keeps one patient per tab (the patient is in the address) and cannot reach a third patient; a patient on a 360 px screen uses the collapsed menu and adds
// a contact with the keyboard only. Users come from Keycloak's admin API (packages/testing).
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, openBrowser, phone, type Person } from '../support/browser.js';
import { signInAtKeycloak, startPortal, type Portal } from '../support/platform.js';
import { addContactWithKeyboard, expectHeading, expectStatus, openFromMenu, useNarrowMenu } from '../support/scenarios.js';
import { failureShots, screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);

async function addContactByApi(url: string, user: TestUser, patientId: string, name: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/patients/${patientId}/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await passwordGrant(user)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, phone: '+12185550100', purposes: ['emergency'] }),
  });
  if (response.status !== 201) throw new Error(`adding ${name}: HTTP ${response.status} ${await response.text()}`);
}

describe('guardians and small screens, in a browser against the real platform', { timeout: 240_000 }, () => {
  let portal: Portal;
  const users: TestUser[] = [];
  const people: Person[] = [];
  let first: TestUser, second: TestUser, third: TestUser, guardian: TestUser;

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    const clinicId = `clinic-${run}`;
    const patients = await Promise.all([1, 2, 3].map(() => createUser({ roles: ['patient'], clinicId })));
    [first, second, third] = patients as [TestUser, TestUser, TestUser];
    guardian = await createUser({ roles: ['guardian'], patients: [first.id, second.id], clinicId });
    users.push(first, second, third, guardian);
    // Everything these tests need must be there: a missing part fails them, never skips them.
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    await addContactByApi(portal.url, first, first.id, `First's aunt ${run}`);
    await addContactByApi(portal.url, second, second.id, `Second's coach ${run}`);
    await addContactByApi(portal.url, third, third.id, `Third's secret ${run}`);
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of users) await deleteUser(user);
    await portal?.stop();
  });

  it('a guardian switches between their two patients and cannot reach a third', async () => {
    const shot = screenshots('guardian');
    const person = await openBrowser();
    people.push(person);
    onTestFailed(() => failureShots('guardian', [person.page]));
    const page = person.page;
    await page.goto(`${portal.url}/contacts`);
    await signInAtKeycloak(page, guardian, (step) => shot(page, `01-${step}`));
    await expectHeading(page, 'Contacts');

    // Acting for the first patient (the gateway's default for a guardian).
    const switcher = page.getByRole('button', { name: /^Acting for:/ });
    await switcher.waitFor();
    await page.getByRole('heading', { level: 2, name: `First's aunt ${run}` }).waitFor();
    await shot(page, '02-acting-for-first');
    await expectAccessible(page, 'Contacts (guardian, first patient)');

    await switcher.click();
    const choices = page.getByRole('menuitemradio');
    expect(await choices.count()).toBe(2);
    await shot(page, '03-switcher');
    await expectAccessible(page, 'the patient switcher');
    await page.getByRole('menuitemradio', { checked: false }).click();
    await expectStatus(page, /You are now acting for/);
    await page.getByRole('heading', { level: 2, name: `Second's coach ${run}` }).waitFor();
    expect(await page.getByRole('heading', { name: `First's aunt ${run}` }).count()).toBe(0);
    await shot(page, '04-acting-for-second');

    // The patient is in the address: a reload still acts for the second patient.
    expect(new URL(page.url()).pathname).toBe(`/patients/${second.id}/contacts`);
    await page.reload();
    await page.getByRole('heading', { level: 2, name: `Second's coach ${run}` }).waitFor();
    const names = await page.evaluate(async () => {
      const me = (await (await fetch('/api/v1/me')).json()) as { patients: { id: string; name: string }[] };
      return Object.fromEntries(me.patients.map((p) => [p.id, p.name]));
    });
    expect(await page.title()).toContain(`Contacts for ${names[second.id]}`);

    // A second tab acts for the first patient; reloading either tab leaves each with its own.
    const otherTab = await person.context.newPage();
    await otherTab.goto(`${portal.url}/patients/${first.id}/contacts`);
    await otherTab.getByRole('heading', { level: 2, name: `First's aunt ${run}` }).waitFor();
    // A link written without a patient (a bookmark) stays with the tab's patient.
    await otherTab.goto(`${portal.url}/contacts`);
    await otherTab.waitForURL(`**/patients/${first.id}/contacts`);
    await page.reload();
    await otherTab.reload();
    await page.getByRole('heading', { level: 2, name: `Second's coach ${run}` }).waitFor();
    await otherTab.getByRole('heading', { level: 2, name: `First's aunt ${run}` }).waitFor();
    expect(await page.getByRole('heading', { name: `First's aunt ${run}` }).count()).toBe(0);
    expect(await otherTab.getByRole('heading', { name: `Second's coach ${run}` }).count()).toBe(0);
    // The dialog says for whom the contact is added.
    await otherTab.getByRole('button', { name: /Add New Contact/ }).click();
    await otherTab.getByRole('dialog', { name: `Add New Contact for ${names[first.id]}` }).waitFor();
    await otherTab.keyboard.press('Escape');
    // The third patient's address shows nothing of theirs.
    await otherTab.goto(`${portal.url}/patients/${third.id}/contacts`);
    await expectHeading(otherTab, 'Page not found');
    expect(await otherTab.getByText(`Third's secret ${run}`).count()).toBe(0);
    await otherTab.close();

    // The third patient is neither offered nor reachable through the API with this session.
    const answers = await page.evaluate(async (thirdId) => {
      const me = (await (await fetch('/api/v1/me')).json()) as { csrfToken: string; patients: { id: string }[] };
      const contacts = await fetch(`/api/v1/patients/${thirdId}/contacts`);
      const actingFor = await fetch('/api/v1/me/acting-for', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ patientId: thirdId }),
      });
      return { offered: me.patients.map((p) => p.id), contacts: contacts.status, actingFor: actingFor.status };
    }, third.id);
    expect(answers.offered).not.toContain(third.id);
    expect(answers.contacts).toBe(404);
    expect(answers.actingFor).toBe(404);
    await openFromMenu(page, 'Home');
    await expectAccessible(page, 'Home (guardian)');
    await shot(page, '05-home');
    expect(person.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('a patient on a 360 px screen uses the collapsed menu and adds a contact with the keyboard only', async () => {
    const shot = screenshots('small-screen-keyboard');
    const person = await openBrowser({ viewport: phone });
    people.push(person);
    onTestFailed(() => failureShots('small-screen-keyboard', [person.page]));
    const page = person.page;
    await page.goto(`${portal.url}/`);
    await signInAtKeycloak(page, first, (step) => shot(page, `01-${step}`));
    await page.locator('#main-content h1').waitFor();
    await shot(page, '02-home-360');
    await expectAccessible(page, 'Home at 360 px');
    await useNarrowMenu(page, (p, step) => shot(p, `03-${step}`));
    await page.getByRole('heading', { level: 2, name: `First's aunt ${run}` }).waitFor();
    await addContactWithKeyboard(
      page,
      { name: `Keyboard contact ${run}`, relationship: 'Neighbour', phone: '+1 218 555 0190', purposes: ['Other'] },
      (p, step) => shot(p, `04-${step}`),
    );
    await shot(page, '05-added-360');
    await expectAccessible(page, 'Contacts at 360 px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(person.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
