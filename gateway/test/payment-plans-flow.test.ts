// Payment plans through the gateway, with real Keycloak tokens and the real billing service: staff
// make a plan for a patient's invoices; the patient and their guardian see its schedule and the
// Billing summary's next instalment; bad terms are refused with a problem document and nothing
// made; another patient's plans answer 404 and the staff route refuses patients. Staff cancel a
// plan: it shows cancelled with what went back onto the balance, and its instalment leaves the summary.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { billingClinic, type Who } from './billing-clinic.js';

const clinic = billingClinic();
const { call } = clinic;
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

const staffPlans = () => `/api/v1/staff/patients/${clinic.patient.id}/billing/payment-plans`;
const createPlan = (who: Who, body: unknown) =>
  call(who, staffPlans(), { method: 'POST', headers: { 'idempotency-key': `plan-${randomUUID()}` }, body: JSON.stringify(body) });
/** The first date a plan can start on today, wherever the clinic's day is. */
const tomorrow = () => new Date(Date.now() + 36 * 3_600_000).toISOString().slice(0, 10);

/** A new invoice of the patient's for `priceMinor`. */
async function issueInvoice(priceMinor: number): Promise<{ id: string }> {
  const issued = await call('staff', `/api/v1/staff/patients/${clinic.patient.id}/billing/invoices`, {
    method: 'POST',
    headers: { 'idempotency-key': `inv-${randomUUID()}` },
    body: JSON.stringify({
      lines: [{ dateOfService: '2026-11-20', procedureCode: '90834', description: 'Psychotherapy', units: 1, unitPrice: usd(priceMinor) }],
    }),
  });
  expect(issued.status).toBe(201);
  return ((await issued.json()) as { invoice: { id: string } }).invoice;
}

describe('payment plans through the gateway', () => {
  it('lets staff spread an invoice over instalments that the patient and their guardian then see, with the next one on the summary', async () => {
    const invoice = await issueInvoice(25_000);

    const created = await createPlan('staff', {
      invoiceIds: [invoice.id],
      instalmentCount: 3,
      frequency: 'monthly',
      firstDueOn: tomorrow(),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { plan } = (await created.json()) as {
      plan: {
        id: string;
        total: unknown;
        instalments: { amount: { amountMinor: number }; status: string }[];
        nextInstalment: { number: number };
      };
    };
    expect(plan.total).toEqual(usd(25_000));
    expect(plan.instalments.map((i) => i.amount.amountMinor)).toEqual([8_334, 8_333, 8_333]);
    expect(plan.instalments.every((i) => i.status === 'scheduled')).toBe(true);
    expect(created.headers.get('location')).toBe(`/api/v1/patients/${clinic.patient.id}/billing/payment-plans/${plan.id}`);

    for (const who of ['patient', 'guardian'] as const) {
      const listed = await call(who, `/api/v1/patients/${clinic.patient.id}/billing/payment-plans`);
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { plans: { id: string }[] }).plans.map((p) => p.id)).toEqual([plan.id]);
      const one = await call(who, `/api/v1/patients/${clinic.patient.id}/billing/payment-plans/${plan.id}`);
      expect(((await one.json()) as { plan: { nextInstalment: { number: number } } }).plan.nextInstalment.number).toBe(1);
      const summary = (await (await call(who, `/api/v1/patients/${clinic.patient.id}/billing/summary`)).json()) as {
        balance: unknown;
        nextInstalment: { planId: string; instalment: { amount: unknown } };
      };
      expect(summary.balance).toEqual(usd(0));
      expect(summary.nextInstalment).toMatchObject({ planId: plan.id, instalment: { amount: usd(8_334) } });
    }
  });

  it('refuses bad terms with a problem naming the fields, another patient’s plans with 404, and patients on the staff route', async () => {
    const fraction = await createPlan('staff', { amount: usd(10.5), instalmentCount: 1, frequency: 'yearly', firstDueOn: '2026-1-1' });
    expect(fraction.status).toBe(400);
    expect(fraction.headers.get('content-type')).toContain('application/problem+json');
    const before = (await (await call('staff', `/api/v1/patients/${clinic.patient.id}/billing/payment-plans`)).json()) as {
      plans: unknown[];
    };
    const past = await createPlan('staff', { instalmentCount: 2, frequency: 'weekly', firstDueOn: '2020-01-01' });
    expect(past.status).toBe(400);
    expect(((await past.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('first_due_on');
    const after = (await (await call('staff', `/api/v1/patients/${clinic.patient.id}/billing/payment-plans`)).json()) as {
      plans: unknown[];
    };
    expect(after.plans).toHaveLength(before.plans.length);

    expect((await call('stranger', `/api/v1/patients/${clinic.patient.id}/billing/payment-plans`)).status).toBe(404);
    expect((await createPlan('patient', { instalmentCount: 2, frequency: 'weekly', firstDueOn: tomorrow() })).status).toBe(403);
  });

  it('lets staff cancel a plan: what it had not charged is owed again, the patient sees it cancelled, and its instalment leaves the summary', async () => {
    const summaryOf = async () =>
      (await (await call('patient', `/api/v1/patients/${clinic.patient.id}/billing/summary`)).json()) as {
        balance: { amountMinor: number };
        nextInstalment: { planId: string } | null;
      };
    const before = await summaryOf();
    const invoice = await issueInvoice(12_000);
    const created = await createPlan('staff', {
      invoiceIds: [invoice.id],
      instalmentCount: 2,
      frequency: 'weekly',
      firstDueOn: tomorrow(),
    });
    const { plan } = (await created.json()) as { plan: { id: string } };
    const cancelPath = `${staffPlans()}/${plan.id}/cancel`;

    expect((await call('patient', cancelPath, { method: 'POST' })).status).toBe(403);
    expect((await call('guardian', cancelPath, { method: 'POST' })).status).toBe(403);
    expect((await call('staff', `${staffPlans()}/${randomUUID()}/cancel`, { method: 'POST' })).status).toBe(404);

    const cancelled = await call('staff', cancelPath, { method: 'POST' });
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    const body = (await cancelled.json()) as {
      plan: { status: string; instalments: { status: string }[]; nextInstalment: unknown; cancellation: Record<string, unknown> };
    };
    expect(body.plan).toMatchObject({
      status: 'cancelled',
      nextInstalment: null,
      cancellation: { returnedToBalance: usd(12_000), remainderInvoiceNumber: expect.stringMatching(/^INV-/) },
    });
    expect(body.plan.instalments.map((i) => i.status)).toEqual(['cancelled', 'cancelled']);

    const seen = (await (await call('patient', `/api/v1/patients/${clinic.patient.id}/billing/payment-plans/${plan.id}`)).json()) as {
      plan: { status: string };
    };
    expect(seen.plan.status).toBe('cancelled');
    const after = await summaryOf();
    expect(after.balance.amountMinor).toBe(before.balance.amountMinor + 12_000);
    expect(after.nextInstalment?.planId).not.toBe(plan.id);
    // Once more answers it as it is, and nothing more is owed.
    expect((await call('staff', cancelPath, { method: 'POST' })).status).toBe(200);
    expect((await summaryOf()).balance.amountMinor).toBe(after.balance.amountMinor);
  });
});
