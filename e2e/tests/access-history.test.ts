// The record-access history in a real browser against the real platform: a patient on a 360 px
// screen opens Contacts, then "Who opened my record" from the collapsed menu and sees that they
// viewed their contacts; clinic staff open the history page, which passes axe and asks for the patient first.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, openBrowser, phone, type Person } from '../support/browser.js';
import { signInAtKeycloak, startPortal, type Portal } from '../support/platform.js';
import { openFromMenu } from '../support/scenarios.js';
import { failureShots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);

describe('the record-access history in a browser', { timeout: 240_000 }, () => {
  let portal: Portal;
  let patient: TestUser;
  let staff: TestUser;
  const people: Person[] = [];

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    const clinicId = `clinic-${run}`;
    [patient, staff] = await Promise.all([createUser({ roles: ['patient'], clinicId }), createUser({ roles: ['staff'], clinicId })]);
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [patient, staff]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('a patient on a 360 px screen sees that they viewed their contacts', async () => {
    const person = await openBrowser({ viewport: phone });
    people.push(person);
    onTestFailed(() => failureShots('access-history-patient', [person.page]));
    const { page } = person;
    await page.goto(`${portal.url}/contacts`);
    await signInAtKeycloak(page, patient);
    await page.locator('#main-content h1').waitFor();
    await openFromMenu(page, 'Who opened my record');
    // The trail is kept from Kafka: the opening shows once the audit service has taken it in.
    for (let attempt = 0; !(await page.getByText('Viewed contacts').first().isVisible()); attempt++) {
      if (attempt > 30) throw new Error('the opening of Contacts never showed');
      await page.reload();
      await page.locator('#main-content h1').waitFor();
      await page.waitForLoadState('networkidle');
    }
    await expect(page.getByRole('listitem').filter({ hasText: 'Viewed contacts' }).first().textContent()).resolves.toContain('You');
    await expectAccessible(page, 'Who opened my record at 360 px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('staff open the record access history: it passes axe and asks for the patient before showing anything', async () => {
    const person = await openBrowser();
    people.push(person);
    onTestFailed(() => failureShots('access-history-staff', [person.page]));
    const { page } = person;
    await page.goto(`${portal.url}/staff/access-history`);
    await signInAtKeycloak(page, staff);
    await page.getByRole('heading', { level: 1, name: 'Record access history' }).waitFor();
    await expectAccessible(page, 'Record access history, before choosing');
    // Without a patient the form says what is missing, next to the field.
    await page.getByRole('button', { name: 'Show history' }).click();
    await page.getByText('Choose the patient whose history you want to see.').waitFor();
    expect(page.url()).toContain('/staff/access-history');
  });
});
