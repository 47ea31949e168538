// Payment plans at the service: staff spread what a patient owes over instalments, the patient
// sees what is paid and what comes next, and each instalment becomes a charge on its date —
// exactly once, however many rounds or replicas of the scheduler run. Against the real servers;
// the ledger's invariant is checked after every test.
import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import {
  InstalmentStatus,
  PaymentPlanFrequency,
  PaymentPlanStatus,
  PaymentPlansService,
} from '@portico/contracts/gen/portico/billing/v1/payment_plans_pb';
import { PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import {
  PaymentPlanCancelledSchema,
  PaymentPlanCreatedSchema,
} from '@portico/contracts/gen/portico/events/billing/v1/payment_plan_events_pb';
import { InvoiceIssuedSchema } from '@portico/contracts/gen/portico/events/billing/v1/billing_events_pb';
import { connectService } from '@portico/kit/grpc';
import { recordTopics, serviceEnvironment, spawnService, waitUntil } from '@portico/testing';
import { extractText } from 'unpdf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CARDS } from '../src/processor/sandbox.js';
import {
  as,
  expectLedgerHolds,
  failure,
  newKey,
  START_OF_TESTS,
  startWorld,
  therapyLine,
  usd,
  violationsOf,
  type Clinic,
  type Person,
  type World,
} from './harness.js';

let world: World;
let plansClient: ReturnType<typeof connectService<(typeof PaymentPlansService)['method']>>;
let riverside: Clinic;
let hillside: Clinic;
let topics: Awaited<ReturnType<typeof recordTopics>>;
const touched = new Set<string>();
type Scheduler = { paymentPlans: { chargeDueInstalments(): Promise<number> } };
const runScheduler = () => (world.service as unknown as Scheduler).paymentPlans.chargeDueInstalments();

beforeAll(async () => {
  topics = await recordTopics(['portico.billing.v1', 'portico.audit.v1'], { fromNow: true });
  world = await startWorld();
  plansClient = connectService(PaymentPlansService, `127.0.0.1:${world.service.grpc.port}`, { defaultTimeoutMs: 30_000 });
  [riverside, hillside] = await Promise.all([world.clinic('Riverside Clinic'), world.clinic('Hillside Practice')]);
});

afterEach(async () => {
  world.setNow(START_OF_TESTS);
  for (const patientId of touched) await expectLedgerHolds(world, riverside.staff, patientId);
  touched.clear();
});

afterAll(async () => {
  plansClient?.close();
  await topics?.stop();
  await world?.stop();
});

/** Another process on the same database, its scheduler running every second on the system clock. */
const secondReplica = () =>
  spawnService('services/billing/dist/main.js', {
    ...serviceEnvironment('billing', world.dbName),
    AUTH_GRPC_URL: world.authAddress,
    INSTALMENT_SCHEDULER_INTERVAL_MS: '1000',
  });

/**
 * Waits until the outbox relay has published a document's events and written it. Its write (the
 * database applies an update as a whole document) must not meet another process's write of the
 * same document, or a test's own direct change: a replica's relay only ever meets its own writes.
 */
async function relayed(collection: string, id: string): Promise<void> {
  const sent = async () => ((await world.db.collection(collection).findOne({ _id: id as never }))?.outbox ?? []).length === 0 || undefined;
  await waitUntil(sent, 30_000, `the outbox of ${collection} ${id} relayed`);
}

/** 90.00 weekly in three from 2 December, the clock on 9 December: two instalments' dates have come, not the third's. */
async function weeklyPlanWithTwoInstalmentsDue() {
  const patient = await newPatient();
  await invoice(patient, 9_000);
  const { plan } = await plansClient.createPaymentPlan(
    monthly(patient.id, { frequency: PaymentPlanFrequency.WEEKLY, firstDueOn: '2026-12-02' }),
    await as(riverside.staff),
  );
  world.setNow(new Date('2026-12-09T15:00:00Z'));
  // Before a second replica starts writing the plan.
  await relayed('payment_plans', plan!.planId);
  return { patient, plan: plan! };
}

async function newPatient(): Promise<Person> {
  const patient = await world.person(['patient'], riverside);
  touched.add(patient.id);
  return patient;
}

async function invoice(patient: Person, priceMinor: number, date = '2026-11-20') {
  const { invoice } = await world.billing.issueInvoice(
    { patientId: patient.id, idempotencyKey: newKey(), dueOn: '', lines: [therapyLine(date, priceMinor)], currencyCode: 'USD' },
    await as(riverside.staff),
  );
  return invoice!;
}

const monthly = (patientId: string, extra: Record<string, unknown> = {}) => ({
  patientId,
  idempotencyKey: newKey(),
  invoiceIds: [] as string[],
  instalmentCount: 3,
  frequency: PaymentPlanFrequency.MONTHLY,
  firstDueOn: '2026-12-15',
  ...extra,
});

const summaryOf = async (patientId: string, by: Person = riverside.staff) =>
  (await world.billing.getBillingSummary({ patientId }, await as(by))).summary!;

describe('making a payment plan', () => {
  it('spreads chosen invoices over instalments that add up to the total, takes them off the balance and shows the patient what comes next', async () => {
    const patient = await newPatient();
    const older = await invoice(patient, 12_000, '2026-11-02');
    const newer = await invoice(patient, 8_001, '2026-11-20');
    const untouched = await invoice(patient, 5_000, '2026-11-25');
    const { plan } = await plansClient.createPaymentPlan(
      monthly(patient.id, { invoiceIds: [older.invoiceId, newer.invoiceId] }),
      await as(riverside.staff),
    );
    expect(plan).toMatchObject({
      number: expect.stringMatching(/^PLAN-2026-[0-9A-F]{8}$/),
      status: PaymentPlanStatus.ACTIVE,
      total: usd(20_001),
      paid: usd(0),
      remaining: usd(20_001),
    });
    // Both issued at the test clock's same instant: which comes first is the invoice numbers' order.
    expect(plan!.covers.map((c) => [c.invoiceId, Number(c.amount!.amountMinor)]).sort()).toEqual(
      [
        [older.invoiceId, 12_000],
        [newer.invoiceId, 8_001],
      ].sort(),
    );
    // 200.01 in three: the cent that does not divide goes to the first instalment.
    expect(plan!.instalments.map((i) => [i.number, i.dueOn, Number(i.amount!.amountMinor), i.status])).toEqual([
      [1, '2026-12-15', 6_667, InstalmentStatus.SCHEDULED],
      [2, '2027-01-15', 6_667, InstalmentStatus.SCHEDULED],
      [3, '2027-02-15', 6_667, InstalmentStatus.SCHEDULED],
    ]);
    expect(plan!.instalments.map((i) => Number(i.amount!.amountMinor)).reduce((a, b) => a + b)).toBe(20_001);

    // The covered invoices owe nothing now; the one not chosen still does.
    const summary = await summaryOf(patient.id, patient);
    expect(summary.balance).toMatchObject(usd(5_000));
    expect(summary.nextInstalment).toMatchObject({
      planId: plan!.planId,
      instalment: { number: 1, dueOn: '2026-12-15', amount: usd(6_667) },
    });
    const { invoice: covered } = await world.billing.getInvoice({ patientId: patient.id, invoiceId: older.invoiceId }, await as(patient));
    // Told apart from the clinic's own adjustments: moved to the plan.
    expect(covered).toMatchObject({ adjusted: usd(0), movedToPaymentPlan: usd(12_000), due: usd(0) });
    expect(untouched.due).toMatchObject(usd(5_000));

    // The month's statement shows the move as such, not as a discount among the clinic's adjustments.
    const { statements } = await world.billing.listStatements({ patientId: patient.id }, await as(patient));
    expect(statements[0]).toMatchObject({
      charges: usd(25_001),
      adjustments: usd(0),
      movedToPaymentPlans: usd(20_001),
      newBalance: usd(5_000),
    });
    const { document } = await world.billing.getStatement({ patientId: patient.id, month: statements[0]!.month }, await as(patient));
    const { text } = await extractText(new Uint8Array(document!.content), { mergePages: true });
    expect(text).toMatch(/Adjustments:\s*\$0\.00/);
    expect(text).toMatch(/Moved to payment plans:\s*\$200\.01/);
    expect(text.match(/Moved to payment plan\b(?!s)/g)).toHaveLength(2);

    // The patient (and staff) see it.
    const listed = await plansClient.listPaymentPlans({ patientId: patient.id }, await as(patient));
    expect(listed.plans.map((p) => p.planId)).toEqual([plan!.planId]);
    const { plan: got } = await plansClient.getPaymentPlan({ patientId: patient.id, planId: plan!.planId }, await as(patient));
    expect(got!.nextInstalment).toMatchObject({ number: 1, remaining: usd(6_667) });

    // Its fact: ids, dates and amounts only.
    const records = await topics.waitFor(
      (all) => all.some((r) => r.key === patient.id && r.headers.ce_type === PaymentPlanCreatedSchema.typeName),
      30_000,
    );
    const record = records.find((r) => r.key === patient.id && r.headers.ce_type === PaymentPlanCreatedSchema.typeName)!;
    const event = fromBinary(PaymentPlanCreatedSchema, record.value);
    expect(event).toMatchObject({
      planId: plan!.planId,
      patientId: patient.id,
      clinicId: riverside.id,
      total: usd(20_001),
    });
    expect([...event.invoiceIds].sort()).toEqual([older.invoiceId, newer.invoiceId].sort());
    expect(event.instalments.map((i) => [i.dueOn, Number(i.amount!.amountMinor)])).toEqual([
      ['2026-12-15', 6_667],
      ['2027-01-15', 6_667],
      ['2027-02-15', 6_667],
    ]);
    expect(Buffer.from(record.value).toString('latin1')).not.toContain('Psychotherapy');

    // Who made it and who read it are in the audit trail.
    const trail = await topics.waitFor(() => {
      const actions = topics.records
        .filter((r) => r.key === patient.id && r.topic === 'portico.audit.v1')
        .map((r) => fromBinary(PatientRecordAccessedSchema, r.value).action);
      return ['billing.create_payment_plan', 'billing.list_payment_plans', 'billing.get_payment_plan'].every((a) => actions.includes(a));
    }, 30_000);
    expect(trail.length).toBeGreaterThan(0);
  });

  it('takes an amount of the balance from the oldest invoices first, and a retry with the same key makes no second plan', async () => {
    const patient = await newPatient();
    const older = await invoice(patient, 10_000, '2026-11-02');
    world.setNow(new Date(START_OF_TESTS.getTime() + 60_000));
    const newer = await invoice(patient, 10_000, '2026-11-20');
    const request = monthly(patient.id, { amount: usd(15_000), instalmentCount: 2, frequency: PaymentPlanFrequency.EVERY_TWO_WEEKS });
    const { plan } = await plansClient.createPaymentPlan(request, await as(riverside.staff));
    const { plan: again } = await plansClient.createPaymentPlan(request, await as(riverside.staff));
    expect(again!.planId).toBe(plan!.planId);
    expect(await world.db.collection('payment_plans').countDocuments({ patientId: patient.id })).toBe(1);
    expect(plan!.covers.map((c) => [c.invoiceId, Number(c.amount!.amountMinor)])).toEqual([
      [older.invoiceId, 10_000],
      [newer.invoiceId, 5_000],
    ]);
    expect(plan!.instalments.map((i) => i.dueOn)).toEqual(['2026-12-15', '2026-12-29']);
    expect((await summaryOf(patient.id)).balance).toMatchObject(usd(5_000));
  });

  it('refuses bad terms, an amount over the balance, another clinic’s staff, a patient, and another patient’s invoice, storing nothing', async () => {
    const patient = await newPatient();
    const other = await newPatient();
    const mine = await invoice(patient, 10_000);
    const theirs = await invoice(other, 10_000);
    const staff = await as(riverside.staff);

    const terms = await failure(
      plansClient.createPaymentPlan(
        monthly(patient.id, { instalmentCount: 1, frequency: PaymentPlanFrequency.UNSPECIFIED, firstDueOn: '2026-11-30' }),
        staff,
      ),
    );
    expect(terms.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(terms).map((v) => v.field)).toEqual(['instalment_count', 'frequency', 'first_due_on']);
    const over = await failure(plansClient.createPaymentPlan(monthly(patient.id, { amount: usd(10_001) }), staff));
    expect(violationsOf(over).map((v) => v.field)).toEqual(['amount']);
    const zero = await failure(plansClient.createPaymentPlan(monthly(patient.id, { amount: usd(0) }), staff));
    expect(zero.code).toBe(status.INVALID_ARGUMENT);
    // Another patient's invoice is as unknown as one that does not exist.
    const foreign = await failure(plansClient.createPaymentPlan(monthly(patient.id, { invoiceIds: [theirs.invoiceId] }), staff));
    expect(foreign.code).toBe(status.NOT_FOUND);
    expect((await failure(plansClient.createPaymentPlan(monthly(patient.id), await as(hillside.staff)))).code).toBe(status.NOT_FOUND);
    expect((await failure(plansClient.createPaymentPlan(monthly(patient.id), await as(patient)))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(plansClient.listPaymentPlans({ patientId: patient.id }, await as(other)))).code).toBe(status.NOT_FOUND);

    expect(await world.db.collection('payment_plans').countDocuments({ patientId: { $in: [patient.id, other.id] } })).toBe(0);
    const stored = await world.db.collection('invoices').findOne({ _id: mine.invoiceId as never });
    expect(stored!.adjustments).toEqual([]);
    expect((await summaryOf(patient.id)).balance).toMatchObject(usd(10_000));
  });
});

describe('instalments on their dates', () => {
  it('become a charge on the day in the clinic’s zone, which the patient pays like any invoice; the next one comes next', async () => {
    const patient = await newPatient();
    await invoice(patient, 30_000);
    const { plan } = await plansClient.createPaymentPlan(monthly(patient.id), await as(riverside.staff));
    // 14 December, 23:30 in New York: not the day yet.
    world.setNow(new Date('2026-12-15T04:30:00Z'));
    await runScheduler();
    expect((await summaryOf(patient.id)).balance).toMatchObject(usd(0));
    // 15 December, 00:30 in New York.
    world.setNow(new Date('2026-12-15T05:30:00Z'));
    await runScheduler();
    const summary = await summaryOf(patient.id, patient);
    expect(summary.balance).toMatchObject(usd(10_000));
    expect(summary.nextInstalment!.instalment).toMatchObject({ number: 1, status: InstalmentStatus.DUE, remaining: usd(10_000) });
    const instalmentInvoice = (await world.billing.listInvoices({ patientId: patient.id, outstandingOnly: true }, await as(patient)))
      .invoices[0]!;
    expect(instalmentInvoice).toMatchObject({ dueOn: '2026-12-15', total: usd(10_000) });
    expect(instalmentInvoice.lines[0]!.description).toContain(plan!.number);
    const published = await topics.waitFor((all) =>
      all.some(
        (r) =>
          r.key === patient.id &&
          r.headers.ce_type === InvoiceIssuedSchema.typeName &&
          fromBinary(InvoiceIssuedSchema, r.value).invoiceId === instalmentInvoice.invoiceId,
      ),
    );
    expect(published.length).toBeGreaterThan(0);

    await world.billing.makePayment(
      {
        patientId: patient.id,
        idempotencyKey: newKey(),
        target: { case: 'wholeBalance', value: true },
        paymentMethodToken: SANDBOX_CARDS.approved,
      },
      await as(patient),
    );
    const { plan: after } = await plansClient.getPaymentPlan({ patientId: patient.id, planId: plan!.planId }, await as(patient));
    expect(after).toMatchObject({ paid: usd(10_000), remaining: usd(20_000), nextInstalment: { number: 2, dueOn: '2027-01-15' } });
    expect(after!.instalments[0]).toMatchObject({ status: InstalmentStatus.PAID, invoiceId: instalmentInvoice.invoiceId });
    expect((await summaryOf(patient.id)).nextInstalment!.instalment).toMatchObject({ number: 2, status: InstalmentStatus.SCHEDULED });

    // Months later, every instalment is charged once and, once paid, the plan is completed.
    world.setNow(new Date('2027-03-01T15:00:00Z'));
    await runScheduler();
    expect((await summaryOf(patient.id)).balance).toMatchObject(usd(20_000));
    await world.billing.makePayment(
      {
        patientId: patient.id,
        idempotencyKey: newKey(),
        target: { case: 'wholeBalance', value: true },
        paymentMethodToken: SANDBOX_CARDS.approved,
      },
      await as(patient),
    );
    const { plan: done } = await plansClient.getPaymentPlan({ patientId: patient.id, planId: plan!.planId }, await as(patient));
    expect(done).toMatchObject({ status: PaymentPlanStatus.COMPLETED, paid: usd(30_000), remaining: usd(0) });
    expect(done!.nextInstalment).toBeUndefined();
    expect((await summaryOf(patient.id)).nextInstalment).toBeUndefined();
  });

  it('are charged once when the scheduler runs twice, concurrently, and on a second replica at the same time', async () => {
    const { patient, plan } = await weeklyPlanWithTwoInstalmentsDue();
    const second = await secondReplica();
    try {
      const rounds = await Promise.all([runScheduler(), runScheduler(), runScheduler(), runScheduler()]);
      await runScheduler();
      // This process charged each at most once; whatever the other replica did, each was charged once overall.
      expect(rounds.reduce((a, b) => a + b)).toBeLessThanOrEqual(2);
      for (const number of [1, 2])
        expect(
          await world.db
            .collection('invoices')
            .countDocuments({ patientId: patient.id, idempotencyKey: `payment-plan:${plan!.planId}:${number}` }),
        ).toBe(1);
      expect(
        await world.db.collection('invoices').countDocuments({ patientId: patient.id, idempotencyKey: `payment-plan:${plan!.planId}:3` }),
      ).toBe(0);
      expect((await summaryOf(patient.id)).balance).toMatchObject(usd(6_000));
    } finally {
      await second.kill();
    }
    const { plan: after } = await plansClient.getPaymentPlan({ patientId: patient.id, planId: plan!.planId }, await as(patient));
    expect(after!.instalments.map((i) => i.status)).toEqual([InstalmentStatus.OVERDUE, InstalmentStatus.DUE, InstalmentStatus.SCHEDULED]);
  });
});

describe('cancelling a plan', () => {
  const payWholeBalance = async (patient: Person) =>
    world.billing.makePayment(
      {
        patientId: patient.id,
        idempotencyKey: newKey(),
        target: { case: 'wholeBalance', value: true },
        paymentMethodToken: SANDBOX_CARDS.approved,
      },
      await as(patient),
    );
  const invoicesKeyed = (patientId: string, key: string) =>
    world.db.collection('invoices').find({ patientId, idempotencyKey: key }).toArray();

  it('charges no instalment after it, owes again at once what they would have covered, and shows what was paid and returned', async () => {
    const patient = await newPatient();
    await invoice(patient, 30_000);
    const { plan } = await plansClient.createPaymentPlan(monthly(patient.id), await as(riverside.staff));
    // The first instalment is charged on its date and paid.
    world.setNow(new Date('2026-12-15T15:00:00Z'));
    await runScheduler();
    await payWholeBalance(patient);
    expect((await summaryOf(patient.id)).balance).toMatchObject(usd(0));

    world.setNow(new Date('2026-12-20T15:00:00Z'));
    const { plan: cancelled } = await plansClient.cancelPaymentPlan(
      { patientId: patient.id, planId: plan!.planId },
      await as(riverside.staff),
    );
    expect(cancelled).toMatchObject({
      status: PaymentPlanStatus.CANCELLED,
      total: usd(30_000),
      paid: usd(10_000),
      remaining: usd(0),
      cancellation: { returnedToBalance: usd(20_000), remainderInvoiceNumber: expect.stringMatching(/^INV-2026-/) },
    });
    expect(cancelled!.nextInstalment).toBeUndefined();
    expect(cancelled!.instalments.map((i) => i.status)).toEqual([
      InstalmentStatus.PAID,
      InstalmentStatus.CANCELLED,
      InstalmentStatus.CANCELLED,
    ]);

    // What the two instalments would have covered is owed now, as one invoice due today in the clinic's zone.
    const summary = await summaryOf(patient.id, patient);
    expect(summary.balance).toMatchObject(usd(20_000));
    expect(summary.nextInstalment).toBeUndefined();
    const { invoice: remainder } = await world.billing.getInvoice(
      { patientId: patient.id, invoiceId: cancelled!.cancellation!.remainderInvoiceId },
      await as(patient),
    );
    expect(remainder).toMatchObject({ dueOn: '2026-12-20', total: usd(20_000), due: usd(20_000) });
    expect(remainder!.lines[0]!.description).toContain(plan!.number);

    // Cancelling again changes nothing; months later the scheduler charges none of its instalments.
    const { plan: again } = await plansClient.cancelPaymentPlan({ patientId: patient.id, planId: plan!.planId }, await as(riverside.staff));
    expect(again!.cancellation!.remainderInvoiceId).toBe(cancelled!.cancellation!.remainderInvoiceId);
    world.setNow(new Date('2027-03-01T15:00:00Z'));
    await runScheduler();
    expect(await invoicesKeyed(patient.id, `payment-plan:${plan!.planId}:2`)).toEqual([]);
    expect(await invoicesKeyed(patient.id, `payment-plan:${plan!.planId}:3`)).toEqual([]);
    expect(await invoicesKeyed(patient.id, `payment-plan:${plan!.planId}:cancelled`)).toHaveLength(1);
    expect((await summaryOf(patient.id)).balance).toMatchObject(usd(20_000));
    const { plans: listed } = await plansClient.listPaymentPlans({ patientId: patient.id }, await as(patient));
    expect(listed[0]).toMatchObject({ status: PaymentPlanStatus.CANCELLED, cancellation: { returnedToBalance: usd(20_000) } });

    // Its fact: ids and amounts only, once.
    const isCancellation = (r: { key: string | null; headers: Record<string, string | undefined> }) =>
      r.key === patient.id && r.headers.ce_type === PaymentPlanCancelledSchema.typeName;
    const records = await topics.waitFor((all) => all.some(isCancellation), 30_000);
    const cancellations = records.filter(isCancellation);
    expect(cancellations).toHaveLength(1);
    expect(fromBinary(PaymentPlanCancelledSchema, cancellations[0]!.value)).toMatchObject({
      planId: plan!.planId,
      patientId: patient.id,
      clinicId: riverside.id,
      total: usd(30_000),
      charged: usd(10_000),
      returnedToBalance: usd(20_000),
      remainderInvoiceId: cancelled!.cancellation!.remainderInvoiceId,
      cancelledInstalments: [2, 3],
    });
    expect(Buffer.from(cancellations[0]!.value).toString('latin1')).not.toContain('Payment plan');
  });

  it('is refused to the patient, another clinic’s staff, for another patient’s plan, and once every instalment is charged, changing nothing', async () => {
    const patient = await newPatient();
    const other = await newPatient();
    await invoice(patient, 10_000);
    await invoice(other, 10_000);
    const { plan } = await plansClient.createPaymentPlan(monthly(patient.id, { instalmentCount: 2 }), await as(riverside.staff));
    const { plan: theirs } = await plansClient.createPaymentPlan(monthly(other.id, { instalmentCount: 2 }), await as(riverside.staff));
    const cancel = async (patientId: string, planId: string, by: Person) =>
      (await failure(plansClient.cancelPaymentPlan({ patientId, planId }, await as(by)))).code;

    expect(await cancel(patient.id, plan!.planId, patient)).toBe(status.PERMISSION_DENIED);
    expect(await cancel(patient.id, plan!.planId, hillside.staff)).toBe(status.NOT_FOUND);
    expect(await cancel(patient.id, theirs!.planId, riverside.staff)).toBe(status.NOT_FOUND);
    expect(await cancel(patient.id, 'not-a-plan', riverside.staff)).toBe(status.INVALID_ARGUMENT);
    expect((await plansClient.getPaymentPlan({ patientId: other.id, planId: theirs!.planId }, await as(other))).plan!.status).toBe(
      PaymentPlanStatus.ACTIVE,
    );

    // Every instalment charged: nothing is left to cancel.
    world.setNow(new Date('2027-01-20T15:00:00Z'));
    await runScheduler();
    expect(await cancel(patient.id, plan!.planId, riverside.staff)).toBe(status.FAILED_PRECONDITION);
    const stored = await world.db.collection('payment_plans').findOne({ _id: plan!.planId as never });
    expect(stored!.cancellation).toBeUndefined();
    expect((await summaryOf(patient.id)).balance).toMatchObject(usd(10_000));
  });

  it('racing the scheduler on two replicas charges each instalment and the remainder once, owing exactly the plan’s total', async () => {
    const { patient, plan } = await weeklyPlanWithTwoInstalmentsDue();
    const second = await secondReplica();
    try {
      const staff = await as(riverside.staff);
      const [, , cancelled] = await Promise.all([
        runScheduler(),
        runScheduler(),
        plansClient.cancelPaymentPlan({ patientId: patient.id, planId: plan!.planId }, staff),
        runScheduler(),
      ]);
      await runScheduler();
      expect(cancelled.plan!.status).toBe(PaymentPlanStatus.CANCELLED);
      // Whoever came first, the instalments whose date had come are charged once, the last never, and it comes back once.
      for (const number of [1, 2]) expect(await invoicesKeyed(patient.id, `payment-plan:${plan!.planId}:${number}`)).toHaveLength(1);
      expect(await invoicesKeyed(patient.id, `payment-plan:${plan!.planId}:3`)).toEqual([]);
      const [remainder] = await invoicesKeyed(patient.id, `payment-plan:${plan!.planId}:cancelled`);
      expect(remainder).toMatchObject({ totalMinor: 3_000 });
      expect(cancelled.plan!.cancellation!.returnedToBalance).toMatchObject(usd(3_000));
      expect((await summaryOf(patient.id)).balance).toMatchObject(usd(9_000));
    } finally {
      await second.kill();
    }
  });

  it('left half-way by a dead process, is finished by the scheduler: the remainder charged once, with the id the plan names', async () => {
    const patient = await newPatient();
    await invoice(patient, 6_000);
    const { plan } = await plansClient.createPaymentPlan(monthly(patient.id, { instalmentCount: 2 }), await as(riverside.staff));
    const { plan: cancelled } = await plansClient.cancelPaymentPlan(
      { patientId: patient.id, planId: plan!.planId },
      await as(riverside.staff),
    );
    const remainderId = cancelled!.cancellation!.remainderInvoiceId;
    // The outbox relay writes both documents once their events are out: let it finish first, so
    // the state below is not written over by it (a dead process relays nothing either).
    await relayed('payment_plans', plan!.planId);
    await relayed('invoices', remainderId);
    // As if the process died after marking the plan cancelled and before charging the remainder.
    await world.db.collection('invoices').deleteOne({ _id: remainderId as never });
    await world.db
      .collection('payment_plans')
      .updateOne({ _id: plan!.planId as never }, { $set: { 'cancellation.remainderCharged': false } });
    expect((await summaryOf(patient.id)).balance).toMatchObject(usd(0));

    world.setNow(new Date(START_OF_TESTS.getTime() + 5 * 60_000));
    await Promise.all([runScheduler(), runScheduler()]);
    expect(await invoicesKeyed(patient.id, `payment-plan:${plan!.planId}:cancelled`)).toMatchObject([
      { _id: remainderId, totalMinor: 6_000 },
    ]);
    expect((await summaryOf(patient.id)).balance).toMatchObject(usd(6_000));
    const stored = await world.db.collection('payment_plans').findOne({ _id: plan!.planId as never });
    expect(stored!.cancellation).toMatchObject({ remainderCharged: true, returnedMinor: 6_000 });
  });
});
