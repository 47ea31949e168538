// Good Faith Estimates through the gateway, with real Keycloak tokens and the real billing
// service: staff issue an estimate; bad input (a missing NPI, a wrong check digit, a bad code, a
// zero charge, a fraction of a cent) is refused with a problem document listing the fields and
// nothing stored; the guardian reads it and its PDF, and approves it with an electronic signature
// (the gateway passes the browser's user agent on as evidence); a second decision is refused
// (412); another patient learns nothing (404); patients cannot issue (403); staff reissue it as
// version 2; staff bill over the estimate and the patient sees the $400 notice.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { billingClinic, type Who } from './billing-clinic.js';

const clinic = billingClinic();
const { call } = clinic;

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const NPI = '1992753883';
const location = { line1: '1 River Road', city: 'Portland', region: 'ME', postalCode: '04101', countryCode: 'US' };
const estimateBody = (overrides: Record<string, unknown> = {}) => ({
  patientName: 'Riley Morgan',
  patientDateOfBirth: '2009-04-17',
  primaryService: 'Outpatient psychotherapy',
  primaryServiceDate: '2027-01-05',
  providers: [{ name: 'Alex Rivera, LCSW', npi: NPI, taxId: '12-3456789', location }],
  items: [
    {
      providerNpi: NPI,
      serviceCode: '90834',
      description: 'Psychotherapy, 45 minutes',
      diagnosisCodes: ['F41.1'],
      units: 4,
      unitCharge: usd(15_000),
    },
  ],
  ...overrides,
});

const issue = (who: Who, body: unknown) =>
  call(who, `/api/v1/staff/patients/${clinic.patient.id}/billing/estimates`, {
    method: 'POST',
    headers: { 'idempotency-key': `est-${randomUUID()}` },
    body: JSON.stringify(body),
  });
const estimates = (who: Who, patientId = clinic.patient.id) => call(who, `/api/v1/patients/${patientId}/billing/estimates`);

type EstimateJson = { id: string; version: number; status: string; exceeded: unknown[]; decision: Record<string, unknown> | null };

describe('Good Faith Estimates through the gateway', () => {
  let estimate: EstimateJson;

  it('refuses bad input with the fields listed, storing nothing', async () => {
    const missingNpi = await issue(
      'staff',
      estimateBody({
        providers: [{ name: 'Alex Rivera', npi: '', taxId: '12-3456789', location }],
        items: [{ providerNpi: NPI, serviceCode: '9083X', description: 'x', diagnosisCodes: ['F41.1'], units: 1, unitCharge: usd(100) }],
      }),
    );
    expect(missingNpi.status).toBe(400);
    expect(missingNpi.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await missingNpi.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(['providers[0].npi', 'items[0].provider_npi', 'items[0].service_code']);
    const checkDigit = await issue('staff', estimateBody({ providers: [{ name: 'A', npi: '1992753884', taxId: '12-3456789', location }] }));
    expect(((await checkDigit.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('providers[0].npi');
    for (const amountMinor of [0, -100, 1250.5]) {
      const refused = await issue('staff', estimateBody({ items: [{ ...estimateBody().items[0], unitCharge: usd(amountMinor) }] }));
      expect(refused.status).toBe(400);
    }
    const listed = (await (await estimates('patient')).json()) as { estimates: unknown[] };
    expect(listed.estimates).toEqual([]);
  });

  it('lets staff issue one that the guardian reads and downloads; patients cannot issue; others learn nothing', async () => {
    expect((await issue('patient', estimateBody())).status).toBe(403);
    const issued = await issue('staff', estimateBody());
    expect(issued.status, await issued.clone().text()).toBe(201);
    estimate = ((await issued.json()) as { estimate: EstimateJson }).estimate;
    expect(estimate).toMatchObject({ version: 1, status: 'awaiting_decision', total: usd(60_000), decision: null, exceeded: [] });

    const listed = (await (await estimates('guardian')).json()) as { estimates: EstimateJson[] };
    expect(listed.estimates.map((e) => e.id)).toEqual([estimate.id]);
    const pdf = await call('guardian', `/api/v1/patients/${clinic.patient.id}/billing/estimates/${estimate.id}/estimate.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment/);
    expect((await estimates('stranger')).status).toBe(404);
    expect((await call('stranger', `/api/v1/patients/${clinic.patient.id}/billing/estimates/${estimate.id}`)).status).toBe(404);
  });

  it('takes the guardian’s electronic signature once', async () => {
    const disclosure = (await (await call('guardian', '/api/v1/billing/signing-disclosure')).json()) as { version: string; text: string };
    expect(disclosure.text).toMatch(/paper/);
    const decide = (who: Who, body: Record<string, unknown>) =>
      call(who, `/api/v1/patients/${clinic.patient.id}/billing/estimates/${estimate.id}/decision`, {
        method: 'POST',
        headers: { 'user-agent': 'PorticoTestBrowser/1.0' },
        body: JSON.stringify({
          version: 1,
          decision: 'approve',
          typedName: 'Jordan Morgan',
          intentStatement: 'I approve this estimate',
          disclosureVersion: disclosure.version,
          disclosureAccepted: true,
          ...body,
        }),
      });
    expect((await decide('stranger', {})).status).toBe(404);
    const vague = await decide('guardian', { intentStatement: 'sure' });
    expect(vague.status).toBe(400);
    const approved = await decide('guardian', {});
    expect(approved.status, await approved.clone().text()).toBe(201);
    expect(((await approved.json()) as { estimate: EstimateJson }).estimate).toMatchObject({
      status: 'approved',
      decision: { decision: 'approve', typedName: 'Jordan Morgan', actingAs: 'guardian', disclosureVersion: disclosure.version },
    });
    const again = await decide('patient', { decision: 'decline', intentStatement: 'I decline this estimate' });
    expect(again.status).toBe(412);
  });

  it('lets staff reissue the estimate as a new version that waits for the patient’s decision again', async () => {
    const reissued = await call('staff', `/api/v1/staff/patients/${clinic.patient.id}/billing/estimates/${estimate.id}/versions`, {
      method: 'POST',
      headers: { 'idempotency-key': `est-${randomUUID()}` },
      body: JSON.stringify(estimateBody({ primaryServiceDate: '2027-01-12' })),
    });
    expect(reissued.status, await reissued.clone().text()).toBe(201);
    const read = await call('guardian', `/api/v1/patients/${clinic.patient.id}/billing/estimates/${estimate.id}`);
    expect(((await read.json()) as { estimate: EstimateJson }).estimate).toMatchObject({
      id: estimate.id,
      version: 2,
      status: 'awaiting_decision',
      primaryServiceDate: '2027-01-12',
      decision: null,
    });
  });

  it('shows the patient the $400 notice once staff bill a provider $400 over the estimate', async () => {
    const billed = await call('staff', `/api/v1/staff/patients/${clinic.patient.id}/billing/invoices`, {
      method: 'POST',
      headers: { 'idempotency-key': `inv-${randomUUID()}` },
      body: JSON.stringify({
        lines: [
          {
            dateOfService: '2026-11-20',
            procedureCode: '90834',
            description: 'Psychotherapy, 45 minutes',
            units: 4,
            unitPrice: usd(25_000),
            renderingProviderNpi: NPI,
            estimateId: estimate.id,
          },
        ],
      }),
    });
    expect(billed.status, await billed.clone().text()).toBe(201);
    const { invoice } = (await billed.json()) as { invoice: { lines: { renderingProviderNpi: string; estimateId: string }[] } };
    expect(invoice.lines[0]).toMatchObject({ renderingProviderNpi: NPI, estimateId: estimate.id });
    const read = await call('patient', `/api/v1/patients/${clinic.patient.id}/billing/estimates/${estimate.id}`);
    const { estimate: now } = (await read.json()) as { estimate: EstimateJson };
    expect(now.exceeded).toMatchObject([{ providerNpi: NPI, estimated: usd(60_000), billed: usd(100_000), excess: usd(40_000) }]);
  });
});
