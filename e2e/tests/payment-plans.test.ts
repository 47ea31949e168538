// Payment plans in a real browser against the real platform: staff open the patient's record,
// make a payment plan in its dialog (a wrong number of instalments refused next to its field),
// and see it on the record; the patient at 360 px sees the next instalment on the Billing summary
// and, under Payment Plans, the plan's total, what is paid and the schedule. Staff then cancel the
// plan by keyboard after a confirmation (at 360 px); the patient sees it cancelled, its amount owed
// again and no next instalment. Every new page and dialog passes axe; nothing scrolls sideways at 360 px.
import { randomUUID } from 'node:crypto';
import { deleteUser, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { testClinic, type TestClinic } from '../support/clinic.js';
import { assertChromium, phone, type Person } from '../support/browser.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectHeading, expectNoSidewaysScroll, expectStatus } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);
/** A week from now, as the date field takes it. */
const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

describe('payment plans in a browser against the real platform', { timeout: 600_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser;
  const people: Person[] = [];
  let api: TestClinic['api'];
  let invoiceId: string;

  const signedIn = (user: TestUser, path: string, name: string, viewport?: { width: number; height: number }) =>
    signedInBrowser(portal, people, user, path, name, viewport);

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    ({ staff, patient, api } = await testClinic(portal, `Harbour Clinic ${run}`));
    const invoice = await api(staff, `/api/v1/staff/patients/${patient.id}/billing/invoices`, {
      method: 'POST',
      headers: { 'idempotency-key': `e2e-${randomUUID()}` },
      body: JSON.stringify({
        lines: [
          {
            dateOfService: '2026-11-02',
            procedureCode: '90791',
            modifiers: [],
            description: `Intake assessment ${run}`,
            units: 1,
            unitPrice: { amountMinor: 25_000, currency: 'USD' },
          },
        ],
      }),
    });
    if (invoice.status !== 201) throw new Error(`invoicing: HTTP ${invoice.status} ${await invoice.text()}`);
    invoiceId = ((await invoice.json()) as { invoice: { id: string } }).invoice.id;
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, patient]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('lets staff make a payment plan from the patient’s record', async () => {
    const shot = screenshots('payment-plans-staff');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'payment-plans-staff');
    const section = page.getByRole('region', { name: 'Billing' });
    await section.getByText(/^Balance \$250\.00/).waitFor();
    await section.getByRole('button', { name: 'New payment plan' }).click();
    const dialog = page.getByRole('dialog', { name: 'New payment plan' });
    await dialog.waitFor();
    await expectAccessible(page, 'the New payment plan dialog');
    await dialog.getByLabel(/^Number of instalments/).fill('1');
    await dialog.getByRole('button', { name: 'Create plan' }).click();
    await dialog.getByText('Enter a whole number from 2 to 36.').waitFor();
    expect(await dialog.getByLabel(/^Number of instalments/).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the New payment plan dialog with a problem');
    await dialog.getByLabel(/^Number of instalments/).fill('3');
    // The one outstanding invoice, chosen: the plan takes all it owes.
    await dialog.getByRole('group', { name: 'Invoices in the plan' }).getByRole('checkbox').check();
    await dialog.getByLabel('How often').selectOption('monthly');
    await dialog.getByLabel('First instalment on').fill(inAWeek);
    await shot(page, '01-dialog');
    await dialog.getByRole('button', { name: 'Create plan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, /Payment plan PLAN-\d{4}-[0-9A-F]{8} created: \$250\.00 in 3 instalments/);
    const plans = section.getByRole('region', { name: 'Payment Plans table' });
    await plans.getByRole('cell', { name: /^Next: \$83\.34 on .* \(instalment 1\)$/ }).waitFor();
    // The covered invoice says where its amount went, not "adjusted".
    await section.getByRole('region', { name: 'Invoices table' }).getByText('$250.00 moved to a payment plan').waitFor();
    await shot(page, '02-record');
    await expectAccessible(page, 'the patient record with a payment plan');
  });

  it('shows the patient at 360 px the next instalment on the summary and the plan’s schedule', async () => {
    const shot = screenshots('payment-plans-patient');
    const { page } = await signedIn(patient, '/billing', 'payment-plans-patient', phone);
    await expectHeading(page, 'Billing');
    const summary = page.getByRole('region', { name: 'Payment summary' });
    const next = summary.getByRole('link', { name: /^\$83\.34 on / });
    await next.waitFor();
    await expectNoSidewaysScroll(page, 'the Billing summary at 360 px');
    await next.focus();
    await page.keyboard.press('Enter');
    const plans = page.getByRole('region', { name: 'Payment Plans' });
    const plan = plans.getByRole('heading', { level: 3, name: /^Payment plan PLAN-/ });
    await plan.waitFor();
    await plans.getByText('3 instalments, monthly').waitFor();
    await plans.getByText(/^In place of: invoice INV-\d{4}-[0-9A-F]{8} \(\$250\.00\)\./).waitFor();
    await plans.getByText(/^Next: \$83\.34 on .* \(instalment 1\)$/).waitFor();
    const rows = plans.getByRole('table').getByRole('row');
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(1).textContent()).toContain('$83.34');
    expect(await rows.nth(3).textContent()).toContain('$83.33');
    for (const text of ['Total', '$250.00', 'Left to pay']) await plans.getByText(text, { exact: true }).first().waitFor();
    await shot(page, '01-plans');
    await expectAccessible(page, 'Billing: Payment Plans');
    await expectNoSidewaysScroll(page, 'Payment Plans at 360 px');

    // The invoice the plan took over shows its amount as moved to the plan, not as adjusted.
    await page.goto(`${portal.url}/billing/invoices/${invoiceId}`);
    const totals = page.locator('.billing-totals');
    await totals.getByText('Moved to a payment plan', { exact: true }).waitFor();
    expect(await totals.getByText('Adjusted', { exact: true }).count()).toBe(0);
    expect(await totals.textContent()).toMatch(/Moved to a payment plan\$250\.00Due\$0\.00/);
    await expectAccessible(page, 'an invoice moved to a payment plan');

    // So does the month's statement: its figures add up to the new balance, and nothing reads as a discount.
    await page.goto(`${portal.url}/billing/statements`);
    const statement = page.getByRole('region', { name: 'Statements' }).getByRole('listitem').first();
    await statement.getByText(/charges \$250\.00; payments \$0\.00; moved to payment plans \$250\.00; new balance \$0\.00\.$/).waitFor();
    expect(await statement.textContent()).not.toContain('adjustments');
  });

  it('lets staff cancel the plan by keyboard after a confirmation, at 360 px', async () => {
    const shot = screenshots('payment-plans-cancel');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'payment-plans-cancel', phone);
    const section = page.getByRole('region', { name: 'Billing' });
    const plans = section.getByRole('region', { name: 'Payment Plans table' });
    const cancel = plans.getByRole('button', { name: /^Cancel plan PLAN-\d{4}-[0-9A-F]{8}$/ });
    await cancel.waitFor();
    await expectNoSidewaysScroll(page, 'the patient record at 360 px');

    // Asked first; Escape keeps the plan.
    await cancel.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /^Cancel payment plan PLAN-/ });
    await dialog.waitFor();
    await dialog.getByText('3 instalments not billed yet ($250.00) will not be billed.', { exact: false }).waitFor();
    await expectAccessible(page, 'the Cancel payment plan dialog');
    await expectNoSidewaysScroll(page, 'the Cancel payment plan dialog at 360 px');
    await shot(page, '01-confirm');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep the plan');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await plans.getByRole('cell', { name: 'Active' }).count()).toBe(1);

    await cancel.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel the plan');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, /Payment plan PLAN-\d{4}-[0-9A-F]{8} cancelled: \$250\.00 went back onto the balance\./);
    // At 360 px the table's rows are stacked cards: each cell reads its column's name first.
    await plans
      .getByRole('cell', { name: /Cancelled on .*: \$250\.00 went back onto the balance \(invoice INV-\d{4}-[0-9A-F]{8}\)\.$/ })
      .waitFor();
    await plans
      .getByRole('cell', { name: /Cancelled$/ })
      .first()
      .waitFor();
    expect(await cancel.count()).toBe(0);
    // The button is gone: focus waits on the plans' heading, not the top of the page.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Payment Plans');
    await section.getByText(/^Balance \$250\.00/).waitFor();
    await shot(page, '02-cancelled');
    await expectAccessible(page, 'the patient record with a cancelled payment plan');
    await expectNoSidewaysScroll(page, 'the patient record with a cancelled plan at 360 px');
  });

  it('shows the patient at 360 px the plan cancelled, its amount owed again and no next instalment', async () => {
    const shot = screenshots('payment-plans-cancelled-patient');
    const { page } = await signedIn(patient, '/billing', 'payment-plans-cancelled-patient', phone);
    await expectHeading(page, 'Billing');
    const summary = page.getByRole('region', { name: 'Payment summary' });
    await summary.getByText('$250.00', { exact: true }).first().waitFor();
    await summary.getByText('No payment plan', { exact: false }).waitFor();
    expect(await summary.getByRole('link', { name: /^\$83\.34 on / }).count()).toBe(0);
    await page.goto(`${portal.url}/billing/payment-plans`);
    const plans = page.getByRole('region', { name: 'Payment Plans' });
    await plans.getByRole('heading', { level: 3, name: /^Payment plan PLAN-/ }).waitFor();
    await plans.getByText(/^Cancelled on .*: \$250\.00 went back onto the balance \(invoice INV-/).waitFor();
    const rows = plans.getByRole('table').getByRole('row');
    for (const n of [1, 2, 3]) expect(await rows.nth(n).textContent()).toContain('Cancelled');
    await shot(page, '01-cancelled');
    await expectAccessible(page, 'Billing: a cancelled payment plan');
    await expectNoSidewaysScroll(page, 'a cancelled payment plan at 360 px');
  });
});
