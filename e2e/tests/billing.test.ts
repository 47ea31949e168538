// Seed step 7 in a real browser against the real platform (the billing service on its sandbox
// processor): the patient opens Billing and sees the payment summary; each category of the left
// menu lists its items and an invoice opens with its line items; the large yellow Make a Payment
// button opens a dialog that refuses a fraction of a cent next to its field, then pays an amount
// with the sandbox's test card, settling the oldest invoice first, which Payments shows with its
// receipt (a PDF), and the month's statement and a super bill download; at 360 px, by keyboard alone, the rest of the balance is paid. Staff see the
// Billing section of the patient's record. Every page and dialog passes axe.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, phone, tabTo, type Person } from '../support/browser.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectHeading, expectNoSidewaysScroll, expectStatus } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);

interface Invoice {
  id: string;
  number: string;
  due: { amountMinor: number };
}

describe('billing in a browser against the real platform', { timeout: 600_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser;
  const people: Person[] = [];
  const invoices: Invoice[] = [];

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

  async function issue(priceMinor: number, description: string): Promise<Invoice> {
    const response = await api(staff, `/api/v1/staff/patients/${patient.id}/billing/invoices`, {
      method: 'POST',
      headers: { 'idempotency-key': `e2e-${randomUUID()}` },
      body: JSON.stringify({
        lines: [
          {
            dateOfService: '2026-11-02',
            procedureCode: '90834',
            modifiers: ['95'],
            description,
            units: 1,
            unitPrice: { amountMinor: priceMinor, currency: 'USD' },
          },
        ],
      }),
    });
    if (response.status !== 201) throw new Error(`invoicing: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { invoice: Invoice }).invoice;
  }

  const signedIn = (user: TestUser, path: string, name: string, viewport?: { width: number; height: number }) =>
    signedInBrowser(portal, people, user, path, name, viewport);

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    const clinicId = `clinic-${run}`;
    [staff, patient] = await Promise.all([createUser({ roles: ['staff'], clinicId }), createUser({ roles: ['patient'], clinicId })]);
    const profile = await api(staff, '/api/v1/staff/organisation', {
      method: 'PUT',
      body: JSON.stringify({
        name: `Lakeside Clinic ${run}`,
        address: { line1: '3 Lake Road', line2: '', city: 'Bangor', region: 'ME', postalCode: '04401', countryCode: 'US' },
        portalUrl: portal.url,
        timeZone: 'America/New_York',
      }),
    });
    if (!profile.ok) throw new Error(`saving the clinic's profile: HTTP ${profile.status} ${await profile.text()}`);
    // Oldest first: the intake, then a session.
    invoices.push(await issue(15_000, `Intake assessment ${run}`));
    invoices.push(await issue(8_000, `Psychotherapy session ${run}`));
    const superbill = await api(staff, `/api/v1/staff/patients/${patient.id}/billing/superbills`, {
      method: 'POST',
      body: JSON.stringify({
        parties: {
          clinicNpi: '1234567893',
          clinicTaxId: '12-3456789',
          providerName: 'Alex Rivera',
          providerCredentials: 'LCSW',
          providerLicence: 'ME-LCSW-20417',
          providerNpi: '1992753883',
          patientName: 'Riley Morgan',
          patientDateOfBirth: '2009-04-17',
        },
        diagnosisCodes: ['F41.1'],
        lines: invoices.map((i) => ({ invoiceId: i.id, lineIndex: 0, placeOfService: '11', diagnosisPointers: 'A' })),
      }),
    });
    if (superbill.status !== 201) throw new Error(`superbill: HTTP ${superbill.status} ${await superbill.text()}`);
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, patient]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('shows the summary and every category, and pays an amount oldest invoice first with a receipt', async () => {
    const shot = screenshots('billing-patient');
    const person = await signedIn(patient, '/billing', 'billing-patient');
    const { page } = person;
    await expectHeading(page, 'Billing');
    const summary = page.getByRole('region', { name: 'Payment summary' });
    await summary.getByText('$230.00').waitFor();
    await shot(page, '01-summary');
    await expectAccessible(page, 'Billing');

    const menu = page.getByRole('navigation', { name: 'Billing' });
    for (const category of ['Estimates', 'Payment Plans', 'Payments']) {
      await menu.getByRole('link', { name: category, exact: true }).click();
      await page.getByRole('heading', { level: 2, name: category }).waitFor();
      await expectAccessible(page, `Billing: ${category}`);
    }
    await menu.getByRole('link', { name: 'Outstanding Invoices', exact: true }).click();
    await page.getByRole('link', { name: `Invoice ${invoices[0]!.number}` }).click();
    const lines = page.getByRole('region', { name: `Invoice ${invoices[0]!.number}` });
    await lines.getByRole('cell', { name: `Intake assessment ${run}` }).waitFor();
    expect(await lines.getByRole('cell', { name: '90834-95' }).count()).toBe(1);
    await shot(page, '02-invoice');
    await expectAccessible(page, 'an invoice');

    const payButton = page.getByRole('button', { name: 'Make a Payment' });
    // The large yellow button at the top right, beside the page's heading.
    const colour = await payButton.evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(colour).toBe('rgb(245, 197, 24)');
    await payButton.click();
    const dialog = page.getByRole('dialog', { name: 'Make a Payment' });
    await dialog.waitFor();
    await dialog.getByLabel('Another amount').check();
    await dialog.getByLabel(/^Amount/).fill('10.005');
    await dialog.getByLabel('Card number').fill('4242 4242 4242 4242');
    await dialog.getByRole('button', { name: 'Pay now' }).click();
    await dialog.getByText('Enter whole cents, such as 25.50.').waitFor();
    await expectAccessible(page, 'the Make a Payment dialog with a problem');
    await dialog.getByLabel(/^Amount/).fill('200.00');
    await shot(page, '03-pay-amount');
    await dialog.getByRole('button', { name: 'Pay now' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, /Payment of \$200\.00 received/);
    expect((await focused(page)).name).toBe('Make a Payment');

    await menu.getByRole('link', { name: 'Payments', exact: true }).click();
    const payments = page.getByRole('region', { name: 'Payments' });
    await payments.getByText(`$150.00 to invoice ${invoices[0]!.number}`).waitFor();
    await payments.getByText(`$50.00 to invoice ${invoices[1]!.number}`).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), payments.getByRole('link', { name: /Download receipt/ }).click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe('%PDF-');
    await shot(page, '04-payments');

    await menu.getByRole('link', { name: 'Statements', exact: true }).click();
    const statements = page.getByRole('region', { name: 'Statements' });
    await statements.getByText(/new balance \$30\.00/).waitFor();
    const [statement] = await Promise.all([
      page.waitForEvent('download'),
      statements.getByRole('link', { name: /Download the statement/ }).click(),
    ]);
    expect(statement.suggestedFilename()).toMatch(/^statement-\d{4}-\d{2}\.pdf$/);
    await expectAccessible(page, 'Billing: Statements');

    await menu.getByRole('link', { name: 'Super Bills', exact: true }).click();
    const superbills = page.getByRole('region', { name: 'Super Bills' });
    await superbills.getByText('2 services; charges $230.00, paid $0.00.').waitFor();
    const [superbillPdf] = await Promise.all([
      page.waitForEvent('download'),
      superbills.getByRole('link', { name: /Download the super bill/ }).click(),
    ]);
    expect(superbillPdf.suggestedFilename()).toMatch(/^superbill-.*\.pdf$/);
    await expectAccessible(page, 'Billing: Super Bills');

    await menu.getByRole('link', { name: 'Payment summary', exact: true }).click();
    await summary.getByText('$30.00').first().waitFor();
  });

  it('pays the rest at 360 px with the keyboard alone, without sideways scrolling', async () => {
    const shot = screenshots('billing-phone');
    const person = await signedIn(patient, '/billing', 'billing-phone', phone);
    const { page } = person;
    await expectHeading(page, 'Billing');
    await expectNoSidewaysScroll(page, 'Billing at 360 px');
    await tabTo(page, /^Make a Payment$/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Make a Payment' });
    await dialog.waitFor();
    await expectAccessible(page, 'the Make a Payment dialog at 360 px');
    await expectNoSidewaysScroll(page, 'the Make a Payment dialog at 360 px');
    // The whole balance is chosen already; Tab to the card number and type it.
    await tabTo(page, /^Card number/);
    await page.keyboard.type('4242424242424242');
    await tabTo(page, /^Pay now$/);
    await shot(page, '01-keyboard');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, /Payment of \$30\.00 received/);
    await page.getByText('Nothing is due. Thank you.').waitFor();
    for (const path of ['/billing/invoices', '/billing/payments']) {
      await page.goto(`${portal.url}${path}`);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await expectNoSidewaysScroll(page, `${path} at 360 px`);
    }
  });

  it('shows staff the Billing section of the patient’s record', async () => {
    const person = await signedIn(staff, `/staff/patients/${patient.id}`, 'billing-staff');
    const { page } = person;
    const section = page.getByRole('region', { name: 'Billing' });
    await section.getByText(invoices[0]!.number).waitFor();
    await section.getByText(/^Balance \$[\d,.]+, of which/).waitFor();
    await expectAccessible(page, 'the patient record with Billing');
    // Every payment of the clinic, from the staff menu, each leading to its patient's record.
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Payments', exact: true }).click();
    await expectHeading(page, 'Payments');
    await page.getByRole('cell', { name: '$200.00' }).waitFor();
    expect(await page.getByRole('table').getByRole('row').count()).toBe(3);
    await expectAccessible(page, 'the clinic’s payments');
    await page.goBack();
    await page.getByRole('region', { name: 'Billing' }).waitFor();
    await section.getByRole('button', { name: 'Record a payment' }).click();
    await page.getByRole('dialog', { name: 'Record a payment' }).waitFor();
    await expectAccessible(page, 'the Record a payment dialog');
  });
});
