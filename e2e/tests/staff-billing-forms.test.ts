// The staff's billing forms on a patient's record, in a real browser against the real platform, at
// 360 px: an invoice of several lines (a wrong code refused next to its field, a line added and
// one removed), a front-desk payment, an adjustment, a refund, and a superbill of two dates of
// service (the fields the billing service says are missing shown next to them). Every dialog
// passes axe and nothing scrolls sideways.
import { randomUUID } from 'node:crypto';
import { deleteUser, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { testClinic } from '../support/clinic.js';
import { assertChromium, phone, type Person } from '../support/browser.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectNoSidewaysScroll, expectStatus } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);
/** Another date of service than today's, for a superbill of two dates. */
const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);

describe('staff billing forms in a browser', { timeout: 600_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser;
  const people: Person[] = [];

  beforeAll(async () => {
    assertChromium();
    portal = await startPortal();
    if (portal.missing.length) throw new Error(`the gateway lacks ${portal.missing.join('; ')}`);
    ({ staff, patient } = await testClinic(portal, `Bayside Clinic ${run}`));
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, patient]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('issues a multi-line invoice, records a payment, adjusts, refunds and makes a superbill, at 360 px', async () => {
    const shot = screenshots('staff-billing-forms');
    const { page } = await signedInBrowser(portal, people, staff, `/staff/patients/${patient.id}`, 'staff-billing-forms', phone);
    const section = page.getByRole('region', { name: 'Billing' });
    await section.getByText(/^Balance \$0\.00/).waitFor();

    // An invoice of two lines: a third added and removed, a wrong code refused next to its field.
    await section.getByRole('button', { name: 'New invoice' }).click();
    const invoice = page.getByRole('dialog', { name: 'New invoice' });
    await invoice.waitFor();
    const line = (n: number) => invoice.getByRole('group', { name: `Line ${n}` });
    await line(1)
      .getByLabel(/^Date of service/)
      .fill(threeDaysAgo);
    await line(1).getByLabel(/^Code/).fill('9083');
    await line(1)
      .getByLabel(/^Service/)
      .fill('Psychotherapy, 45 minutes');
    await line(1)
      .getByLabel(/^Price per unit/)
      .fill('150.00');
    await invoice.getByRole('button', { name: 'Add a line' }).click();
    await line(2).getByLabel(/^Code/).fill('90785');
    await line(2)
      .getByLabel(/^Service/)
      .fill('Interactive complexity');
    await line(2)
      .getByLabel(/^Price per unit/)
      .fill('25.00');
    await invoice.getByRole('button', { name: 'Add a line' }).click();
    await line(3).waitFor();
    await invoice.getByRole('button', { name: 'Remove line 3' }).click();
    expect(await invoice.getByRole('group', { name: /^Line \d$/ }).count()).toBe(2);
    await invoice.getByRole('button', { name: 'Issue invoice' }).click();
    const code = line(1).getByLabel(/^Code/);
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the New invoice dialog with a problem');
    await expectNoSidewaysScroll(page, 'the New invoice dialog at 360 px');
    await code.fill('90834');
    await shot(page, '01-invoice');
    await invoice.getByRole('button', { name: 'Issue invoice' }).click();
    await invoice.waitFor({ state: 'detached' });
    await expectStatus(page, /Invoice INV-\d{4}-[0-9A-F]{8} issued/);
    await section.getByText(/^Balance \$175\.00/).waitFor();

    // A payment at the front desk.
    await section.getByRole('button', { name: 'Record a payment' }).click();
    const payment = page.getByRole('dialog', { name: 'Record a payment' });
    await payment.getByLabel(/^Amount/).fill('100.00');
    await payment.getByRole('button', { name: 'Record payment' }).click();
    await payment.waitFor({ state: 'detached' });
    await expectStatus(page, /Payment of \$100\.00 recorded/);

    // An adjustment of the invoice, more than it owes refused by the service next to the amount.
    await section.getByRole('button', { name: 'Adjust an invoice' }).click();
    const adjust = page.getByRole('dialog', { name: 'Adjust an invoice' });
    await adjust.getByLabel(/^Amount/).fill('80.00');
    await adjust.getByLabel(/^Reason/).fill('Courtesy discount');
    await adjust.getByRole('button', { name: 'Adjust', exact: true }).click();
    await adjust.getByText(/more than the invoice owes/).waitFor();
    expect(await adjust.getByLabel(/^Amount/).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the Adjust an invoice dialog with a problem');
    await adjust.getByLabel(/^Amount/).fill('15.00');
    await adjust.getByRole('button', { name: 'Adjust', exact: true }).click();
    await adjust.waitFor({ state: 'detached' });
    await expectStatus(page, /adjusted: \$60\.00 still due/);

    // A refund of part of the payment.
    await section.getByRole('button', { name: 'Refund a payment' }).click();
    const refund = page.getByRole('dialog', { name: 'Refund a payment' });
    await expectAccessible(page, 'the Refund a payment dialog');
    await refund.getByLabel(/^Amount/).fill('10.00');
    await refund.getByRole('button', { name: 'Refund', exact: true }).click();
    await refund.waitFor({ state: 'detached' });
    await expectStatus(page, /Refunded \$10\.00 of payment RCT-/);
    await section.getByText(/^Balance \$70\.00/).waitFor();

    // A superbill of both services: what is missing is shown next to its field first.
    await section.getByRole('button', { name: 'Create a super bill' }).click();
    const superbill = page.getByRole('dialog', { name: 'Create a super bill' });
    await superbill.getByRole('button', { name: 'Create super bill' }).click();
    const npi = superbill.getByLabel(/^Clinic NPI/);
    await superbill.locator('[aria-invalid="true"]').first().waitFor();
    expect(await npi.getAttribute('aria-invalid')).toBe('true');
    // No diagnosis codes yet: each service's pointer "A" names none, said next to that service's field.
    for (const pointers of await superbill.getByLabel(/^Diagnosis pointers for/).all())
      expect(await pointers.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the superbill dialog with missing fields');
    await expectNoSidewaysScroll(page, 'the superbill dialog at 360 px');
    const parties: [RegExp, string][] = [
      [/^Clinic NPI/, '1234567893'],
      [/^Clinic tax id/, '12-3456789'],
      [/^Rendering provider/, 'Alex Rivera'],
      [/^Provider credentials/, 'LCSW'],
      [/^Provider licence/, 'ME-LCSW-20417'],
      [/^Provider NPI/, '1992753883'],
      [/^Patient name/, 'Riley Morgan'],
      [/^Patient date of birth/, '2009-04-17'],
      [/^Diagnosis codes/, 'F41.1'],
    ];
    for (const [label, value] of parties) await superbill.getByLabel(label).fill(value);
    expect(await superbill.getByRole('checkbox').count()).toBe(2);
    await shot(page, '02-superbill');
    await superbill.getByRole('button', { name: 'Create super bill' }).click();
    await superbill.waitFor({ state: 'detached' });
    await expectStatus(page, /Super bill created with 2 services/);
  });
});
