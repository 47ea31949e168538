// Seed steps 5–8 as the acceptance walkthrough takes them, one after another in the same patient's
// session: what the clinic prepares (through the staff API, or the staff pages where the step is
// theirs), then what the patient sees and does in the browser. Each area's own browser test goes
// deeper (guardians, refusals, 360 px, keyboard); here the point is the whole journey on one
// platform, as the seed walks it.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { passwordGrant, wallClock, type TestUser } from '@portico/testing';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible } from './axe.js';
import { focused, tabTo } from './browser.js';
import { expectHeading, expectStatus, openFromMenu, type Shot } from './scenarios.js';

/** The clinic's side: the staff API of the gateway, as `staff`. Throws on any unexpected status. */
export function staffApi(portalUrl: string, staff: TestUser) {
  return async <T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const response = await fetch(`${portalUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await passwordGrant(staff)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
}
export type StaffApi = ReturnType<typeof staffApi>;

/** The bytes a click downloads. */
export async function downloadOf(page: Page, click: () => Promise<unknown>): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The wall-clock date and time (YYYY-MM-DD, HH:mm) in `zone` of an instant. */
function clinicTime(instant: number, zone: string): { date: string; time: string } {
  const [date, time] = wallClock(new Date(instant), zone).split('T') as [string, string];
  return { date, time };
}

export interface StepContext {
  page: Page;
  staff: StaffApi;
  patientId: string;
  clinicianId: string;
  zone: string;
  run: string;
  shot: Shot;
}

/**
 * Step 5: Appointments. The clinic booked a video visit that starts in a few minutes (inside its
 * join window) and recorded a past visit; the patient sees Upcoming and Past, joins the video
 * visit (the meeting opens in a new tab) and downloads the visit for their calendar.
 */
export async function appointmentsStep({ page, staff, patientId, clinicianId, zone, run, shot }: StepContext): Promise<void> {
  const meetingUrl = `https://meet.example.org/walkthrough-${run}`;
  const start = clinicTime(Date.now() + 10 * 60_000, zone);
  const end = clinicTime(Date.now() + 55 * 60_000, zone);
  await staff('POST', `/api/v1/staff/patients/${patientId}/appointments`, {
    clinicianId,
    mode: 'telehealth',
    meetingUrl,
    serviceType: `Video check-in ${run}`,
    start: `${start.date}T${start.time}`,
    end: `${end.date}T${end.time}`,
  });
  const weekAgo = clinicTime(Date.now() - 7 * 86_400_000, zone).date;
  await staff('POST', `/api/v1/staff/patients/${patientId}/appointments/past-visits`, {
    clinicianId,
    mode: 'in_person',
    location: 'Room 1',
    serviceType: `Intake assessment ${run}`,
    start: `${weekAgo}T09:00`,
    end: `${weekAgo}T10:00`,
    outcome: 'completed',
  });

  await openFromMenu(page, 'Appointments');
  const card = page
    .getByRole('list', { name: 'Upcoming' })
    .getByRole('listitem')
    .filter({ hasText: `Video check-in ${run}` });
  const join = card.getByRole('button', { name: /Join video visit/ });
  await join.waitFor();
  await expect.poll(() => join.isEnabled(), { timeout: 30_000 }).toBe(true);
  await shot(page, 'step5-appointments-upcoming');
  await expectAccessible(page, 'Appointments, upcoming (walkthrough)');

  // The meeting is somebody else's site: the browser is answered locally, the address is what counts.
  await page.context().route(`${meetingUrl}**`, (route) => route.fulfill({ contentType: 'text/html', body: '<title>Meeting</title>' }));
  const [meeting] = await Promise.all([page.context().waitForEvent('page'), join.click()]);
  await meeting.waitForURL(meetingUrl);
  await meeting.close();

  const ics = (await downloadOf(page, () => card.getByRole('link', { name: /Add to calendar/ }).click())).toString('utf8');
  expect(ics).toContain('BEGIN:VCALENDAR');
  expect(ics).toContain('BEGIN:VEVENT');

  await page.getByRole('tab', { name: 'Past' }).click();
  await page.getByText(`Intake assessment ${run}`).waitFor();
  await shot(page, 'step5-appointments-past');
  await expectAccessible(page, 'Appointments, past (walkthrough)');
}

/**
 * Step 6: Documents. The clinic shared a treatment plan (on the patient's record, in the staff
 * member's browser), assigned its intake questionnaire and asked for a consent; the patient finds
 * the six sections, opens the plan, completes and submits the form, sees the red badge, signs the
 * consent with their typed name and Save, and uploads a file that the clinic receives.
 */
export async function documentsStep(
  context: StepContext & { staffPage: Page; plan: Buffer; upload: Buffer; signer: string },
): Promise<void> {
  const { page, staff, patientId, run, shot, staffPage, plan, upload, signer } = context;
  const planTitle = `Treatment plan ${run}`;
  await staffPage.goto(`${new URL(staffPage.url()).origin}/staff/patients/${patientId}`);
  await staffPage.getByRole('heading', { name: 'Share a note, assessment or treatment plan' }).waitFor();
  const share = staffPage.locator('form').filter({ has: staffPage.getByRole('button', { name: 'Share with the patient' }) });
  await share.getByLabel('Kind').selectOption({ label: 'Treatment plan' });
  await share.getByLabel('Title').fill(planTitle);
  await share.getByLabel('Date of the document').fill(clinicTime(Date.now(), context.zone).date);
  await share.getByLabel('Author').fill('Dr Alex Morgan');
  await share.getByLabel('The document (PDF)').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: plan });
  await share.getByRole('button', { name: 'Share with the patient' }).click();
  await expectStatus(staffPage, new RegExp(`${planTitle} was shared`));
  await shot(staffPage, 'step6-staff-shared-plan');
  await staff('POST', `/api/v1/staff/patients/${patientId}/consents`, { templateId: 'telehealth' });
  // The clinic's intake questionnaire (the demo clinic's example), assigned to the patient.
  const intake = JSON.parse(readFileSync(new URL('../../deploy/local/forms/intake.json', import.meta.url), 'utf8')) as object;
  await staff('PUT', '/api/v1/staff/forms/definitions/intake', { survey: intake });
  await staff('POST', `/api/v1/staff/patients/${patientId}/forms`, { definitionKey: 'intake' });

  // The red badge on the menu item says how many consents wait (read with the link).
  await page.reload();
  const documentsLink = page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Documents 1 consent to sign' });
  await documentsLink.click();
  await expectHeading(page, 'Documents');
  const sections = page.getByRole('navigation', { name: 'Sections of Documents' });
  for (const label of ['Forms and Surveys', 'Additional Surveys', 'Notes, Assessments and Treatment Plans', 'Resources', 'Upload'])
    await sections.getByRole('link', { name: label, exact: true }).waitFor();
  await page.getByRole('heading', { name: planTitle }).waitFor();
  await shot(page, 'step6-documents');
  await expectAccessible(page, 'Documents (walkthrough)');
  const opened = await downloadOf(page, () => page.getByRole('link', { name: new RegExp(`^Download ${planTitle}`) }).click());
  expect(opened.equals(plan)).toBe(true);

  // The form to complete: answered and submitted, then read-only.
  await sections.getByRole('link', { name: 'Forms and Surveys', exact: true }).click();
  await page.getByRole('link', { name: 'Start Intake questionnaire' }).click();
  await page.getByRole('heading', { name: 'Intake questionnaire', level: 1 }).waitFor();
  const reason = page.getByRole('textbox', { name: /What brings you to the clinic\?/ });
  await reason.fill(`Trouble sleeping ${run}`);
  // SurveyJS takes a text answer when the field is left.
  await reason.press('Tab');
  await page.getByText(/^Draft saved /).waitFor({ timeout: 15_000 });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // The yes/no question's one tab stop; the arrows choose within it.
  await tabTo(page, /^(Yes|No)$/, 60);
  await page.keyboard.press((await focused(page)).name === 'Yes' ? 'ArrowDown' : 'Space');
  expect(await page.getByRole('radio', { name: 'No' }).isChecked()).toBe(true);
  await tabTo(page, /May the clinic leave a message/, 60);
  await page.keyboard.press('Space');
  await shot(page, 'step6-form');
  await expectAccessible(page, 'the intake questionnaire (walkthrough)');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /^Submitted / })
    .waitFor();
  expect(await page.getByRole('button', { name: 'Submit' }).count()).toBe(0);
  await documentsLink.click();
  await expectHeading(page, 'Documents');

  // The consent: the pencil, the electronic-records disclosure, the typed name, Save.
  await sections.getByRole('link', { name: /^Consents/ }).click();
  await page.getByRole('link', { name: 'Sign Consent to telehealth' }).click();
  await page.getByRole('heading', { name: 'Consent to electronic records and signatures' }).waitFor();
  await page.getByLabel(/I have read this and agree/).check();
  await page.getByRole('button', { name: 'Agree and continue' }).click();
  await page.getByLabel(/^Your full name/).fill(signer);
  await shot(page, 'step6-consent-signature');
  await expectAccessible(page, 'the consent signature (walkthrough)');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expectStatus(page, /Consent to telehealth signed\./);

  // The Upload tool: the file reaches the clinic. The badge is gone from the menu item.
  await openFromMenu(page, 'Documents');
  await sections.getByRole('link', { name: 'Upload', exact: true }).click();
  await page.getByLabel('File to send').setInputFiles({ name: 'Referral letter.pdf', mimeType: 'application/pdf', buffer: upload });
  await page.getByRole('button', { name: 'Send to the clinic' }).click();
  await page.locator('.notice--success').getByText('Referral letter.pdf was received by the clinic.').waitFor({ timeout: 60_000 });
  await shot(page, 'step6-uploaded');
  await expectAccessible(page, 'the Upload tool after sending (walkthrough)');
  // The clinic has it: the same bytes, under the patient.
  const { uploads } = await staff<{ uploads: { patientId: string; file: { fileName: string; sha256: string } }[] }>(
    'GET',
    '/api/v1/staff/uploads?status=received',
  );
  expect(uploads.find((u) => u.patientId === patientId)?.file).toMatchObject({
    fileName: 'Referral letter.pdf',
    sha256: createHash('sha256').update(upload).digest('hex'),
  });
}

/**
 * Step 7: Billing. The clinic issued an invoice; the patient sees the summary, walks the left
 * menu's categories, pays the balance with the large yellow Make a Payment button (the sandbox's
 * card form) and finds the payment with its receipt.
 */
export async function billingStep({ page, staff, patientId, run, shot }: StepContext): Promise<void> {
  const { invoice } = await staff<{ invoice: { number: string } }>(
    'POST',
    `/api/v1/staff/patients/${patientId}/billing/invoices`,
    {
      lines: [
        {
          dateOfService: clinicTime(Date.now() - 7 * 86_400_000, 'UTC').date,
          procedureCode: '90791',
          modifiers: [],
          description: `Intake assessment ${run}`,
          units: 1,
          unitPrice: { amountMinor: 15000, currency: 'USD' },
        },
      ],
    },
    { 'idempotency-key': `walkthrough-${randomUUID()}` },
  );

  await openFromMenu(page, 'Billing');
  await page.getByRole('region', { name: 'Payment summary' }).getByText('$150.00').first().waitFor();
  await shot(page, 'step7-billing-summary');
  await expectAccessible(page, 'Billing (walkthrough)');
  const menu = page.getByRole('navigation', { name: 'Billing' });
  for (const category of ['Outstanding Invoices', 'Payments', 'Estimates', 'Payment Plans', 'Statements', 'Super Bills']) {
    await menu.getByRole('link', { name: category, exact: true }).click();
    await page.getByRole('heading', { level: 2, name: category }).waitFor();
  }
  await menu.getByRole('link', { name: 'Outstanding Invoices', exact: true }).click();
  await page.getByRole('link', { name: `Invoice ${invoice.number}` }).waitFor();

  await page.getByRole('button', { name: 'Make a Payment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Make a Payment' });
  await dialog.getByLabel('Card number').fill('4242 4242 4242 4242');
  await expectAccessible(page, 'the Make a Payment dialog (walkthrough)');
  await dialog.getByRole('button', { name: 'Pay now' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectStatus(page, /Payment of \$150\.00 received/);
  await menu.getByRole('link', { name: 'Payments', exact: true }).click();
  const payments = page.getByRole('region', { name: 'Payments' });
  await payments.getByText(`$150.00 to invoice ${invoice.number}`).waitFor();
  const receipt = await downloadOf(page, () =>
    payments
      .getByRole('link', { name: /Download receipt/ })
      .first()
      .click(),
  );
  expect(receipt.subarray(0, 5).toString()).toBe('%PDF-');
  await shot(page, 'step7-paid');
}

/** Step 8: Insurance. The large yellow Add Insurance button, the pop-up, saved and listed. */
export async function insuranceStep({ page, run, shot }: StepContext): Promise<void> {
  await openFromMenu(page, 'Insurance');
  await page.getByRole('button', { name: 'Add Insurance' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add insurance' });
  await dialog.getByLabel('Insurance company').fill(`Blue Cross ${run}`);
  await dialog.getByLabel(/^Plan name/).fill('Choice Plus');
  await dialog.getByLabel('Plan type').selectOption({ label: 'PPO' });
  await dialog.getByLabel('Member ID').fill(`XJH${run}`);
  await dialog.getByLabel('Start date').fill('2026-01-01');
  await shot(page, 'step8-insurance-dialog');
  await expectAccessible(page, 'the Add insurance pop-up (walkthrough)');
  await dialog.getByRole('button', { name: 'Save insurance' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectStatus(page, new RegExp(`Blue Cross ${run} was added`));
  await page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: new RegExp(`Blue Cross ${run}`) }) })
    .getByText('Submitted – waiting for the clinic')
    .waitFor();
  await shot(page, 'step8-insurance-listed');
  await expectAccessible(page, 'Insurance (walkthrough)');
}
