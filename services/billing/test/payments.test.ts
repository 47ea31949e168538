// Seed step 7 at the service: staff bill a patient, the patient (or a guardian) pays through the
// sandbox processor, and every way a payment could go wrong is refused with nothing charged or
// stored. Against the real servers; the ledger's invariant is checked after every test.
import { status } from '@grpc/grpc-js';
import { InvoiceStatus, PaymentMethod, PaymentStatus } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { connectService } from '@portico/kit/grpc';
import { serviceEnvironment, spawnService } from '@portico/testing';
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
let riverside: Clinic;
let hillside: Clinic;
const touched = new Set<string>();

beforeAll(async () => {
  world = await startWorld();
  [riverside, hillside] = await Promise.all([world.clinic('Riverside Clinic'), world.clinic('Hillside Practice')]);
});

afterEach(async () => {
  world.setNow(START_OF_TESTS);
  for (const patientId of touched) await expectLedgerHolds(world, riverside.staff, patientId);
  touched.clear();
});

afterAll(async () => {
  await world?.stop();
});

async function newPatient(): Promise<Person> {
  const patient = await world.person(['patient'], riverside);
  touched.add(patient.id);
  return patient;
}

async function invoice(patient: Person, priceMinor: number, date = '2026-11-20', dueOn = '') {
  const { invoice } = await world.billing.issueInvoice(
    { patientId: patient.id, idempotencyKey: newKey(), dueOn, lines: [therapyLine(date, priceMinor, ['95'])], currencyCode: 'USD' },
    await as(riverside.staff),
  );
  return invoice!;
}

const pay = async (
  by: Person,
  patientId: string,
  target: Record<string, unknown>,
  key = newKey(),
  token: string = SANDBOX_CARDS.approved,
) =>
  (await world.billing.makePayment({ patientId, idempotencyKey: key, target: target as never, paymentMethodToken: token }, await as(by)))
    .payment!;

const balanceOf = async (patientId: string) =>
  Number((await world.billing.getBillingSummary({ patientId }, await as(riverside.staff))).summary!.balance!.amountMinor);

const sandboxCharges = (key: string) => world.db.collection('sandbox_charges').countDocuments({ _id: key as never });
const storedPayments = (patientId: string) => world.db.collection('payments').countDocuments({ patientId });

describe('invoices', () => {
  it('shows the patient each line with its date of service, code, modifiers, description, units, amount, paid and due', async () => {
    const patient = await newPatient();
    const { invoice: issued } = await world.billing.issueInvoice(
      {
        patientId: patient.id,
        idempotencyKey: newKey(),
        dueOn: '2026-12-31',
        currencyCode: '',
        lines: [
          therapyLine('2026-11-20', 15_000, ['95']),
          { ...therapyLine('2026-11-27', 4_050), procedureCode: 'H0004', units: 2, description: 'Behavioural health counselling, 15 min' },
        ],
      },
      await as(riverside.staff),
    );
    const { invoice } = await world.billing.getInvoice({ patientId: patient.id, invoiceId: issued!.invoiceId }, await as(patient));
    expect(invoice).toMatchObject({
      number: expect.stringMatching(/^INV-2026-[0-9A-F]{8}$/),
      dueOn: '2026-12-31',
      status: InvoiceStatus.OPEN,
      total: usd(23_100),
      paid: usd(0),
      due: usd(23_100),
    });
    expect(invoice!.lines[0]).toMatchObject({
      dateOfService: '2026-11-20',
      procedureCode: '90834',
      modifiers: ['95'],
      description: 'Psychotherapy, 45 minutes',
      units: 1,
      amount: usd(15_000),
      due: usd(15_000),
    });
    expect(invoice!.lines[1]).toMatchObject({ procedureCode: 'H0004', units: 2, unitPrice: usd(4_050), amount: usd(8_100) });
  });

  it('refuses lines with a made-up code, a future date of service or a price in fractions, naming each, and stores nothing', async () => {
    const patient = await newPatient();
    const error = await failure(
      world.billing.issueInvoice(
        {
          patientId: patient.id,
          idempotencyKey: newKey(),
          dueOn: '',
          currencyCode: '',
          lines: [
            { ...therapyLine('2026-11-20', 100), procedureCode: 'XYZ' },
            therapyLine('2027-01-05', 100),
            { ...therapyLine('2026-11-20', 100), units: 0 },
          ],
        },
        await as(riverside.staff),
      ),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error).map((v) => v.field)).toEqual(expect.arrayContaining(['lines[0].procedure_code', 'lines[2].units']));
    expect(await world.db.collection('invoices').countDocuments({ patientId: patient.id })).toBe(0);
  });

  it('is issued once however often staff retry with the same key', async () => {
    const patient = await newPatient();
    const key = newKey();
    const request = { patientId: patient.id, idempotencyKey: key, dueOn: '', currencyCode: '', lines: [therapyLine('2026-11-20', 9_000)] };
    const [a, b] = await Promise.all([
      world.billing.issueInvoice(request, await as(riverside.staff)),
      world.billing.issueInvoice(request, await as(riverside.staff)),
    ]);
    expect(a.invoice!.invoiceId).toBe(b.invoice!.invoiceId);
    expect(await balanceOf(patient.id)).toBe(9_000);
  });

  it('shows as overdue, and counts in the summary’s overdue amount, once its due date has passed in the clinic’s zone', async () => {
    const patient = await newPatient();
    await invoice(patient, 12_000, '2026-11-20', '2026-12-05');
    world.setNow(new Date('2026-12-06T04:59:00Z')); // still 5 December in New York
    expect((await world.billing.getBillingSummary({ patientId: patient.id }, await as(patient))).summary!.overdue).toMatchObject(usd(0));
    world.setNow(new Date('2026-12-06T05:01:00Z'));
    const { summary } = await world.billing.getBillingSummary({ patientId: patient.id }, await as(patient));
    expect(summary).toMatchObject({ balance: usd(12_000), overdue: usd(12_000), outstandingInvoices: 1 });
  });

  it('may be issued by staff of the patient’s clinic only', async () => {
    const patient = await newPatient();
    const request = {
      patientId: patient.id,
      idempotencyKey: newKey(),
      dueOn: '',
      currencyCode: '',
      lines: [therapyLine('2026-11-20', 100)],
    };
    expect((await failure(world.billing.issueInvoice(request, await as(patient)))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(world.billing.issueInvoice(request, await as(hillside.staff)))).code).toBe(status.NOT_FOUND);
    expect(await balanceOf(patient.id)).toBe(0);
  });
});

describe('Make a Payment', () => {
  it('applies an amount to the oldest invoice first and shows it in Payments with a receipt', async () => {
    const patient = await newPatient();
    const older = await invoice(patient, 15_000, '2026-11-02');
    world.setNow(new Date(START_OF_TESTS.getTime() + 60_000));
    const newer = await invoice(patient, 8_000, '2026-11-20');
    const payment = await pay(patient, patient.id, { case: 'amount', value: usd(20_000) });
    expect(payment).toMatchObject({
      status: PaymentStatus.SUCCEEDED,
      method: PaymentMethod.CARD_ONLINE,
      amount: usd(20_000),
      reference: '4242',
    });
    expect(payment.allocations.map((a) => [a.invoiceId, a.invoiceNumber, a.amount!.amountMinor])).toEqual([
      [older.invoiceId, older.number, 15_000n],
      [newer.invoiceId, newer.number, 5_000n],
    ]);
    const outstanding = await world.billing.listInvoices({ patientId: patient.id, outstandingOnly: true }, await as(patient));
    expect(outstanding.invoices.map((i) => [i.invoiceId, i.due!.amountMinor])).toEqual([[newer.invoiceId, 3_000n]]);
    const { summary } = await world.billing.getBillingSummary({ patientId: patient.id }, await as(patient));
    expect(summary).toMatchObject({ balance: usd(3_000), outstandingInvoices: 1, lastPayment: { paymentId: payment.paymentId } });
    const { payments } = await world.billing.listPayments({ patientId: patient.id }, await as(patient));
    expect(payments.map((p) => p.paymentId)).toEqual([payment.paymentId]);

    const { document } = await world.billing.getPaymentReceipt({ patientId: patient.id, paymentId: payment.paymentId }, await as(patient));
    expect(document).toMatchObject({ contentType: 'application/pdf', fileName: `receipt-${payment.receiptNumber}.pdf` });
    const { text } = await extractText(new Uint8Array(document!.content), { mergePages: true });
    expect(text).toContain(payment.receiptNumber);
    expect(text).toContain('Riverside Clinic');
    expect(text).toContain('$200.00');
    expect(text).toContain(older.number);
    expect(text).toContain('$150.00');
  });

  it('pays the whole balance, or exactly the chosen invoices', async () => {
    const patient = await newPatient();
    const first = await invoice(patient, 5_000);
    const second = await invoice(patient, 7_000);
    const chosen = await pay(patient, patient.id, { case: 'invoices', value: { invoiceIds: [second.invoiceId] } });
    expect(chosen.amount).toMatchObject(usd(7_000));
    expect(chosen.allocations.map((a) => a.invoiceId)).toEqual([second.invoiceId]);
    const whole = await pay(patient, patient.id, { case: 'wholeBalance', value: true });
    expect(whole.allocations.map((a) => [a.invoiceId, a.amount!.amountMinor])).toEqual([[first.invoiceId, 5_000n]]);
    expect(await balanceOf(patient.id)).toBe(0);
  });

  it('lets a guardian pay for their patient', async () => {
    const patient = await newPatient();
    const guardian = await world.person(['guardian'], riverside, [patient.id]);
    await invoice(patient, 6_000);
    const payment = await pay(guardian, patient.id, { case: 'wholeBalance', value: true });
    expect(payment.status).toBe(PaymentStatus.SUCCEEDED);
    expect(await balanceOf(patient.id)).toBe(0);
  });

  it('refuses zero, negative and over-balance amounts, with nothing charged or stored', async () => {
    const patient = await newPatient();
    await invoice(patient, 5_000);
    for (const amount of [0, -500, 5_001]) {
      const key = newKey();
      const error = await failure(pay(patient, patient.id, { case: 'amount', value: usd(amount) }, key));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(violationsOf(error)[0]!.field).toBe('amount');
      expect(await sandboxCharges(key)).toBe(0);
    }
    expect(await storedPayments(patient.id)).toBe(0);
    expect(await balanceOf(patient.id)).toBe(5_000);
  });

  it('refuses an amount in another currency and a payment when nothing is due', async () => {
    const patient = await newPatient();
    const nothingDue = await failure(pay(patient, patient.id, { case: 'wholeBalance', value: true }));
    expect(nothingDue.code).toBe(status.FAILED_PRECONDITION);
    await invoice(patient, 5_000);
    const euros = await failure(pay(patient, patient.id, { case: 'amount', value: { amountMinor: 100n, currencyCode: 'EUR' } }));
    expect(violationsOf(euros).map((v) => v.field)).toEqual(['amount.currency_code']);
    expect(await storedPayments(patient.id)).toBe(0);
  });

  it('does not let anyone pay, or even see, another patient’s invoice', async () => {
    const patient = await newPatient();
    const other = await newPatient();
    const theirs = await invoice(other, 5_000);
    await invoice(patient, 3_000);
    const error = await failure(pay(patient, patient.id, { case: 'invoices', value: { invoiceIds: [theirs.invoiceId] } }));
    expect(error.code).toBe(status.NOT_FOUND);
    expect((await failure(pay(patient, other.id, { case: 'wholeBalance', value: true }))).code).toBe(status.NOT_FOUND);
    expect((await failure(world.billing.getInvoice({ patientId: other.id, invoiceId: theirs.invoiceId }, await as(patient)))).code).toBe(
      status.NOT_FOUND,
    );
    expect(await storedPayments(patient.id)).toBe(0);
    expect(await storedPayments(other.id)).toBe(0);
  });

  it('charges once for a double click or a retry with the same Idempotency-Key, and refuses the key for another amount', async () => {
    const patient = await newPatient();
    await invoice(patient, 10_000);
    const key = newKey();
    const [a, b] = await Promise.all([
      pay(patient, patient.id, { case: 'amount', value: usd(2_500) }, key),
      pay(patient, patient.id, { case: 'amount', value: usd(2_500) }, key),
    ]);
    expect(a.paymentId).toBe(b.paymentId);
    const retry = await pay(patient, patient.id, { case: 'amount', value: usd(2_500) }, key);
    expect(retry.paymentId).toBe(a.paymentId);
    expect(await sandboxCharges(key)).toBe(1);
    const reused = await failure(pay(patient, patient.id, { case: 'amount', value: usd(3_000) }, key));
    expect(reused.code).toBe(status.FAILED_PRECONDITION);
    expect(reused.details).toMatch(/idempotency key/);
    expect(await storedPayments(patient.id)).toBe(1);
    expect(await balanceOf(patient.id)).toBe(7_500);
  });

  it('leaves the balance as it was when the card is declined, and says why', async () => {
    const patient = await newPatient();
    await invoice(patient, 4_000);
    const payment = await pay(patient, patient.id, { case: 'wholeBalance', value: true }, newKey(), SANDBOX_CARDS.declined);
    expect(payment).toMatchObject({ status: PaymentStatus.FAILED, failureReason: expect.stringMatching(/declined/) });
    expect(await balanceOf(patient.id)).toBe(4_000);
    expect(
      (await failure(world.billing.getPaymentReceipt({ patientId: patient.id, paymentId: payment.paymentId }, await as(patient)))).code,
    ).toBe(status.FAILED_PRECONDITION);
  });

  it('settles a payment whose outcome was lost in reconciliation, charging the card once', async () => {
    const patient = await newPatient();
    await invoice(patient, 9_900);
    const key = newKey();
    const payment = await pay(patient, patient.id, { case: 'wholeBalance', value: true }, key, SANDBOX_CARDS.lostAnswer);
    expect(payment.status).toBe(PaymentStatus.PENDING);
    // Pending counts against the balance, so a second payment cannot take the same amount.
    expect(await balanceOf(patient.id)).toBe(0);
    expect((await failure(pay(patient, patient.id, { case: 'wholeBalance', value: true }))).code).toBe(status.FAILED_PRECONDITION);
    // The reconciliation job may have settled it already; asked now, it settles it if not.
    await world.service.checkout.reconcile();
    const { payment: settled } = await world.billing.getPayment({ patientId: patient.id, paymentId: payment.paymentId }, await as(patient));
    expect(settled!.status).toBe(PaymentStatus.SUCCEEDED);
    // The patient's own retry after the timeout answers the same payment.
    expect((await pay(patient, patient.id, { case: 'wholeBalance', value: true }, key, SANDBOX_CARDS.lostAnswer)).paymentId).toBe(
      payment.paymentId,
    );
    expect(await sandboxCharges(key)).toBe(1);
  });

  it('is refused to staff, who record front-desk payments instead', async () => {
    const patient = await newPatient();
    await invoice(patient, 1_000);
    expect((await failure(pay(riverside.staff, patient.id, { case: 'wholeBalance', value: true }))).code).toBe(status.PERMISSION_DENIED);
  });
});

describe('monthly statements', () => {
  it('list every month with its previous balance, charges, payments, adjustments and new balance, and download as a PDF', async () => {
    const patient = await newPatient();
    world.setNow(new Date('2026-11-10T15:00:00Z'));
    const first = await invoice(patient, 10_000, '2026-11-05');
    world.setNow(new Date('2026-11-20T15:00:00Z'));
    await pay(patient, patient.id, { case: 'amount', value: usd(4_000) });
    world.setNow(START_OF_TESTS);
    await invoice(patient, 5_000, '2026-11-30');
    await world.billing.adjustInvoice(
      { patientId: patient.id, invoiceId: first.invoiceId, amount: usd(1_000), reason: 'Courtesy discount', idempotencyKey: newKey() },
      await as(riverside.staff),
    );
    const { statements } = await world.billing.listStatements({ patientId: patient.id }, await as(patient));
    const totals = statements.map((s) => [
      s.month,
      ...[s.previousBalance, s.charges, s.payments, s.adjustments, s.newBalance].map((m) => Number(m!.amountMinor)),
    ]);
    expect(totals).toEqual([
      ['2026-12', 6_000, 5_000, 0, 1_000, 10_000],
      ['2026-11', 0, 10_000, 4_000, 0, 6_000],
    ]);

    const { document } = await world.billing.getStatement({ patientId: patient.id, month: '2026-12' }, await as(patient));
    expect(document).toMatchObject({ contentType: 'application/pdf', fileName: 'statement-2026-12.pdf' });
    const { text } = await extractText(new Uint8Array(document!.content), { mergePages: true });
    expect(text).toContain('Riverside Clinic');
    expect(text).toContain('December 2026');
    expect(text).toMatch(/Previous balance:\s*\$60\.00/);
    expect(text).toMatch(/Charges:\s*\$50\.00/);
    expect(text).toMatch(/Adjustments:\s*\$10\.00/);
    expect(text).toMatch(/New balance:\s*\$100\.00/);
    const bad = await failure(world.billing.getStatement({ patientId: patient.id, month: '2026-13' }, await as(patient)));
    expect(violationsOf(bad).map((v) => v.field)).toEqual(['month']);
  });
});

describe('two replicas of the billing service', () => {
  it('take turns on a patient’s ledger: payments of the whole balance at once on both charge it once', async () => {
    const patient = await newPatient();
    await invoice(patient, 7_700);
    // Another process: nothing in memory is shared with this one, only the database.
    const second = await spawnService('services/billing/dist/main.js', {
      ...serviceEnvironment('billing', world.dbName),
      AUTH_GRPC_URL: world.authAddress,
    });
    const other = connectService(BillingService, `127.0.0.1:${second.grpcPort}`, { defaultTimeoutMs: 30_000 });
    try {
      const request = async (client: typeof other) =>
        client.makePayment(
          {
            patientId: patient.id,
            idempotencyKey: newKey(),
            target: { case: 'wholeBalance', value: true },
            paymentMethodToken: SANDBOX_CARDS.approved,
          },
          await as(patient),
        );
      // Both have verified a token and looked the patient up once, so neither is slow to start.
      for (const client of [world.billing, other]) await client.getBillingSummary({ patientId: patient.id }, await as(patient));
      // Several on each, so that the two replicas' attempts overlap whatever their speeds.
      const outcomes = await Promise.allSettled([1, 2, 3, 4].flatMap(() => [request(world.billing), request(other)]));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const refused of outcomes.filter((o) => o.status === 'rejected'))
        expect(((refused as PromiseRejectedResult).reason as { code: number }).code).toBe(status.FAILED_PRECONDITION);
      expect(await world.db.collection('sandbox_charges').countDocuments({ amountMinor: 7_700 })).toBe(1);
    } finally {
      other.close();
      await second.kill();
    }
  });
});

describe('staff at the front desk', () => {
  it('record a cash payment, adjust an invoice and refund part of a payment, each reflected in what the patient owes', async () => {
    const patient = await newPatient();
    const first = await invoice(patient, 20_000);
    const staff = await as(riverside.staff);
    const { payment } = await world.billing.recordPayment(
      { patientId: patient.id, idempotencyKey: newKey(), amount: usd(12_000), method: PaymentMethod.CASH, invoiceIds: [], reference: '' },
      staff,
    );
    expect(payment).toMatchObject({ status: PaymentStatus.SUCCEEDED, method: PaymentMethod.CASH, amount: usd(12_000) });
    const { invoice: adjusted } = await world.billing.adjustInvoice(
      { patientId: patient.id, invoiceId: first.invoiceId, amount: usd(3_000), reason: 'Courtesy discount', idempotencyKey: newKey() },
      await as(riverside.staff),
    );
    expect(adjusted).toMatchObject({ paid: usd(12_000), adjusted: usd(3_000), due: usd(5_000) });
    const tooMuch = await failure(
      world.billing.adjustInvoice(
        { patientId: patient.id, invoiceId: first.invoiceId, amount: usd(5_001), reason: 'x', idempotencyKey: newKey() },
        await as(riverside.staff),
      ),
    );
    expect(tooMuch.code).toBe(status.INVALID_ARGUMENT);
    const { payment: refunded } = await world.billing.refundPayment(
      { patientId: patient.id, paymentId: payment!.paymentId, amount: usd(2_000), reason: 'Overpaid', idempotencyKey: newKey() },
      await as(riverside.staff),
    );
    expect(refunded!.refunded).toMatchObject(usd(2_000));
    expect(await balanceOf(patient.id)).toBe(7_000);
    const overRefund = await failure(
      world.billing.refundPayment(
        { patientId: patient.id, paymentId: payment!.paymentId, amount: usd(10_001), reason: '', idempotencyKey: newKey() },
        await as(riverside.staff),
      ),
    );
    expect(overRefund.code).toBe(status.INVALID_ARGUMENT);
  });

  it('refund an online payment through the processor', async () => {
    const patient = await newPatient();
    await invoice(patient, 5_000);
    const payment = await pay(patient, patient.id, { case: 'wholeBalance', value: true });
    await world.billing.refundPayment(
      { patientId: patient.id, paymentId: payment.paymentId, amount: usd(5_000), reason: '', idempotencyKey: newKey() },
      await as(riverside.staff),
    );
    expect(await balanceOf(patient.id)).toBe(5_000);
    // The sandbox gave the money back on the card's charge.
    expect(await world.db.collection('sandbox_charges').countDocuments({ refundedMinor: 5_000 })).toBe(1);
  });

  it('see every payment of their own clinic, and none of another', async () => {
    const patient = await newPatient();
    await invoice(patient, 2_000);
    const payment = await pay(patient, patient.id, { case: 'wholeBalance', value: true });
    const ours = await world.billing.listClinicPayments({ page: { pageSize: 100, pageToken: '' } }, await as(riverside.staff));
    expect(ours.payments.map((p) => p.paymentId)).toContain(payment.paymentId);
    const theirs = await world.billing.listClinicPayments({}, await as(hillside.staff));
    expect(theirs.payments.map((p) => p.paymentId)).not.toContain(payment.paymentId);
    expect((await failure(world.billing.listClinicPayments({}, await as(patient)))).code).toBe(status.PERMISSION_DENIED);
  });
});
