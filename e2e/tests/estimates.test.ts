// Good Faith Estimates (seed step 7) in a real browser against the real platform: staff issue an
// estimate of two providers, each with their services, from the patient's record (a provider and
// a service added and removed; a wrong NPI check digit refused next to that provider's field,
// nothing issued); the patient at 360 px opens Billing → Estimates, reviews the estimate and
// approves it by electronic signature with the keyboard alone (the electronic-records disclosure
// accepted, the statement of intent ticked, the full name typed); staff bill the provider $400
// over the estimate from the invoice form (the estimate chosen among the patient's, the NPI given:
// left out, then with a wrong check digit, each refused next to the field); the patient then sees
// the notice with the dispute deadline. axe on every new
// page and dialog; no sideways scrolling at 360 px.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { assertChromium, focused, phone, tabTo, type Person } from '../support/browser.js';
import { type Portal, signedInBrowser, startPortal } from '../support/platform.js';
import { expectHeading, expectNoSidewaysScroll, expectStatus } from '../support/scenarios.js';
import { screenshots } from '../support/screenshots.js';

const run = randomUUID().slice(0, 8);
const NPI = '1992753883';
/** The second provider's (a testing lab): a valid check digit. */
const LAB_NPI = '1234567893';
const SERVICE = `Outpatient psychotherapy ${run}`;

describe('Good Faith Estimates in a browser against the real platform', { timeout: 600_000 }, () => {
  let portal: Portal;
  let staff: TestUser, patient: TestUser;
  const people: Person[] = [];
  let estimateId = '';

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
  });

  afterAll(async () => {
    for (const person of people) await person.close();
    for (const user of [staff, patient]) if (user) await deleteUser(user);
    await portal?.stop();
  });

  it('lets staff issue an estimate from the patient’s record, refusing a wrong NPI with the field named', async () => {
    const shot = screenshots('estimates-staff');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'estimates-staff');
    const section = page.getByRole('region', { name: 'Good Faith Estimates' });
    await section.getByText('No Good Faith Estimates yet.').waitFor();
    await section.getByRole('button', { name: 'Issue a Good Faith Estimate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Issue a Good Faith Estimate' });
    await dialog.waitFor();
    await expectAccessible(page, 'the Issue a Good Faith Estimate dialog');
    await dialog.getByLabel('Patient’s full name').fill('Riley Morgan');
    await dialog.getByLabel('Date of birth').fill('2009-04-17');
    await dialog.getByLabel('Primary service').fill(SERVICE);
    await dialog.getByLabel('Expected date of service').fill('2027-01-05');
    // Two providers, each with their own services: a second one added, then removed again.
    const provider = (n: number) => dialog.getByRole('group', { name: `Provider ${n}`, exact: true });
    await dialog.getByRole('button', { name: 'Add a provider' }).click();
    await provider(2).getByRole('group', { name: 'Provider 2: expected service 1' }).waitFor();
    await dialog.getByRole('button', { name: 'Remove provider 2' }).click();
    expect(await provider(2).count()).toBe(0);
    await provider(1).getByLabel('Provider or facility name').fill('Alex Rivera, LCSW');
    await provider(1).getByLabel(/^NPI/).fill('1992753884');
    await provider(1)
      .getByLabel(/^Tax id/)
      .fill('12-3456789');
    await provider(1).getByLabel('Where the services are given: street').fill('3 Lake Road');
    await provider(1).getByLabel('City').fill('Bangor');
    await provider(1).getByLabel('State').fill('ME');
    await provider(1).getByLabel('ZIP code').fill('04401');
    await provider(1).getByLabel(/^Code/).fill('90834');
    await provider(1)
      .getByLabel(/^Diagnoses/)
      .fill('F41.1');
    await provider(1).getByLabel('Service', { exact: true }).fill('Psychotherapy, 45 minutes');
    await provider(1).getByLabel('Units').fill('4');
    await provider(1)
      .getByLabel(/^Charge per unit/)
      .fill('150.00');
    await dialog.getByRole('button', { name: 'Add a provider' }).click();
    await provider(2).getByLabel('Provider or facility name').fill('Lakeside Testing Lab');
    await provider(2).getByLabel(/^NPI/).fill(LAB_NPI);
    await provider(2)
      .getByLabel(/^Tax id/)
      .fill('98-7654321');
    await provider(2).getByLabel('Where the services are given: street').fill('5 Lake Road');
    await provider(2).getByLabel('City').fill('Bangor');
    await provider(2).getByLabel('State').fill('ME');
    await provider(2).getByLabel('ZIP code').fill('04401');
    await provider(2).getByLabel(/^Code/).fill('96130');
    await provider(2)
      .getByLabel(/^Diagnoses/)
      .fill('F41.1');
    await provider(2).getByLabel('Service', { exact: true }).fill('Psychological testing evaluation');
    await provider(2).getByLabel('Units').fill('1');
    await dialog.getByRole('button', { name: 'Add a service for provider 2' }).click();
    await dialog.getByRole('button', { name: 'Remove service 2 of provider 2' }).click();
    await provider(2)
      .getByLabel(/^Charge per unit/)
      .fill('100.00');
    await dialog.getByRole('button', { name: 'Issue estimate' }).click();
    // The billing service's refusal of the first provider's NPI check digit, next to that field.
    const npi = provider(1).getByLabel(/^NPI/);
    await provider(1)
      .getByText(/not a valid NPI/)
      .waitFor();
    expect(await npi.getAttribute('aria-invalid')).toBe('true');
    expect(await provider(2).getByLabel(/^NPI/).getAttribute('aria-invalid')).toBeNull();
    await expectAccessible(page, 'the estimate dialog with the refusal');
    expect(
      ((await (await api(staff, `/api/v1/patients/${patient.id}/billing/estimates`)).json()) as { estimates: unknown[] }).estimates,
    ).toEqual([]);
    await shot(page, '01-refused');

    await npi.fill(NPI);
    await dialog.getByRole('button', { name: 'Issue estimate' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, /Estimate for Outpatient psychotherapy .* issued \(version 1\)/);
    await section.getByRole('cell', { name: '$700.00' }).waitFor();
    await expectAccessible(page, 'the patient record with Good Faith Estimates');
    await shot(page, '02-issued');
    const listed = (await (await api(staff, `/api/v1/patients/${patient.id}/billing/estimates`)).json()) as { estimates: { id: string }[] };
    estimateId = listed.estimates[0]!.id;
  });

  it('lets the patient at 360 px review the estimate and approve it by keyboard with an electronic signature', async () => {
    const shot = screenshots('estimates-patient');
    const { page } = await signedIn(patient, '/billing/estimates', 'estimates-patient', phone);
    await expectHeading(page, 'Billing');
    await page.getByRole('heading', { level: 2, name: 'Estimates' }).waitFor();
    await expectAccessible(page, 'Billing: Estimates');
    await expectNoSidewaysScroll(page, 'Estimates at 360 px');
    await tabTo(page, new RegExp(`^Good Faith Estimate: ${SERVICE}$`), 60);
    await page.keyboard.press('Enter');
    const estimate = page.getByRole('region', { name: `Good Faith Estimate: ${SERVICE}` });
    await estimate.getByText('Total estimated charges: $700.00').waitFor();
    await estimate.getByText(`NPI ${NPI} · Tax id 12-3456789`).waitFor();
    // Both providers, each with their own services.
    await estimate.getByText(`NPI ${LAB_NPI} · Tax id 98-7654321`).waitFor();
    await estimate.getByRole('cell', { name: 'Psychological testing evaluation' }).waitFor();
    expect(await estimate.getByRole('cell', { name: 'F41.1' }).count()).toBe(2);
    await estimate.getByText(/not a contract/).waitFor();
    await expectAccessible(page, 'a Good Faith Estimate');
    await expectNoSidewaysScroll(page, 'a Good Faith Estimate at 360 px');
    await shot(page, '01-estimate');

    await tabTo(page, /^Approve this estimate$/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Approve this estimate' });
    await dialog.waitFor();
    await dialog.getByText(/Your right to paper/).waitFor();
    await expectAccessible(page, 'the signing dialog');
    await expectNoSidewaysScroll(page, 'the signing dialog at 360 px');
    // Signing without consent or a name is refused next to the fields.
    await tabTo(page, /^Sign and approve$/);
    await page.keyboard.press('Enter');
    await dialog.getByText('Type your full name to sign.').waitFor();
    await expectAccessible(page, 'the signing dialog with problems');
    await tabTo(page, /^I have read and accept the electronic records disclosure/, 40, 'Shift+Tab');
    await page.keyboard.press('Space');
    await tabTo(page, /^I approve this estimate$/);
    await page.keyboard.press('Space');
    await tabTo(page, /^Your full name/);
    await page.keyboard.type('Riley Morgan');
    await tabTo(page, /^Sign and approve$/);
    await shot(page, '02-signing');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, /You approved the estimate\./);
    await estimate.getByText(/Signed by Riley Morgan on/).waitFor();
    expect(await estimate.getByRole('button', { name: 'Approve this estimate' }).count()).toBe(0);
    expect((await focused(page)).name).toBe(`Good Faith Estimate: ${SERVICE}`);
    await shot(page, '03-approved');
  });

  it('lets staff bill a service under the estimate from the invoice form, choosing the estimate and giving the provider’s NPI', async () => {
    const shot = screenshots('estimates-invoice');
    const { page } = await signedIn(staff, `/staff/patients/${patient.id}`, 'estimates-invoice');
    const section = page.getByRole('region', { name: 'Billing' });
    await section.getByRole('button', { name: 'New invoice' }).click();
    const dialog = page.getByRole('dialog', { name: 'New invoice' });
    const line = dialog.getByRole('group', { name: 'Line 1' });
    await line.getByLabel(/^Date of service/).fill('2026-11-30');
    await line.getByLabel(/^Code/).fill('90834');
    await line.getByLabel(/^Service/).fill('Psychotherapy, 45 minutes');
    await line.getByLabel(/^Units/).fill('4');
    await line.getByLabel(/^Price per unit/).fill('250.00');
    // The estimate is a choice among the patient's, which names the NPIs it compares.
    const estimate = line.getByLabel(/^Good Faith Estimate/);
    await estimate.selectOption({ index: 1 });
    expect(await estimate.locator('option:checked').textContent()).toMatch(new RegExp(`^${SERVICE}, .* \\(\\$700\\.00, version 1\\)$`));
    await line.getByText(`On this estimate: Alex Rivera, LCSW (${NPI}), Lakeside Testing Lab (${LAB_NPI})`).waitFor();
    // Without the NPI the estimate cannot be compared: refused next to the field before sending.
    await dialog.getByRole('button', { name: 'Issue invoice' }).click();
    const npi = line.getByLabel(/^Rendering provider NPI/);
    await line.getByText(/Enter the rendering provider’s NPI/).waitFor();
    expect(await npi.getAttribute('aria-invalid')).toBe('true');
    // An NPI whose check digit is wrong: the billing service's refusal, next to the field.
    await npi.fill('1234567890');
    await dialog.getByRole('button', { name: 'Issue invoice' }).click();
    await line.getByText(/not a valid NPI/).waitFor();
    expect(await npi.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the New invoice dialog with an estimate and a refused NPI');
    await shot(page, '01-refused');
    await npi.fill(NPI);
    await dialog.getByRole('button', { name: 'Issue invoice' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectStatus(page, /Invoice INV-\d{4}-[0-9A-F]{8} issued/);
    const { invoices } = (await (await api(staff, `/api/v1/patients/${patient.id}/billing/invoices`)).json()) as {
      invoices: { lines: { renderingProviderNpi: string; estimateId: string }[] }[];
    };
    expect(invoices.flatMap((i) => i.lines)).toContainEqual(expect.objectContaining({ renderingProviderNpi: NPI, estimateId }));
  });

  it('shows the patient the $400 notice with the dispute deadline after staff bill over the estimate', async () => {
    const shot = screenshots('estimates-exceeded');
    const { page } = await signedIn(patient, `/billing/estimates/${estimateId}`, 'estimates-exceeded', phone);
    const notice = page.getByRole('region', { name: 'You were billed $400 or more above this estimate' });
    await notice.getByText(/Alex Rivera, LCSW billed \$1,000\.00 against an estimate of \$600\.00, \$400\.00 more\./).waitFor();
    await notice.getByText(/You may start the dispute process until .* \(120 days from the bill dated/).waitFor();
    await expectAccessible(page, 'a Good Faith Estimate with the $400 notice');
    await expectNoSidewaysScroll(page, 'the $400 notice at 360 px');
    await shot(page, '01-notice');
    await page.goto(`${portal.url}/billing/estimates`);
    await page.getByText('Billed more than estimated: you may dispute').waitFor();
  });
});
