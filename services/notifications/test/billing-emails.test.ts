// A payment received and a month's statement issued (PaymentReceived, StatementIssued, published on
// the real billing topic) email the patient and their guardian, read back from Mailpit: the amount
// and a link to Billing, never a service or a description; a redelivered event sends nothing twice;
// the appointment-email setting does not silence them.
import { randomUUID } from 'node:crypto';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { PaymentReceivedSchema } from '@portico/contracts/gen/portico/events/billing/v1/billing_events_pb';
import { StatementIssuedSchema } from '@portico/contracts/gen/portico/events/billing/v1/statement_events_pb';
import { groupCaughtUp, testKafka, waitUntil } from '@portico/testing';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, countEmails, emailsTo, publishEvent, startWorld, type Person, type World } from './harness.js';

const BILLING_TOPIC = 'portico.billing.v1';
const usd = (amountMinor: number) => ({ amountMinor: BigInt(amountMinor), currencyCode: 'USD' });

let world: World;
let notifications: Awaited<ReturnType<World['start']>>;
let groupId: string;
let producer: Producer;
let patient: Person;
let guardian: Person;

beforeAll(async () => {
  world = await startWorld();
  patient = await world.person(['patient']);
  guardian = await world.person(['guardian'], [patient.id]);
  notifications = await world.start();
  groupId = `${(notifications.service as unknown as { groupId: string }).groupId}-billing`;
  producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await world?.stop();
});

const noPending = () =>
  waitUntil(async () => (await world.db.collection('notices').countDocuments({ state: 'pending' })) === 0, 60_000, 'no pending notice');

describe('billing emails', () => {
  it('sends nothing for a payment received long ago (a new consumer reading the topic from its start)', async () => {
    const paymentId = randomUUID();
    await publishEvent(
      producer,
      BILLING_TOPIC,
      PaymentReceivedSchema,
      {
        paymentId,
        patientId: patient.id,
        clinicId: world.clinicId,
        amount: usd(999),
        invoiceIds: [],
        occurredAt: timestampFromDate(new Date(Date.now() - 30 * 86_400_000)),
      },
      patient.id,
    );
    await groupCaughtUp(groupId, [BILLING_TOPIC], 60_000);
    expect(await world.db.collection('notices').countDocuments({ appointmentId: paymentId })).toBe(0);
  });

  it('sends the patient and their guardian a receipt with the amount only, once however often the event comes', async () => {
    // Appointment emails off: a receipt is not an appointment email and still comes.
    await notifications.client.updateMyNotificationPreferences({ preferences: { appointmentEmails: false } }, await as(patient));
    const again = await publishEvent(
      producer,
      BILLING_TOPIC,
      PaymentReceivedSchema,
      {
        paymentId: randomUUID(),
        patientId: patient.id,
        clinicId: world.clinicId,
        amount: usd(12_550),
        invoiceIds: [randomUUID()],
        occurredAt: timestampFromDate(new Date()),
      },
      patient.id,
    );
    const [toPatient] = await emailsTo(world, patient, 'Payment received: thank you');
    expect(toPatient!.Text).toContain(`${world.clinicName} received your payment of $125.50.`);
    expect(toPatient!.Text).toMatch(/billing\/payments/);
    const [toGuardian] = await emailsTo(world, guardian, /^Payment received for .*: thank you$/);
    expect(toGuardian!.Text).toContain('received a payment of $125.50 for');
    for (const email of [toPatient!, toGuardian!]) expect(`${email.Text}\n${email.HTML}`).not.toMatch(/90834|Psychotherapy|invoice/i);

    await again();
    await groupCaughtUp(groupId, [BILLING_TOPIC], 60_000);
    await noPending();
    expect(await countEmails(world, patient, 'Payment received: thank you')).toBe(1);
    expect(await countEmails(world, guardian, /^Payment received for/)).toBe(1);
  });

  it('tells the patient and their guardian that a month’s statement is ready, with its closing balance', async () => {
    const again = await publishEvent(
      producer,
      BILLING_TOPIC,
      StatementIssuedSchema,
      {
        statementId: `${patient.id}:2026-11`,
        patientId: patient.id,
        clinicId: world.clinicId,
        month: '2026-11',
        previousBalance: usd(0),
        charges: usd(12_000),
        payments: usd(5_000),
        adjustments: usd(0),
        refunds: usd(0),
        newBalance: usd(7_000),
        occurredAt: timestampFromDate(new Date()),
      },
      patient.id,
    );
    const [toPatient] = await emailsTo(world, patient, 'Your statement for November 2026 is ready');
    expect(toPatient!.Text).toContain('Balance at the end of the month: $70.00.');
    expect(toPatient!.Text).toMatch(/billing\/statements/);
    const [toGuardian] = await emailsTo(
      world,
      guardian,
      /’s statement for November 2026 is ready$|'s statement for November 2026 is ready$/,
    );
    expect(toGuardian!.Text).toContain('$70.00');

    await again();
    await groupCaughtUp(groupId, [BILLING_TOPIC], 60_000);
    await noPending();
    expect(await countEmails(world, patient, 'Your statement for November 2026 is ready')).toBe(1);
  });
});
