// Payment plans through the gateway, with real Keycloak tokens and the real billing service: staff
// make a plan for a patient's invoices; the patient and their guardian see its schedule and the
// Billing summary's next instalment; bad terms are refused with a problem document and nothing
// made; another patient's plans answer 404 and the staff route refuses patients.
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

describe('payment plans through the gateway', () => {
  it('lets staff spread an invoice over instalments that the patient and their guardian then see, with the next one on the summary', async () => {
    const issued = await call('staff', `/api/v1/staff/patients/${clinic.patient.id}/billing/invoices`, {
      method: 'POST',
      headers: { 'idempotency-key': `inv-${randomUUID()}` },
      body: JSON.stringify({
        lines: [{ dateOfService: '2026-11-20', procedureCode: '90834', description: 'Psychotherapy', units: 1, unitPrice: usd(25_000) }],
      }),
    });
    expect(issued.status).toBe(201);
    const { invoice } = (await issued.json()) as { invoice: { id: string } };

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
});
