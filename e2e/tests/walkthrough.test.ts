// The acceptance walkthrough (seed steps 1–10) in a real browser against the real platform: a
// staff member sets up the clinic and invites a patient; the welcome email arrives; the patient
// logs in, chooses a password, lands on Home, downloads the handbook; finds the visits the clinic
// booked, joins the video visit and adds it to a calendar; opens a shared treatment plan, signs a
// consent and uploads a letter the clinic receives; pays an invoice and gets a receipt; adds their
// insurance; adds, edits and inactivates a contact, changes the password, logs out and logs in
// again with the new one.
// Every step is screenshotted (e2e/artifacts/walkthrough/) and every page is checked with axe.
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createUser,
  deleteUser,
  emailPart,
  env,
  keycloakUserByUsername,
  passwordGrant,
  samplePdf,
  waitForEmails,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, openBrowser, type Person } from '../support/browser.js';
import { handbookPdf, logoPng } from '../support/fixtures.js';
import {
  authServiceProblem,
  chooseNewPassword,
  keycloakError,
  newPassword,
  signInAtKeycloak,
  startPortal,
  type Portal,
} from '../support/platform.js';
import {
  addContact,
  downloadHandbook,
  editContact,
  expectHeading,
  expectHome,
  expectStatus,
  openAccountMenu,
  openFromMenu,
  setContactActive,
} from '../support/scenarios.js';
import { failureShots, screenshots } from '../support/screenshots.js';
import { appointmentsStep, billingStep, documentsStep, insuranceStep, staffApi, type StepContext } from '../support/seed-steps.js';

const run = randomUUID().slice(0, 8);
const clinic = {
  name: `Lakeside Counselling ${run}`,
  line1: '400 Harbour Street',
  city: 'Duluth',
  region: 'MN',
  postalCode: '55802',
  phone: '+1 218 555 0175',
  email: `frontdesk-${run}@lakeside.example.org`,
  hours: ['Monday to Friday: 8:00 to 18:00', 'Saturday: 9:00 to 12:00'],
  welcome: 'Welcome to Lakeside Counselling. We are glad you are here.\n\nYou can keep your contacts up to date in this portal.',
};
const invitee = { givenName: 'Robin', familyName: `Walker${run}`, email: `robin.walker.${run}@example.org` };

// Some forty steps, four of them on Keycloak's pages: on a busy two-core machine a step can take
// ten seconds or more, so the whole walk gets fifteen minutes (a limit, not a measure of speed).
describe('the acceptance walkthrough in a browser', { timeout: 900_000 }, () => {
  let portal: Portal;
  let staffUser: TestUser;
  const people: Person[] = [];
  const shot = screenshots('walkthrough');

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    staffUser = await createUser({ roles: ['staff'], clinicId: `clinic-${run}` });
    const authProblem = await authServiceProblem(portal.url, await passwordGrant(staffUser));
    // Everything the walkthrough needs must be there: a missing part fails it, never skips it.
    const missing = [...portal.missing, ...(authProblem ? [authProblem] : [])];
    if (missing.length) throw new Error(`the gateway lacks ${missing.join('; ')}`);
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    if (staffUser) await deleteUser(staffUser);
    await portal?.stop();
  });

  it('invite → welcome email → first login → Home → appointments → documents → billing → insurance → contacts → change password → log out → log in again', async () => {
    onTestFailed(() =>
      failureShots(
        'walkthrough',
        people.map((person) => person.page),
      ),
    );
    const staff = await openBrowser();
    people.push(staff);
    const s = staff.page;
    const staffShot = (step: string) => shot(s, step);

    // The staff member logs in and describes the clinic: profile, logo, handbook.
    await s.goto(`${portal.url}/staff/organisation`);
    await signInAtKeycloak(s, staffUser, (step) => staffShot(`01-staff-${step}`));
    await expectHeading(s, 'Organisation');
    await expectAccessible(s, 'Organisation (staff)');
    await s.getByLabel('Clinic name').fill(clinic.name);
    await s.getByLabel('Address line 1').fill(clinic.line1);
    await s.getByLabel('Town or city').fill(clinic.city);
    await s.getByLabel(/^State, province or county/).fill(clinic.region);
    await s.getByLabel('Postal code').fill(clinic.postalCode);
    await s.getByLabel('Country').selectOption('US');
    await s.getByLabel('Phone', { exact: true }).fill(clinic.phone);
    await s.getByLabel(/^Email/).fill(clinic.email);
    await s.getByLabel('Opening hours').fill(clinic.hours.join('\n'));
    await s.getByLabel('Welcome message').fill(clinic.welcome);
    await s.getByLabel('Portal address').fill(portal.url);
    await s.getByLabel('Time zone').selectOption('America/Chicago');
    await s.getByRole('button', { name: 'Save profile' }).click();
    await expectStatus(s, /profile was saved/);
    // The confirmation is in view at the end of the long form, and focus is still on Save.
    expect(
      await s.locator('#portal-status').evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      }),
    ).toBe(true);
    expect((await focused(s)).name).toBe('Save profile');

    const folder = await mkdtemp(join(tmpdir(), 'portico-walkthrough-'));
    const pdf = handbookPdf(run);
    const png = logoPng();
    await writeFile(join(folder, 'client-handbook.pdf'), pdf);
    await writeFile(join(folder, 'logo.png'), png);
    await s.getByLabel('Logo file').setInputFiles(join(folder, 'logo.png'));
    await s.getByRole('region', { name: 'Logo' }).getByRole('button', { name: 'Upload' }).click();
    await expectStatus(s, /new logo was uploaded/);
    await s.getByLabel('Handbook file').setInputFiles(join(folder, 'client-handbook.pdf'));
    await s.getByRole('region', { name: 'Client handbook' }).getByRole('button', { name: 'Upload' }).click();
    await expectStatus(s, /handbook client-handbook\.pdf was uploaded/);
    await staffShot('02-staff-organisation');
    await expectAccessible(s, 'Organisation after the uploads');

    // Seed step 1 starts here: the invitation.
    await openFromMenu(s, 'Invitations');
    await expectAccessible(s, 'Invitations');
    await s.getByLabel('Email', { exact: true }).fill(invitee.email);
    await s.getByLabel('First name').fill(invitee.givenName);
    await s.getByLabel('Last name').fill(invitee.familyName);
    await s.getByRole('radio', { name: 'Patient' }).check();
    await s.getByRole('button', { name: 'Send invitation' }).click();
    await expectStatus(s, new RegExp(`invitation was sent to ${invitee.email.replaceAll('.', '\\.')}`));
    const row = s.getByRole('row', { name: new RegExp(invitee.familyName) });
    await row.getByText('Pending').waitFor();
    await staffShot('03-staff-invitation-sent');
    await expectAccessible(s, 'Invitations after inviting');

    // Step 1: the welcome email — logo, greeting, the staff member's name, the portal link, credentials.
    const mail = (await waitForEmails(invitee.email, 1, 60_000))[0]!;
    const staffName = await s.getByRole('button', { name: /: account menu$/ }).getAttribute('aria-label');
    const inviterName = staffName!.replace(/: account menu$/, '');
    expect(mail.Text).toContain(`Hello ${invitee.givenName}`);
    expect(mail.Text).toContain(inviterName);
    expect(mail.Text).toContain(clinic.name);
    expect(mail.HTML).toContain(`href="${portal.url}`);
    const username = /Username:\s*(\S+)/.exec(mail.Text)?.[1];
    const temporaryPassword = /Temporary password:\s*(\S+)/.exec(mail.Text)?.[1];
    expect(username, 'username in the welcome email').toBeTruthy();
    expect(temporaryPassword, 'temporary password in the welcome email').toBeTruthy();
    const logoPart = mail.Inline?.find((p) => /^image\//.test(p.ContentType));
    expect(logoPart, 'the logo as an inline image').toBeTruthy();
    expect(mail.HTML).toMatch(new RegExp(`<img[^>]+src="cid:${logoPart!.ContentID.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    const logoBytes = await emailPart(mail.ID, logoPart!.PartID);
    expect(logoBytes.equals(png)).toBe(true);
    const mailView = await staff.context.newPage();
    await mailView.setContent(
      mail.HTML.replaceAll(`cid:${logoPart!.ContentID}`, `data:${logoPart!.ContentType};base64,${logoBytes.toString('base64')}`),
    );
    await shot(mailView, '04-welcome-email');
    await mailView.close();

    // Step 2: the patient follows the link and logs in with the credentials, then chooses a password.
    const patient = await openBrowser();
    people.push(patient);
    const p = patient.page;
    const patientShot = (step: string) => shot(p, step);
    const portalLink = /href="([^"]+)"/.exec(mail.HTML)![1]!.replaceAll('&amp;', '&');
    await p.goto(portalLink);
    await signInAtKeycloak(p, { username: username!, password: temporaryPassword! }, (step) => patientShot(`05-patient-${step}`));
    const firstPassword = newPassword('first');
    await chooseNewPassword(p, firstPassword, (step) => patientShot(`06-patient-${step}`));

    // Step 3 and 4: Home with the welcome message, the clinic's details and the handbook; the menu on the left.
    await expectHome(p, { name: clinic.name, phone: clinic.phone, email: clinic.email, welcome: /We are glad you are here/ });
    await p.getByText(`${invitee.givenName}`, { exact: false }).first().waitFor();
    await patientShot('07-patient-home');
    await expectAccessible(p, 'Home (patient)');
    expect((await downloadHandbook(p)).equals(pdf)).toBe(true);

    // Steps 5 to 8, in the same session: what the clinic prepared, as the patient finds it.
    const patientId = (await keycloakUserByUsername(username!))!.id;
    const step: StepContext = {
      page: p,
      staff: staffApi(portal.url, staffUser),
      patientId,
      clinicianId: staffUser.id,
      zone: 'America/Chicago',
      run,
      shot,
    };
    await appointmentsStep(step);
    await documentsStep({
      ...step,
      staffPage: s,
      plan: await samplePdf(`Treatment plan ${run}`),
      upload: await samplePdf(`Referral letter ${run}`),
      signer: `${invitee.givenName} ${invitee.familyName}`,
    });
    await billingStep(step);
    await insuranceStep(step);

    // Step 9: contacts.
    await openFromMenu(p, 'Contacts');
    await p.getByRole('heading', { name: 'No contacts yet' }).waitFor();
    await patientShot('08-contacts-empty');
    await expectAccessible(p, 'Contacts (empty)');
    await addContact(
      p,
      {
        name: 'Morgan Walker',
        relationship: 'Mother',
        phone: '+1 218 555 0102',
        email: 'morgan.walker@example.org',
        purposes: ['Emergency'],
      },
      (page, step) => shot(page, `09-${step}`),
    );
    await patientShot('10-contact-added');
    await editContact(
      p,
      'Morgan Walker',
      { relationship: 'Mother (weekends)', purposes: ['Emergency', 'Release of information'] },
      (page, step) => shot(page, `11-${step}`),
    );
    await p.getByText('Mother (weekends)').waitFor();
    await setContactActive(p, 'Morgan Walker', false, (page, step) => shot(page, `12-${step}`));
    await patientShot('13-contact-inactivated');
    await expectAccessible(p, 'Contacts after the changes');

    // Step 10: the name at the top right → Change password (Keycloak) → back in the portal.
    await openAccountMenu(p, `${invitee.givenName} ${invitee.familyName}`);
    await patientShot('14-account-menu');
    await p.keyboard.press('Home');
    await p.keyboard.press('Enter');
    await p.waitForURL((url) => !url.href.startsWith(portal.url));
    if (
      await p
        .locator('#kc-login')
        .isVisible()
        .catch(() => false)
    ) {
      await signInAtKeycloak(p, { username: username!, password: firstPassword }, (step) => patientShot(`15-reauth-${step}`));
    }
    const secondPassword = newPassword('second');
    await chooseNewPassword(p, secondPassword, (step) => patientShot(`15-change-${step}`));
    await expectHeading(p, 'Contacts');
    await expectAccessible(p, 'Contacts after changing the password');

    // Log out: the session ends at the gateway and at Keycloak.
    await openAccountMenu(p, `${invitee.givenName} ${invitee.familyName}`);
    await p.keyboard.press('Enter');
    // Keycloak sends the browser back to a page that says so, with the way back in.
    await p.waitForURL(`${portal.url}/logged-out`);
    await p.getByRole('heading', { level: 1, name: 'You have logged out' }).waitFor();
    await patientShot('16-logged-out');
    await expectAccessible(p, 'the logged-out page');
    expect(await p.getByRole('link', { name: 'Log in again' }).getAttribute('href')).toBe('/auth/login?returnTo=%2F');
    // A fresh visit needs a login again: the portal session is gone.
    await p.goto(`${portal.url}/`);
    await p.waitForURL((url) => url.href.startsWith(env.keycloakUrl));
    await p.locator('#kc-login').waitFor();

    // The old password no longer works; the new one does.
    await signInAtKeycloak(p, { username: username!, password: firstPassword });
    expect(await keycloakError(p)).toMatch(/invalid/i);
    await patientShot('17-old-password-refused');
    await signInAtKeycloak(p, { username: username!, password: secondPassword });
    await expectHome(p, { name: clinic.name });
    await patientShot('18-home-again');
    await expectAccessible(p, 'Home after logging in again');

    // The staff member sees the invitation accepted.
    await s.goto(`${portal.url}/staff/invitations`);
    await expectHeading(s, 'Invitations');
    await s
      .getByRole('row', { name: new RegExp(invitee.familyName) })
      .getByText('Accepted')
      .waitFor();
    await staffShot('19-staff-invitation-accepted');
    expect([...staff.errors, ...patient.errors].filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
