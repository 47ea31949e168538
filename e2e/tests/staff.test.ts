// The staff pages in a real browser against the real platform, for what the walkthrough does not
// do: inviting a guardian needs a patient chosen first; an invitation is sent again and revoked;
// a guardian is linked to a patient (twice: the second time says it already was) and unlinked again
// on the Users page; a patient's date of birth is recorded when invited and finds her among two
// of one name.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, samplePdf, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, openBrowser, type Person } from '../support/browser.js';
import { authServiceProblem, signInAtKeycloak, startPortal, type Portal } from '../support/platform.js';
import { expectHeading, expectStatus, openFromMenu } from '../support/scenarios.js';
import { failureShots, screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);

describe('the staff pages in a browser against the real platform', { timeout: 240_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser, guardian: TestUser;
  let person: Person | undefined;
  const others: Person[] = [];

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    const clinicId = `clinic-${run}`;
    [staff, patient, guardian] = await Promise.all([
      createUser({ roles: ['staff'], clinicId }),
      createUser({ roles: ['patient'], clinicId }),
      createUser({ roles: ['guardian'], patients: [], clinicId }),
    ]);
    const authProblem = await authServiceProblem(portal.url, await passwordGrant(staff));
    // Everything these tests need must be there: a missing part fails them, never skips them.
    const missing = [...portal.missing, ...(authProblem ? [authProblem] : [])];
    if (missing.length) throw new Error(`the gateway lacks ${missing.join('; ')}`);
    // The auth service invites no one for a clinic without a name and a portal address.
    const profile = await fetch(`${portal.url}/api/v1/staff/organisation`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await passwordGrant(staff)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `Hillside Clinic ${run}`,
        address: { line1: '1 Hill Road', line2: '', city: 'Duluth', region: 'MN', postalCode: '55802', countryCode: 'US' },
        phone: '+12185550175',
        email: `desk-${run}@hillside.example.org`,
        hours: ['Monday to Friday: 8:00 to 18:00'],
        welcomeMessage: 'Welcome.',
        portalUrl: portal.url,
        timeZone: 'America/Chicago',
      }),
    });
    if (!profile.ok) throw new Error(`saving the clinic's profile: HTTP ${profile.status} ${await profile.text()}`);
  });

  afterAll(async () => {
    await person?.close();
    for (const other of others) await other.close();
    for (const user of [staff, patient, guardian]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('invites a guardian of a patient, sends the invitation again, revokes it; links and unlinks a guardian', async () => {
    const shot = screenshots('staff-pages');
    person = await openBrowser();
    const { page } = person;
    onTestFailed(() => failureShots('staff-pages', [page]));
    await page.goto(`${portal.url}/staff/invitations`);
    await signInAtKeycloak(page, staff);
    await expectHeading(page, 'Invitations');
    await expectAccessible(page, 'Invitations');

    const email = `june.park.${run}@example.org`;
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('First name').fill('June');
    await page.getByLabel('Last name').fill(`Park${run}`);
    await page.getByRole('radio', { name: 'Guardian' }).check();
    // A guardian looks after someone: the form says so before anything is sent.
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Choose at least one patient this guardian looks after.').waitFor();
    expect((await focused(page)).tag).toBe('input');
    const patientChoice = page.getByRole('checkbox', { name: new RegExp(patient.username) });
    await patientChoice.check();
    await shot(page, '01-invite-guardian');
    await expectAccessible(page, 'the invite form');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await expectStatus(page, new RegExp(`invitation (was sent to|to) ${email.replaceAll('.', '\\.')}`));
    const row = page.getByRole('row', { name: new RegExp(`Park${run}`) });
    await row.getByText('Pending').waitFor();
    expect(await row.getByRole('cell').nth(0).textContent()).toBe('Guardian');

    await page.getByRole('button', { name: `Resend the invitation to ${email}` }).click();
    await expectStatus(page, /sent again/);
    await page.getByRole('button', { name: `Revoke the invitation to ${email}` }).click();
    await page
      .getByRole('dialog', { name: /Revoke the invitation/ })
      .getByRole('button', { name: 'Revoke invitation' })
      .click();
    await expectStatus(page, /was revoked/);
    await row.getByText('Revoked').waitFor();
    await shot(page, '02-invitation-revoked');

    await openFromMenu(page, 'Users');
    await expectAccessible(page, 'Users');
    const guardianName = `Test ${guardian.username}`;
    const patientName = `Test ${patient.username}`;
    await page.getByLabel('Guardian', { exact: true }).selectOption({ label: `${guardianName} (${guardian.username}@example.org)` });
    await page.getByLabel('Patient', { exact: true }).selectOption({ label: `${patientName} (${patient.username}@example.org)` });
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await expectStatus(page, new RegExp(`${guardianName} now acts for ${patientName}`));
    await page.getByRole('button', { name: `Unlink ${patientName} from ${guardianName}` }).waitFor();
    await shot(page, '03-linked');
    // Linking the same pair again says so instead of claiming a change.
    await page.getByLabel('Guardian', { exact: true }).selectOption({ label: `${guardianName} (${guardian.username}@example.org)` });
    await page.getByLabel('Patient', { exact: true }).selectOption({ label: `${patientName} (${patient.username}@example.org)` });
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await expectStatus(page, new RegExp(`${guardianName} already acts for ${patientName}: nothing was changed`));
    await page.getByRole('button', { name: `Unlink ${patientName} from ${guardianName}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Unlink', exact: true }).click();
    await expectStatus(page, new RegExp(`${guardianName} no longer acts for ${patientName}`));
    expect(await page.getByRole('button', { name: `Unlink ${patientName} from ${guardianName}` }).count()).toBe(0);
    await expectAccessible(page, 'Users after the changes');
    expect(person.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
  it('records a patient’s date of birth when inviting, finds her by it among two of one name, and opens her record from the invitation', async () => {
    // A browser of its own, signed in here, so the test runs alone as well as after the others.
    const own = await openBrowser();
    others.push(own);
    const { page } = own;
    onTestFailed(() => failureShots('staff-date-of-birth', [page]));
    const family = `Lovelace${run}`;
    const staffHeaders = { authorization: `Bearer ${await passwordGrant(staff)}`, 'content-type': 'application/json' };
    // Another patient of the same name, without a date of birth; and a date in the future, refused with nothing sent.
    const twin = await fetch(`${portal.url}/api/v1/staff/invitations`, {
      method: 'POST',
      headers: staffHeaders,
      body: JSON.stringify({ email: `ada.twin.${run}@example.org`, givenName: 'Ada', familyName: family, kind: 'patient' }),
    });
    expect(twin.status).toBe(201);
    const future = await fetch(`${portal.url}/api/v1/staff/invitations`, {
      method: 'POST',
      headers: staffHeaders,
      body: JSON.stringify({
        email: `ada.future.${run}@example.org`,
        givenName: 'Ada',
        familyName: family,
        kind: 'patient',
        dateOfBirth: '2999-01-01',
      }),
    });
    expect(future.status).toBe(400);
    expect(JSON.stringify(await future.json())).toContain('must not be in the future');

    await page.goto(`${portal.url}/staff/invitations`);
    await signInAtKeycloak(page, staff);
    await expectHeading(page, 'Invitations');
    const email = `ada.${run}@example.org`;
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill(family);
    await page.getByLabel('Date of birth (optional)').fill('1990-03-14');
    await expectAccessible(page, 'the invite form with a date of birth');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await expectStatus(page, new RegExp(`invitation (was sent to|to) ${email.replaceAll('.', '\\.')}`));
    expect(await page.getByRole('row', { name: /ada\.future\./ }).count()).toBe(0);

    // Staff search by name find both; with the date of birth, only her.
    await openFromMenu(page, 'Patients');
    await page.getByLabel('Name or email').fill(family);
    await page.getByRole('button', { name: 'Search' }).click();
    await expectStatus(page, new RegExp(`2 patients match “${family}”`));
    await page.getByLabel('Date of birth (optional)').fill('1990-03-14');
    await page.getByRole('button', { name: 'Search' }).click();
    await expectStatus(page, new RegExp(`1 patient matches “${family}, born (Mar 14, 1990|14 Mar 1990)”`));
    await page.getByRole('row').filter({ hasText: email }).waitFor();
    expect(
      await page
        .getByRole('row')
        .filter({ hasText: `ada.twin.${run}@example.org` })
        .count(),
    ).toBe(0);
    await expectAccessible(page, 'Patients searched by date of birth');

    // From the invitation, her name opens her record, which shows the date of birth.
    await openFromMenu(page, 'Invitations');
    const row = page.getByRole('row', { name: new RegExp(email.replaceAll('.', '\\.')) });
    await row.getByRole('link', { name: `Ada ${family}` }).click();
    await expectHeading(page, `Ada ${family}`);
    await page.getByText(/Mar 14, 1990|14 Mar 1990/).waitFor();
    expect(own.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
  it('removes the clinic’s logo and handbook after asking, and the portal shows the name alone and no handbook', async () => {
    const logo = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const uploaded = await fetch(`${portal.url}/api/v1/staff/organisation/logo`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await passwordGrant(staff)}`, 'content-type': 'image/png' },
      body: logo,
    });
    expect(uploaded.status).toBe(200);
    person ??= await openBrowser();
    const page = person.page;
    onTestFailed(() => failureShots('staff-remove-logo', [page]));
    await page.goto(`${portal.url}/staff/organisation`);
    if (
      await page
        .locator('#kc-login')
        .isVisible()
        .catch(() => false)
    )
      await signInAtKeycloak(page, staff);
    await expectHeading(page, /Organisation|Clinic profile/);
    const section = page.getByRole('region', { name: 'Logo' });
    await section.getByRole('img', { name: /Current logo/ }).waitFor();
    await section.getByRole('button', { name: 'Remove logo' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove the logo?' });
    await confirm.waitFor();
    await expectAccessible(page, 'the Remove the logo? question');
    // Cancel is the default: nothing happens.
    expect((await focused(page)).name).toBe('Cancel');
    await confirm.getByRole('button', { name: 'Remove logo' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expectStatus(page, /logo was removed/);
    await section.getByText('No logo yet.').waitFor();
    expect(
      (await fetch(`${portal.url}/api/v1/organisation/logo`, { headers: { authorization: `Bearer ${await passwordGrant(patient)}` } }))
        .status,
    ).toBe(404);

    // The handbook likewise: Home's card goes with it.
    const handbook = await fetch(`${portal.url}/api/v1/staff/organisation/handbook`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await passwordGrant(staff)}`, 'content-type': 'application/pdf', 'x-file-name': 'Handbook.pdf' },
      body: new Uint8Array(await samplePdf('Hillside handbook')),
    });
    expect(handbook.status).toBe(200);
    await page.reload();
    const handbookSection = page.getByRole('region', { name: 'Client handbook' });
    await handbookSection.getByRole('link', { name: 'Handbook.pdf' }).waitFor();
    await handbookSection.getByRole('button', { name: 'Remove handbook' }).click();
    const confirmHandbook = page.getByRole('dialog', { name: 'Remove the client handbook?' });
    await confirmHandbook.getByRole('button', { name: 'Remove handbook' }).click();
    await confirmHandbook.waitFor({ state: 'detached' });
    await expectStatus(page, /client handbook was removed/);
    await handbookSection.getByText('No handbook yet.').waitFor();
    expect(
      (await fetch(`${portal.url}/api/v1/organisation/handbook`, { headers: { authorization: `Bearer ${await passwordGrant(patient)}` } }))
        .status,
    ).toBe(404);
  });

  it('the clinic’s profile needs its address and phone, flagged together before sending, and reads a UK number with the clinic’s country', async () => {
    const own = await openBrowser();
    others.push(own);
    const { page } = own;
    onTestFailed(() => failureShots('staff-organisation-rules', [page]));
    await page.goto(`${portal.url}/staff/organisation`);
    await signInAtKeycloak(page, staff);
    await expectHeading(page, 'Organisation');
    const form = page.getByRole('region', { name: 'Clinic profile' });
    await form.getByLabel('Address line 1').fill('');
    await form.getByLabel('Phone').fill('');
    await form.getByRole('button', { name: 'Save profile' }).click();
    // Both problems at once, next to their fields, and focus on the first.
    await form.getByText('Enter the first line of the address.').waitFor();
    await form.getByText('Enter the clinic’s phone number.').waitFor();
    expect((await focused(page)).name).toBe('Address line 1');
    await expectAccessible(page, 'the clinic profile with its required fields flagged');
    // The optional parts say so.
    await form.getByText(/Email\s*\(optional\)/).waitFor();

    // A UK clinic writes its number nationally; the browser and the auth service both read it as British.
    await form.getByLabel('Address line 1').fill('1 Harbour Street');
    await form.getByLabel('Town or city').fill('Bristol');
    await form.getByLabel('Postal code').fill('BS1 4DJ');
    await form.getByLabel('Country').selectOption('GB');
    await form.getByLabel('Phone').fill('0117 496 0123');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await expectStatus(page, /profile was saved/);
    const saved = (await (
      await fetch(`${portal.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${await passwordGrant(staff)}` } })
    ).json()) as { phone: string };
    expect(saved.phone).toBe('+441174960123');
    expect(own.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
