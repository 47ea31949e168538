// Seed step 7 through the gateway, with real Keycloak tokens and the real billing service (sandbox
// processor): staff invoice a patient; the patient sees the summary and the invoice, pays part of
// it and then the rest, gets a receipt; a guardian sees the same. Bad amounts (a fraction of a
// cent, zero, over the balance), a missing or reused Idempotency-Key and another patient's
// billing are refused with problem documents and nothing charged; staff routes refuse patients.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { billingClinic, type Who } from './billing-clinic.js';

const clinic = billingClinic();
const { call } = clinic;

const APPROVED = 'sandbox_card_4242';
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

const billing = `/api/v1/patients/__/billing`;
const of = (patientId: string, path: string) => billing.replace('__', patientId) + path;

function pay(who: Who, patientId: string, body: unknown, key = `key-${randomUUID()}`) {
  return call(who, of(patientId, '/payments'), { method: 'POST', headers: { 'idempotency-key': key }, body: JSON.stringify(body) });
}

const balance = async () =>
  ((await (await call('staff', of(clinic.patient.id, '/summary'))).json()) as { balance: { amountMinor: number } }).balance.amountMinor;

let invoiceId = '';

describe('billing through the gateway', () => {
  it('lets staff issue an invoice that the patient and their guardian then see, with its lines', async () => {
    const issued = await call('staff', `/api/v1/staff/patients/${clinic.patient.id}/billing/invoices`, {
      method: 'POST',
      headers: { 'idempotency-key': `inv-${randomUUID()}` },
      body: JSON.stringify({
        lines: [
          {
            dateOfService: '2026-11-20',
            procedureCode: '90834',
            modifiers: ['95'],
            description: 'Psychotherapy, 45 minutes',
            units: 1,
            unitPrice: usd(15_000),
          },
          { dateOfService: '2026-11-20', procedureCode: '90785', description: 'Interactive complexity', units: 1, unitPrice: usd(2_500) },
        ],
      }),
    });
    expect(issued.status, await issued.clone().text()).toBe(201);
    const { invoice } = (await issued.json()) as { invoice: { id: string; total: unknown; status: string } };
    invoiceId = invoice.id;
    expect(invoice).toMatchObject({ total: usd(17_500), status: 'open' });

    for (const who of ['patient', 'guardian'] as const) {
      const listed = await call(who, of(clinic.patient.id, '/invoices?outstanding=true'));
      expect(listed.status).toBe(200);
      const { invoices } = (await listed.json()) as {
        invoices: { id: string; lines: { procedureCode: string; modifiers: string[]; due: unknown }[] }[];
      };
      expect(invoices.map((i) => i.id)).toEqual([invoiceId]);
      expect(invoices[0]!.lines[0]).toMatchObject({ procedureCode: '90834', modifiers: ['95'], due: usd(15_000) });
    }
    const summary = await (await call('patient', of(clinic.patient.id, '/summary'))).json();
    expect(summary).toMatchObject({ balance: usd(17_500), overdue: usd(0), outstandingInvoices: 1, lastPayment: null });
  });

  it('refuses an amount with a fraction of a cent, zero, or more than the balance, and a payment without an Idempotency-Key', async () => {
    for (const amountMinor of [1250.5, 0, 17_501]) {
      const refused = await pay('patient', clinic.patient.id, { pay: 'amount', amount: usd(amountMinor), paymentMethodToken: APPROVED });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const noKey = await call('patient', of(clinic.patient.id, '/payments'), {
      method: 'POST',
      body: JSON.stringify({ pay: 'whole_balance', paymentMethodToken: APPROVED }),
    });
    expect(noKey.status).toBe(400);
    const mixed = await pay('patient', clinic.patient.id, { pay: 'whole_balance', amount: usd(100), paymentMethodToken: APPROVED });
    expect(mixed.status).toBe(400);
    expect(await balance()).toBe(17_500);
  });

  it('takes a payment, charges once for a retry, refuses the key for another amount, and gives a receipt', async () => {
    const key = `key-${randomUUID()}`;
    const first = await pay('patient', clinic.patient.id, { pay: 'amount', amount: usd(5_000), paymentMethodToken: APPROVED }, key);
    expect(first.status, await first.clone().text()).toBe(201);
    const { payment } = (await first.json()) as {
      payment: { id: string; status: string; receiptNumber: string; allocations: { invoiceId: string }[] };
    };
    expect(payment).toMatchObject({ status: 'succeeded', allocations: [{ invoiceId, amount: usd(5_000) }] });
    const retry = await pay('patient', clinic.patient.id, { pay: 'amount', amount: usd(5_000), paymentMethodToken: APPROVED }, key);
    expect(((await retry.json()) as { payment: { id: string } }).payment.id).toBe(payment.id);
    const reused = await pay('patient', clinic.patient.id, { pay: 'amount', amount: usd(6_000), paymentMethodToken: APPROVED }, key);
    expect(reused.status).toBe(412);
    expect(await balance()).toBe(12_500);

    const receipt = await call('patient', of(clinic.patient.id, `/payments/${payment.id}/receipt.pdf`));
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    expect(receipt.headers.get('content-disposition')).toContain(`receipt-${payment.receiptNumber}.pdf`);
    expect(
      Buffer.from(await receipt.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('lets the guardian pay the rest, which then shows as the last payment', async () => {
    const paid = await pay('guardian', clinic.patient.id, { pay: 'invoices', invoiceIds: [invoiceId], paymentMethodToken: APPROVED });
    expect(paid.status).toBe(201);
    const summary = (await (await call('patient', of(clinic.patient.id, '/summary'))).json()) as {
      balance: unknown;
      lastPayment: { amount: unknown };
    };
    expect(summary).toMatchObject({ balance: usd(0), lastPayment: { amount: usd(12_500) } });
    const { payments } = (await (await call('patient', of(clinic.patient.id, '/payments'))).json()) as { payments: unknown[] };
    expect(payments).toHaveLength(2);
  });

  it('lists this month’s statement with its totals and downloads it as a PDF', async () => {
    const listed = (await (await call('patient', of(clinic.patient.id, '/statements'))).json()) as {
      statements: { month: string; charges: unknown; payments: unknown; newBalance: unknown }[];
    };
    expect(listed.statements).toHaveLength(1);
    expect(listed.statements[0]).toMatchObject({ charges: usd(17_500), payments: usd(17_500), newBalance: usd(0) });
    const pdf = await call('guardian', of(clinic.patient.id, `/statements/${listed.statements[0]!.month}.pdf`));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toContain(`statement-${listed.statements[0]!.month}.pdf`);
    expect((await call('stranger', of(clinic.patient.id, `/statements/${listed.statements[0]!.month}.pdf`))).status).toBe(404);
  });

  it('lets staff make a super bill only with every field insurers ask for, which the patient then downloads', async () => {
    const body = {
      parties: {
        clinicNpi: '1234567893',
        clinicTaxId: '12-3456789',
        providerName: 'Alex Rivera',
        providerCredentials: 'LCSW',
        providerLicence: 'ME-LCSW-20417',
        providerNpi: '',
        patientName: 'Riley Morgan',
        patientDateOfBirth: '2009-04-17',
      },
      diagnosisCodes: ['F41.1'],
      lines: [
        { invoiceId, lineIndex: 0, placeOfService: '11', diagnosisPointers: 'A' },
        { invoiceId, lineIndex: 1, placeOfService: '11', diagnosisPointers: 'A' },
      ],
    };
    const path = `/api/v1/staff/patients/${clinic.patient.id}/billing/superbills`;
    const missing = await call('staff', path, { method: 'POST', body: JSON.stringify(body) });
    expect(missing.status).toBe(400);
    const problem = (await missing.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toContain('parties.provider_npi');
    const made = await call('staff', path, {
      method: 'POST',
      body: JSON.stringify({ ...body, parties: { ...body.parties, providerNpi: '1992753883' } }),
    });
    expect(made.status, await made.clone().text()).toBe(201);
    const { superbill } = (await made.json()) as { superbill: { id: string; totalCharges: unknown } };
    expect(superbill.totalCharges).toEqual(usd(17_500));
    const { superbills } = (await (await call('patient', of(clinic.patient.id, '/superbills'))).json()) as { superbills: { id: string }[] };
    expect(superbills.map((s) => s.id)).toEqual([superbill.id]);
    const pdf = await call('patient', of(clinic.patient.id, `/superbills/${superbill.id}.pdf`));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });

  it('answers 404 for another patient’s billing and 403 to a patient on the staff routes', async () => {
    expect((await call('stranger', of(clinic.patient.id, '/summary'))).status).toBe(404);
    expect((await call('stranger', of(clinic.patient.id, `/invoices/${invoiceId}`))).status).toBe(404);
    expect((await pay('stranger', clinic.patient.id, { pay: 'whole_balance', paymentMethodToken: APPROVED })).status).toBe(404);
    const staffOnly = await call('patient', `/api/v1/staff/patients/${clinic.patient.id}/billing/invoices`, {
      method: 'POST',
      body: JSON.stringify({ lines: [] }),
    });
    expect(staffOnly.status).toBe(403);
    expect((await call('patient', '/api/v1/staff/billing/payments')).status).toBe(403);
    const clinicPayments = (await (await call('staff', '/api/v1/staff/billing/payments')).json()) as { payments: { patientId: string }[] };
    expect(clinicPayments.payments.filter((p) => p.patientId === clinic.patient.id)).toHaveLength(2);
  });

  it('tells the web app to use the sandbox’s own card form here', async () => {
    expect(await (await call('patient', '/api/v1/billing/payment-settings')).json()).toEqual({
      processor: 'sandbox',
      publishableKey: '',
      currency: 'USD',
    });
  });
});
