// Seed step 5 in a real browser against the real platform: staff book an in-person and a video
// visit for a patient on the Scheduling page (and cancel another with a reason); the patient sees
// them under Upcoming with the clinic's time and zone, a past visit under Past, their next visit on
// Home; the Join button stays disabled until the window opens and then opens the meeting link in a
// new tab (the appointments service runs on a clock the test moves, and so does the browser); a
// visit downloads as an .ics file; a calendar subscription is made, copied, read without cookies
// and stopped; email preferences are turned off; a guardian sees each of their patients'
// appointments and never a third's. Every page and dialog passes axe; the patient's pages work at
// 360 px without sideways scrolling and with the keyboard alone.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, phone, tabTo, type Person } from '../support/browser.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectHeading, expectNoSidewaysScroll, expectStatus, openFromMenu, switchPatient } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);
const ZONE = 'America/Chicago';
const clinicName = `Hillside Clinic ${run}`;
const meetingUrl = `https://meet.example.org/visit-${run}`;
const DAY = 86_400_000;

// The appointments service's clock: real time unless a test moves it.
let serverNow: number | null = null;
const clock = () => new Date(serverNow ?? Date.now());

interface Appointment {
  id: string;
  patientId: string;
  serviceType: string;
  startsAt: string;
  endsAt: string;
  mode: 'in_person' | 'telehealth';
  status: string;
  telehealthOpensAt: string | null;
  canJoinNow: boolean;
}

/** The clinic's calendar day `days` after `from` (YYYY-MM-DD). */
function clinicDay(days: number, from = Date.now()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(from + days * DAY))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const nameOf = (user: TestUser) => `Test ${user.username}`;

describe('appointments in a browser against the real platform', { timeout: 600_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser, second: TestUser, third: TestUser, guardian: TestUser;
  const people: Person[] = [];
  const tomorrow = clinicDay(1);
  const ids = { past: '', missed: '', cancelLater: '', second: '', third: '' };
  const tenDaysAgo = clinicDay(1, Date.now() - 10 * DAY);

  async function api(user: TestUser, path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${portal.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${await passwordGrant(user)}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  }

  async function book(forPatient: TestUser, body: Record<string, string>): Promise<Appointment> {
    const response = await api(staff, `/api/v1/staff/patients/${forPatient.id}/appointments`, {
      method: 'POST',
      body: JSON.stringify({ clinicianId: staff.id, mode: 'in_person', location: 'Room 2', ...body }),
    });
    if (response.status !== 201) throw new Error(`booking for ${forPatient.username}: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { appointment: Appointment }).appointment;
  }

  async function upcomingOf(user: TestUser, forPatient: TestUser): Promise<Appointment[]> {
    const response = await api(user, `/api/v1/patients/${forPatient.id}/appointments?period=upcoming&pageSize=50`);
    if (!response.ok) throw new Error(`listing: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { appointments: Appointment[] }).appointments;
  }

  const signedIn = (user: TestUser, path: string, name: string, viewport?: { width: number; height: number }) =>
    signedInBrowser(portal, people, user, path, name, viewport);

  const noErrors = (person: Person) => expect(person.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal({ serviceOptions: { appointments: { clock } } });
    // Everything these tests need must be there: a missing part fails them, never skips them.
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    const clinicId = `clinic-${run}`;
    [staff, patient, second, third] = await Promise.all([
      createUser({ roles: ['staff'], clinicId }),
      createUser({ roles: ['patient'], clinicId }),
      createUser({ roles: ['patient'], clinicId }),
      createUser({ roles: ['patient'], clinicId }),
    ]);
    guardian = await createUser({ roles: ['guardian'], patients: [patient.id, second.id], clinicId });
    // The clinic's zone is the one its staff book in and everyone reads times in.
    const profile = await api(staff, '/api/v1/staff/organisation', {
      method: 'PUT',
      body: JSON.stringify({
        name: clinicName,
        address: { line1: '1 Hill Road', line2: '', city: 'Duluth', region: 'MN', postalCode: '55802', countryCode: 'US' },
        phone: '+12185550175',
        email: `desk-${run}@hillside.example.org`,
        hours: ['Monday to Friday: 8:00 to 18:00'],
        welcomeMessage: 'Welcome.',
        portalUrl: portal.url,
        timeZone: ZONE,
      }),
    });
    if (!profile.ok) throw new Error(`saving the clinic's profile: HTTP ${profile.status} ${await profile.text()}`);

    // Two visits that have taken place, booked while the service's clock stood ten days back: one
    // completed since, one that staff will mark as a no-show on the page.
    serverNow = Date.now() - 10 * DAY;
    const past = await book(patient, { serviceType: `Intake assessment ${run}`, start: `${tenDaysAgo}T10:00`, end: `${tenDaysAgo}T11:00` });
    ids.missed = (
      await book(patient, { serviceType: `Check-in call ${run}`, start: `${tenDaysAgo}T13:00`, end: `${tenDaysAgo}T13:30` })
    ).id;
    serverNow = null;
    const completed = await api(staff, `/api/v1/staff/patients/${patient.id}/appointments/${past.id}/complete`, { method: 'POST' });
    if (!completed.ok) throw new Error(`completing: HTTP ${completed.status} ${await completed.text()}`);
    ids.past = past.id;
    // One that staff will cancel on the page, one for each other patient.
    ids.cancelLater = (
      await book(patient, { serviceType: `Family session ${run}`, start: `${clinicDay(2)}T11:00`, end: `${clinicDay(2)}T11:45` })
    ).id;
    ids.second = (
      await book(second, { serviceType: `Second's check-in ${run}`, start: `${clinicDay(3)}T09:00`, end: `${clinicDay(3)}T09:30` })
    ).id;
    // Enough for a second page of the list (ten a page).
    for (let week = 1; week <= 10; week++) {
      await book(second, {
        serviceType: `Weekly group ${week} ${run}`,
        start: `${clinicDay(3 + week)}T08:00`,
        end: `${clinicDay(3 + week)}T08:45`,
      });
    }
    ids.third = (
      await book(third, { serviceType: `Third's private visit ${run}`, start: `${clinicDay(3)}T10:00`, end: `${clinicDay(3)}T10:30` })
    ).id;
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, patient, second, third, guardian]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('staff book an in-person and a video visit on the Scheduling page, see the day and the week, cancel one with a reason and set the reminder time', async () => {
    const shot = screenshots('appointments-staff');
    const person = await signedIn(staff, '/staff/appointments', 'appointments-staff');
    const { page } = person;
    await expectHeading(page, 'Scheduling');
    // The clinician is the signed-in staff member unless another is chosen.
    expect(await page.getByLabel('Clinician', { exact: true }).inputValue()).toBe(staff.id);
    await shot(page, '01-scheduling-today');
    await expectAccessible(page, 'Scheduling');

    // A time in the past passes the browser's checks and is refused by the service, next to its field.
    await page.getByRole('button', { name: /Book appointment/ }).click();
    let dialog = page.getByRole('dialog', { name: 'Book an appointment' });
    await dialog.waitFor();
    expect((await focused(page)).name).toBe('Patient');
    await dialog.getByLabel('Patient', { exact: true }).selectOption({ label: `${nameOf(patient)} (${patient.username}@example.org)` });
    await dialog.getByLabel(/^Service/).fill(`Individual therapy ${run}`);
    await dialog.getByLabel('Date', { exact: true }).fill(clinicDay(-1));
    await dialog.getByLabel('Start', { exact: true }).fill('10:00');
    await dialog.getByLabel('End', { exact: true }).fill('10:50');
    await dialog.getByLabel(/^Where/).fill('Room 4, 1 Hill Road');
    await dialog.getByLabel(/^Note for the patient/).fill('Please bring your insurance card.');
    await shot(page, '02-book-in-person');
    await expectAccessible(page, 'the Book an appointment dialog');
    await dialog.getByRole('button', { name: 'Book appointment' }).click();
    await dialog.getByText('The appointment was not booked.').waitFor();
    const start = dialog.getByLabel('Start', { exact: true });
    expect(await start.getAttribute('aria-invalid')).toBe('true');
    expect((await focused(page)).name).toBe('Start');
    await shot(page, '03-start-in-the-past-refused');
    await expectAccessible(page, 'the booking dialog with the service’s problem');

    // Tomorrow is fine: the dialog closes, the view goes to that day and says so.
    await dialog.getByLabel('Date', { exact: true }).fill(tomorrow);
    await dialog.getByRole('button', { name: 'Book appointment' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, new RegExp(`Booked: ${nameOf(patient)} on .* at 10:00`));
    await page.getByText(`Individual therapy ${run} · Room 4, 1 Hill Road`).waitFor();

    // The video visit, by keyboard from the Book button.
    await page.getByRole('button', { name: /Book appointment/ }).click();
    dialog = page.getByRole('dialog', { name: 'Book an appointment' });
    await dialog.waitFor();
    await dialog.getByLabel('Patient', { exact: true }).selectOption({ label: `${nameOf(patient)} (${patient.username}@example.org)` });
    await dialog.getByLabel(/^Service/).fill(`Video follow-up ${run}`);
    await dialog.getByLabel('Date', { exact: true }).fill(tomorrow);
    await dialog.getByLabel('Start', { exact: true }).fill('14:00');
    await dialog.getByLabel('End', { exact: true }).fill('14:50');
    await dialog.getByRole('radio', { name: 'Video visit' }).check();
    // Without a link the form says so before anything is sent.
    await dialog.getByRole('button', { name: 'Book appointment' }).click();
    await dialog.getByText('Enter the video link.').waitFor();
    await dialog.getByLabel(/^Video link/).fill(meetingUrl);
    await shot(page, '04-book-video-visit');
    await dialog.getByRole('button', { name: 'Book appointment' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, new RegExp(`Booked: ${nameOf(patient)} on .* at 14:00`));
    await page.getByText(`Video follow-up ${run} · Video visit`).waitFor();
    await shot(page, '05-day-with-both');
    await expectAccessible(page, 'Scheduling, a day with appointments');

    // The week of the family session two days on. Someone moves it (through the API) while it is
    // open to be moved here: the later change is refused, nothing is overwritten, the latest loads.
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.getByLabel('Go to a day').fill(clinicDay(2));
    await page.getByText(`Family session ${run} · Room 2`).waitFor();
    await shot(page, '06-week');
    await expectAccessible(page, 'Scheduling, the week');
    await page.getByRole('button', { name: `Reschedule ${nameOf(patient)} at 11:00` }).click();
    dialog = page.getByRole('dialog', { name: `Reschedule ${nameOf(patient)}` });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Start', { exact: true }).inputValue()).toBe('11:00');
    const moved = await api(staff, `/api/v1/staff/patients/${patient.id}/appointments/${ids.cancelLater}/reschedule`, {
      method: 'POST',
      body: JSON.stringify({ start: `${clinicDay(2)}T11:15`, end: `${clinicDay(2)}T12:00` }),
    });
    expect(moved.status).toBe(200);
    await dialog.getByLabel('Start', { exact: true }).fill('11:30');
    await dialog.getByLabel('End', { exact: true }).fill('12:15');
    await dialog.getByRole('button', { name: 'Move appointment' }).click();
    await dialog.getByText('Someone changed this appointment after you opened it.').waitFor();
    expect(await dialog.getByRole('button', { name: 'Move appointment' }).isDisabled()).toBe(true);
    await shot(page, '07-reschedule-stale');
    await expectAccessible(page, 'the Reschedule dialog after a stale change');
    await dialog.getByRole('button', { name: 'Load the latest version' }).click();
    await expect.poll(() => dialog.getByLabel('Start', { exact: true }).inputValue()).toBe('11:15');
    await dialog.getByLabel('Start', { exact: true }).fill('11:30');
    await dialog.getByLabel('End', { exact: true }).fill('12:15');
    await dialog.getByRole('button', { name: 'Move appointment' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, new RegExp(`Moved: ${nameOf(patient)} is now on .* at 11:30`));

    // Then it is cancelled, with a reason the patient reads.
    await page.getByRole('button', { name: `Cancel ${nameOf(patient)} at 11:30` }).click();
    dialog = page.getByRole('dialog', { name: `Cancel ${nameOf(patient)}’s appointment` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog.getByText('Give the reason for the patient.').waitFor();
    await dialog.getByLabel(/^Reason/).fill('The clinician is unwell.');
    await shot(page, '08-cancel-with-reason');
    await expectAccessible(page, 'the Cancel dialog');
    await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, new RegExp(`Cancelled: ${nameOf(patient)}`));
    await page.getByText('Cancelled: The clinician is unwell.').waitFor();
    // Previous and next move by a week; Today comes back.
    await page.getByRole('button', { name: /Next week/ }).click();
    await page.getByRole('button', { name: 'Today', exact: true }).click();

    // Ten days back, by day: the completed visit has nothing left to do; the other is a no-show.
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.getByLabel('Go to a day').fill(tenDaysAgo);
    const completedSlot = page.getByRole('listitem').filter({ hasText: `Intake assessment ${run}` });
    await completedSlot.getByText('Completed', { exact: true }).waitFor();
    expect(await completedSlot.getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: `No-show ${nameOf(patient)} at 13:00` }).click();
    dialog = page.getByRole('dialog', { name: /as a no-show\?$/ });
    await dialog.waitFor();
    await expectAccessible(page, 'the no-show confirmation');
    await dialog.getByRole('button', { name: 'Mark no-show' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, new RegExp(`Marked as a no-show: ${nameOf(patient)}`));
    await page
      .getByRole('listitem')
      .filter({ hasText: `Check-in call ${run}` })
      .getByText('Missed', { exact: true })
      .waitFor();
    await shot(page, '09-past-day');

    // The clinic's reminder emails go out 48 hours ahead from now on.
    const hours = page.getByLabel('Hours before each appointment');
    await hours.fill('0');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Enter a whole number of hours from 1 to 168.').waitFor();
    await hours.fill('48');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectStatus(page, /Reminders now go out 48 hours before each appointment/);
    const settings = await api(staff, '/api/v1/staff/notification-settings');
    expect(await settings.json()).toEqual({ reminderLeadHours: 48 });
    await shot(page, '10-reminders-saved');

    // On a phone the week still fits the screen.
    await page.setViewportSize(phone);
    await page.getByRole('button', { name: 'Week', exact: true }).waitFor();
    await shot(page, '11-week-360');
    await expectNoSidewaysScroll(page, 'Scheduling at 360 px');
    await expectAccessible(page, 'Scheduling at 360 px');
    noErrors(person);
  });

  it('the patient sees upcoming and past visits, their next one on Home, downloads one, joins the video visit inside its window and subscribes, by keyboard', async () => {
    const shot = screenshots('appointments-patient');
    const person = await signedIn(patient, '/', 'appointments-patient');
    const { page, context } = person;

    // Home: the next visit that will take place (the cancelled one is not it).
    const next = page.getByRole('region', { name: 'Your next appointment' });
    await next.getByText(`Individual therapy ${run} in person with ${nameOf(staff)}`).waitFor();
    await next.getByText(/10:00 to 10:50/).waitFor();
    await next.getByText('Central Standard Time').waitFor();
    await shot(page, '01-home-next-appointment');
    await expectAccessible(page, 'Home with the next appointment');

    // From here on the browser keeps the time the test gives it, like the appointments service.
    await page.clock.install({ time: Date.now() });
    await page.reload();
    await openFromMenu(page, 'Appointments');
    const upcoming = await upcomingOf(patient, patient);
    const inPerson = upcoming.find((a) => a.serviceType === `Individual therapy ${run}`)!;
    const video = upcoming.find((a) => a.serviceType === `Video follow-up ${run}`)!;
    expect(video.canJoinNow).toBe(false);
    const list = page.getByRole('list', { name: 'Upcoming' });
    const card = (service: string) => list.getByRole('listitem').filter({ hasText: service });
    await card(`Individual therapy ${run}`).getByText('Room 4, 1 Hill Road').waitFor();
    await card(`Individual therapy ${run}`).getByText('Please bring your insurance card.').waitFor();
    expect(await card(`Individual therapy ${run}`).locator('.appointment-card__time').textContent()).toMatch(
      /^10:00 – 10:50 Central Standard Time · 50 minutes$/,
    );
    await card(`Family session ${run}`).getByText('Cancelled', { exact: true }).waitFor();
    await card(`Family session ${run}`).getByText('The clinician is unwell.').waitFor();
    expect(
      await card(`Family session ${run}`)
        .getByRole('button', { name: /Join video visit/ })
        .count(),
    ).toBe(0);
    const join = card(`Video follow-up ${run}`).getByRole('button', { name: /Join video visit/ });
    expect(await join.isDisabled()).toBe(true);
    await card(`Video follow-up ${run}`).getByText('Opens at 13:45').waitFor();
    await shot(page, '02-upcoming');
    await expectAccessible(page, 'Appointments, upcoming');

    // The visit as a calendar file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card(`Individual therapy ${run}`)
        .getByRole('link', { name: /Add to calendar/ })
        .click(),
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const ics = Buffer.concat(chunks).toString('utf8');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain(`UID:${inPerson.id}@portico`);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);

    // Past, by keyboard: the tabs are one stop, the arrow keys choose.
    await page.getByRole('tab', { name: 'Upcoming' }).focus();
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).name).toBe('Past');
    const pastList = page.getByRole('list', { name: 'Past' });
    const pastCard = pastList.getByRole('listitem').filter({ hasText: `Intake assessment ${run}` });
    await pastCard.getByText('Completed', { exact: true }).waitFor();
    await pastList
      .getByRole('listitem')
      .filter({ hasText: `Check-in call ${run}` })
      .getByText('Missed', { exact: true })
      .waitFor();
    expect(await pastCard.getByRole('link', { name: /Add to calendar/ }).count()).toBe(0);
    expect(page.url()).toContain('show=past');
    await shot(page, '03-past');
    await expectAccessible(page, 'Appointments, past');
    await page.keyboard.press('ArrowLeft');
    await list.waitFor();

    // The window opens 15 minutes before the start: the service's clock and the browser's get
    // there, and the button comes on by itself, without a reload.
    serverNow = Date.parse(video.telehealthOpensAt!) + 60_000;
    await page.clock.fastForward(serverNow - (await page.evaluate(() => Date.now())));
    await expect.poll(() => join.isEnabled(), { timeout: 20_000 }).toBe(true);
    await shot(page, '04-join-open');
    await expectAccessible(page, 'Appointments with the video visit open');
    await context.route(`${meetingUrl}**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Video visit</title><h1>Meeting room</h1>' }),
    );
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, /^Join video visit/, 80);
    const [meeting] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
    await meeting.waitForURL(meetingUrl);
    expect(await meeting.evaluate(() => window.opener)).toBeNull();
    await card(`Video follow-up ${run}`).getByRole('link', { name: 'Open the video visit again' }).waitFor();
    expect(await card(`Video follow-up ${run}`).getByRole('link', { name: 'Open the video visit again' }).getAttribute('href')).toBe(
      meetingUrl,
    );
    await meeting.close();

    // Subscribe, by keyboard: make the address, copy it; a calendar program reads it without cookies.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.url });
    await page.getByRole('heading', { level: 1 }).focus();
    await tabTo(page, /^Subscribe in my calendar$/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Subscribe in your calendar' });
    await dialog.getByText(`“Appointment at ${clinicName}”`, { exact: false }).waitFor();
    await shot(page, '05-subscribe');
    await expectAccessible(page, 'the Subscribe dialog');
    await tabTo(page, /^Make my subscription address$/);
    await page.keyboard.press('Enter');
    const address = dialog.getByRole('textbox', { name: 'Subscription address' });
    await address.waitFor();
    expect((await focused(page)).name).toBe('Subscription address');
    const feedUrl = await address.inputValue();
    expect(feedUrl).toMatch(new RegExp(`^${portal.url}/calendar/[A-Za-z0-9_-]+\\.ics$`));
    expect(await dialog.getByRole('link', { name: 'Open in my calendar app' }).getAttribute('href')).toBe(
      feedUrl.replace(/^http:/, 'webcal:'),
    );
    await tabTo(page, /^Copy address$/);
    await page.keyboard.press('Enter');
    await dialog.getByText('The address was copied.', { exact: false }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(feedUrl);
    await shot(page, '06-subscription-address');
    await expectAccessible(page, 'the Subscribe dialog with the address');

    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const calendar = await feed.text();
    expect(calendar).toContain('BEGIN:VCALENDAR');
    expect(calendar).toContain(`Appointment at ${clinicName}`);
    expect(calendar).toContain(`UID:${video.id}@portico`);
    // No health details leave the portal: not what the visit is for, not the note.
    expect(calendar).not.toContain(`Video follow-up ${run}`);
    expect(calendar).not.toContain('insurance card');

    // Closed and opened again: the address is not shown again; it is stopped, after a confirmation.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await focused(page)).name).toBe('Subscribe in my calendar');
    await page.keyboard.press('Enter');
    await dialog.getByText('You have a subscription').waitFor();
    await dialog.getByText(/^Made on /).waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Subscription address' }).count()).toBe(0);
    await shot(page, '07-existing-subscription');
    await tabTo(page, /^Stop the subscription$/);
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Stop the subscription?' });
    await confirm.waitFor();
    await expectAccessible(page, 'the Stop the subscription confirmation');
    await tabTo(page, /^Stop subscription$/);
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Make my subscription address' }).waitFor();
    expect((await fetch(feedUrl)).status).toBe(404);
    await page.keyboard.press('Escape');
    noErrors(person);
  });

  it('at 360 px the patient’s appointments, the subscription, Home and email preferences fit the screen; appointment emails are turned off', async () => {
    const shot = screenshots('appointments-360');
    const person = await signedIn(patient, '/appointments', 'appointments-360', phone);
    const { page } = person;
    await expectHeading(page, 'Appointments');
    await page.getByRole('list', { name: 'Upcoming' }).waitFor();
    await shot(page, '01-upcoming-360');
    await expectNoSidewaysScroll(page, 'Appointments (upcoming) at 360 px');
    await expectAccessible(page, 'Appointments at 360 px');
    await page.getByRole('tab', { name: 'Past' }).click();
    await page.getByRole('list', { name: 'Past' }).waitFor();
    await expectNoSidewaysScroll(page, 'Appointments (past) at 360 px');
    await page.getByRole('button', { name: 'Subscribe in my calendar' }).click();
    await page.getByRole('button', { name: 'Make my subscription address' }).click();
    await page.getByRole('textbox', { name: 'Subscription address' }).waitFor();
    await shot(page, '02-subscribe-360');
    await expectNoSidewaysScroll(page, 'the Subscribe dialog at 360 px');
    await expectAccessible(page, 'the Subscribe dialog at 360 px');
    await page.getByRole('button', { name: 'Done' }).click();

    await openFromMenu(page, 'Home');
    await page.getByRole('region', { name: 'Your next appointment' }).waitFor();
    await shot(page, '03-home-360');
    await expectNoSidewaysScroll(page, 'Home at 360 px');

    // Email preferences from the account menu.
    await page.getByRole('button', { name: new RegExp(`^${nameOf(patient)}: account menu`) }).click();
    await page.getByRole('menuitem', { name: 'Email preferences' }).click();
    await expectHeading(page, 'Email preferences');
    const box = page.getByRole('checkbox', { name: 'Email me about appointments' });
    expect(await box.isChecked()).toBe(true);
    await shot(page, '04-email-preferences-360');
    await expectNoSidewaysScroll(page, 'Email preferences at 360 px');
    await expectAccessible(page, 'Email preferences at 360 px');
    await box.uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expectStatus(page, /you will not get emails about appointments/);
    expect(await (await api(patient, '/api/v1/me/notification-preferences')).json()).toEqual({ appointmentEmails: false });
    await page.reload();
    await expectHeading(page, 'Email preferences');
    await page.getByRole('checkbox', { name: 'Email me about appointments' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Email me about appointments' }).isChecked()).toBe(false);
    noErrors(person);
  });

  it('a guardian sees each of their patients’ appointments, named, and never a third patient’s', async () => {
    const shot = screenshots('appointments-guardian');
    const person = await signedIn(guardian, '/appointments', 'appointments-guardian');
    const { page } = person;
    await expectHeading(page, 'Appointments');
    const lead = page.locator('.page-header__lead');
    const first = (await page.getByRole('button', { name: /^Acting for:/ }).textContent())!.replace(/^Acting for:/, '').trim();
    const [shown, other] = first === nameOf(patient) ? [patient, second] : [second, patient];
    const serviceOf = (user: TestUser) => (user === patient ? `Family session ${run}` : `Second's check-in ${run}`);
    await page.getByRole('list', { name: 'Upcoming' }).getByText(serviceOf(shown)).waitFor();
    expect(await lead.textContent()).toContain(nameOf(shown));
    await shot(page, '01-first-patient');
    await expectAccessible(page, 'Appointments (guardian)');

    await switchPatient(page, nameOf(other));
    await page.getByRole('list', { name: 'Upcoming' }).getByText(serviceOf(other)).waitFor();
    expect(await lead.textContent()).toContain(nameOf(other));
    expect(await page.getByText(serviceOf(shown)).count()).toBe(0);
    await shot(page, '02-second-patient');

    // Eleven visits of the second patient: ten, then "Show more" brings the eleventh and focus goes to it.
    if (other !== second) await switchPatient(page, nameOf(second));
    const list = page.getByRole('list', { name: 'Upcoming' });
    await list.getByText(`Weekly group 9 ${run}`).waitFor();
    expect(await list.getByRole('listitem').count()).toBe(10);
    expect(await list.getByText(`Weekly group 10 ${run}`).count()).toBe(0);
    await page.getByRole('button', { name: 'Show more appointments' }).click();
    await list.getByText(`Weekly group 10 ${run}`).waitFor();
    expect(await list.getByRole('listitem').count()).toBe(11);
    await expect.poll(async () => (await focused(page)).tag).toBe('h2');
    expect(await page.getByRole('button', { name: 'Show more appointments' }).count()).toBe(0);
    await shot(page, '03-show-more');

    // The third patient's visit is nowhere, and the gateway answers 404 for it with this session.
    expect(await page.getByText(`Third's private visit ${run}`).count()).toBe(0);
    const answers = await page.evaluate(
      async ([thirdId, appointmentId]) => ({
        list: (await fetch(`/api/v1/patients/${thirdId}/appointments`)).status,
        one: (await fetch(`/api/v1/patients/${thirdId}/appointments/${appointmentId}`)).status,
        ics: (await fetch(`/api/v1/patients/${thirdId}/appointments/${appointmentId}/calendar.ics`)).status,
      }),
      [third.id, ids.third],
    );
    expect(answers).toEqual({ list: 404, one: 404, ics: 404 });
    expect((await upcomingOf(guardian, second)).map((a) => a.id)).toContain(ids.second);
    noErrors(person);
  });
});
