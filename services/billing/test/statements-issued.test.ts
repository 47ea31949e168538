// Monthly statements are issued once the month has ended in the clinic's zone: one StatementIssued
// per patient and month on Kafka, with ids and amounts only, however many rounds run at once.
import { fromBinary } from '@bufbuild/protobuf';
import { StatementIssuedSchema } from '@portico/contracts/gen/portico/events/billing/v1/statement_events_pb';
import { recordTopics } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CARDS } from '../src/processor/sandbox.js';
import { monthsJustEnded } from '../src/statements/statement-issuer.js';
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

/** A therapy session charged on `date` (15:00 UTC) and `paidMinor` of it paid by card the same day. */
async function chargeAndPay(person: Person, date: string, priceMinor: number, paidMinor: number) {
  world.setNow(new Date(`${date}T15:00:00Z`));
  await world.billing.issueInvoice(
    { patientId: person.id, idempotencyKey: newKey(), dueOn: '', currencyCode: '', lines: [therapyLine(date, priceMinor)] },
    await as(clinic.staff),
  );
  await world.billing.makePayment(
    {
      patientId: person.id,
      idempotencyKey: newKey(),
      target: { case: 'amount', value: usd(paidMinor) },
      paymentMethodToken: SANDBOX_CARDS.approved,
    },
    await as(person),
  );
}

describe('monthly statements', () => {
  it('are issued once for the month just ended, with its totals and no descriptions', async () => {
    // November: a charge and part of it paid.
    await chargeAndPay(patient, '2026-11-20', 12_000, 5_000);
    // Still November in New York at 04:00 UTC on 1 December: nothing to issue yet (October had nothing).
    world.setNow(new Date('2026-12-01T04:00:00Z'));
    await issueRound();
    expect(await world.db.collection('statements_issued').countDocuments({ patientId: patient.id, sent: true })).toBe(0);

    world.setNow(START_OF_TESTS);
    const rounds = await Promise.all([issueRound(), issueRound(), issueRound()]);
    await issueRound();
    expect(rounds.reduce((a, b) => a + b)).toBe(1);
    expect(await world.db.collection('statements_issued').countDocuments({ patientId: patient.id, sent: true })).toBe(1);

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

  it('send nothing for a month with no entries and nothing owed, and a later round reads no ledger for a month already decided', async () => {
    // October: charged and paid in full; November then had nothing.
    const settled = await world.person(['patient'], clinic);
    await chargeAndPay(settled, '2026-10-10', 9_000, 9_000);
    world.setNow(START_OF_TESTS);
    const ledgersRead: string[] = [];
    const invoices = (world.service as unknown as { invoices: { ofPatient(scope: { patientId: string }): Promise<unknown> } }).invoices;
    const read = invoices.ofPatient;
    invoices.ofPatient = (scope) => {
      ledgersRead.push(scope.patientId);
      return read.call(invoices, scope);
    };
    try {
      // November is decided for both: the patient's was sent by the test above, this one's had nothing.
      expect(await issueRound()).toBe(0);
      expect(ledgersRead).toContain(settled.id);
      expect(await world.db.collection('statements_issued').findOne({ _id: `${settled.id}:2026-11` as never })).toMatchObject({
        sent: false,
        outbox: [],
      });
      ledgersRead.length = 0;
      expect(await issueRound()).toBe(0);
      expect(ledgersRead).not.toContain(settled.id);
      expect(ledgersRead).not.toContain(patient.id);
    } finally {
      invoices.ofPatient = read;
    }
  });
});

describe('the months that can have just ended', () => {
  it('are the month before in every zone, 12 hours behind UTC to 14 ahead', () => {
    expect(monthsJustEnded(new Date('2026-12-15T12:00:00Z'))).toEqual(['2026-11']);
    // Already January in Kiritimati, still December in UTC.
    expect(monthsJustEnded(new Date('2026-12-31T20:00:00Z'))).toEqual(['2026-11', '2026-12']);
    // Still December on Baker Island.
    expect(monthsJustEnded(new Date('2027-01-01T06:00:00Z'))).toEqual(['2026-11', '2026-12']);
  });
});
