// Monthly statements are issued once the month has ended in the clinic's zone: one StatementIssued
// per patient and month on Kafka, with ids and amounts only, however many rounds run at once.
import { fromBinary } from '@bufbuild/protobuf';
import { StatementIssuedSchema } from '@portico/contracts/gen/portico/events/billing/v1/statement_events_pb';
import { recordTopics } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CARDS } from '../src/processor/sandbox.js';
import {
  as,
  expectLedgerHolds,
  newKey,
  START_OF_TESTS,
  startWorld,
  therapyLine,
  usd,
  type Clinic,
  type Person,
  type World,
} from './harness.js';

let world: World;
let clinic: Clinic;
let patient: Person;
let topics: Awaited<ReturnType<typeof recordTopics>>;
type Issuer = { statements: { issueEndedMonth(): Promise<number> } };
const issueRound = () => (world.service as unknown as Issuer).statements.issueEndedMonth();

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

describe('monthly statements', () => {
  it('are issued once for the month just ended, with its totals and no descriptions', async () => {
    // November: a charge and part of it paid.
    world.setNow(new Date('2026-11-20T15:00:00Z'));
    await world.billing.issueInvoice(
      { patientId: patient.id, idempotencyKey: newKey(), dueOn: '', currencyCode: '', lines: [therapyLine('2026-11-20', 12_000)] },
      await as(clinic.staff),
    );
    await world.billing.makePayment(
      {
        patientId: patient.id,
        idempotencyKey: newKey(),
        target: { case: 'amount', value: usd(5_000) },
        paymentMethodToken: SANDBOX_CARDS.approved,
      },
      await as(patient),
    );
    // Still November in New York at 04:00 UTC on 1 December: nothing to issue yet.
    world.setNow(new Date('2026-12-01T04:00:00Z'));
    await issueRound();
    expect(await world.db.collection('statements_issued').countDocuments({ patientId: patient.id })).toBe(0);

    world.setNow(START_OF_TESTS);
    const rounds = await Promise.all([issueRound(), issueRound(), issueRound()]);
    await issueRound();
    expect(rounds.reduce((a, b) => a + b)).toBe(1);
    expect(await world.db.collection('statements_issued').countDocuments({ patientId: patient.id })).toBe(1);

    const records = await topics.waitFor((all) =>
      all.some((r) => r.key === patient.id && r.headers.ce_type === StatementIssuedSchema.typeName),
    );
    const issued = records.filter((r) => r.key === patient.id && r.headers.ce_type === StatementIssuedSchema.typeName);
    expect(issued).toHaveLength(1);
    expect(fromBinary(StatementIssuedSchema, issued[0]!.value)).toMatchObject({
      statementId: `${patient.id}:2026-11`,
      patientId: patient.id,
      clinicId: clinic.id,
      month: '2026-11',
      previousBalance: usd(0),
      charges: usd(12_000),
      payments: usd(5_000),
      newBalance: usd(7_000),
    });
    expect(Buffer.from(issued[0]!.value).toString('latin1')).not.toContain('Psychotherapy');
  });
});
