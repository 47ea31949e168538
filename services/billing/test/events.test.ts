// What other services learn from the billing service, read back from Kafka: one fact per ledger
// change on portico.billing.v1, keyed by the patient, with ids and amounts only — never a line
// description, a procedure code, a reason or anything of the card.
import { fromBinary } from '@bufbuild/protobuf';
import {
  InvoiceIssuedSchema,
  PaymentReceivedSchema,
  PaymentRefundedSchema,
} from '@portico/contracts/gen/portico/events/billing/v1/billing_events_pb';
import { recordTopics } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CARDS } from '../src/processor/sandbox.js';
import { as, expectLedgerHolds, newKey, startWorld, therapyLine, usd, type Clinic, type Person, type World } from './harness.js';

let world: World;
let clinic: Clinic;
let patient: Person;
let topics: Awaited<ReturnType<typeof recordTopics>>;

beforeAll(async () => {
  topics = await recordTopics(['portico.billing.v1']);
  world = await startWorld();
  clinic = await world.clinic('Riverside Clinic');
  patient = await world.person(['patient'], clinic);
});

afterAll(async () => {
  await topics?.stop();
  if (world) {
    await expectLedgerHolds(world, clinic.staff, patient.id);
    await world.stop();
  }
});

describe('the facts of a patient’s billing', () => {
  it('publishes an invoice issued, a payment received and a refund, keyed by the patient, with ids and amounts only', async () => {
    const description = 'Psychotherapy for panic disorder';
    const { invoice } = await world.billing.issueInvoice(
      {
        patientId: patient.id,
        idempotencyKey: newKey(),
        dueOn: '',
        currencyCode: '',
        lines: [{ ...therapyLine('2026-11-20', 12_000), description }],
      },
      await as(clinic.staff),
    );
    const { payment } = await world.billing.makePayment(
      {
        patientId: patient.id,
        idempotencyKey: newKey(),
        target: { case: 'wholeBalance', value: true },
        paymentMethodToken: SANDBOX_CARDS.approved,
      },
      await as(patient),
    );
    await world.billing.refundPayment(
      { patientId: patient.id, paymentId: payment!.paymentId, amount: usd(2_000), reason: 'Session shortened', idempotencyKey: newKey() },
      await as(clinic.staff),
    );
    const records = (await topics.waitFor((all) => all.filter((r) => r.key === patient.id).length >= 3, 30_000)).filter(
      (r) => r.key === patient.id,
    );
    expect(records.map((r) => r.headers.ce_type)).toEqual([
      InvoiceIssuedSchema.typeName,
      PaymentReceivedSchema.typeName,
      PaymentRefundedSchema.typeName,
    ]);
    expect(fromBinary(InvoiceIssuedSchema, records[0]!.value)).toMatchObject({
      invoiceId: invoice!.invoiceId,
      patientId: patient.id,
      clinicId: clinic.id,
      total: { amountMinor: 12_000n, currencyCode: 'USD' },
    });
    expect(fromBinary(PaymentReceivedSchema, records[1]!.value)).toMatchObject({
      paymentId: payment!.paymentId,
      amount: { amountMinor: 12_000n, currencyCode: 'USD' },
      invoiceIds: [invoice!.invoiceId],
    });
    expect(fromBinary(PaymentRefundedSchema, records[2]!.value)).toMatchObject({
      paymentId: payment!.paymentId,
      amount: { amountMinor: 2_000n },
    });
    for (const record of records) {
      const bytes = record.value.toString('latin1');
      for (const secret of [description, '90834', 'Session shortened', SANDBOX_CARDS.approved]) expect(bytes).not.toContain(secret);
    }
  });
});
