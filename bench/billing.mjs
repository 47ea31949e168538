// Benchmark (a script, not a test): what a payment and a billing summary cost against the real
// servers (FerretDB, Kafka, Keycloak tokens), with the billing service on its sandbox processor.
//   summary   GetBillingSummary for a patient whose ledger holds LEDGER invoices, each paid: the
//             balance is derived from every entry on each read, so this shows what that costs
//   payments  MakePayment by PATIENTS patients at once, PER_PATIENT each, every one under its
//             patient's ledger lease (read the ledger, store it pending, ask the processor, settle)
// Prints requests per second, p50 and p99.  node bench/billing.mjs  (LEDGER=200 PATIENTS=8 PER_PATIENT=10)
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { createUser, deleteUser, dropDatabases, passwordGrant, startTestService } from '@portico/testing';

const ledgerSize = Number(process.env.LEDGER ?? 200);
const patientCount = Number(process.env.PATIENTS ?? 8);
const perPatient = Number(process.env.PER_PATIENT ?? 10);

const runId = `bench_${randomUUID().slice(0, 8)}`;
const auth = await startTestService('auth', `${runId}_auth`);
const authAddress = `127.0.0.1:${auth.grpc.port}`;
const billingService = await startTestService('billing', `${runId}_billing`, { AUTH_GRPC_URL: authAddress });
const billing = connectService(BillingService, `127.0.0.1:${billingService.grpc.port}`, { defaultTimeoutMs: 60_000 });
const authClient = connectService(AuthService, authAddress);
const clinicId = `clinic-${runId}`;
const users = [];
const person = async (roles) => {
  const user = await createUser({ roles, clinicId });
  users.push(user);
  const token = await passwordGrant(user);
  return { ...user, meta: () => ({ metadata: forwardedMetadata(token, { 'x-request-id': randomUUID() }) }) };
};

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
function report(name, latencies, seconds) {
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(10)} ${String(latencies.length).padStart(5)} calls  ${(latencies.length / seconds).toFixed(1).padStart(7)} /s  p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms`,
  );
}
const line = {
  dateOfService: '2026-11-20',
  procedureCode: '90834',
  modifiers: [],
  description: 'Psychotherapy, 45 minutes',
  units: 1,
  unitPriceMinor: 10_000n,
};
const issue = (staff, patientId) =>
  billing.issueInvoice({ patientId, idempotencyKey: `bench-${randomUUID()}`, dueOn: '', currencyCode: '', lines: [line] }, staff.meta());
const pay = (patient, amount) =>
  billing.makePayment(
    {
      patientId: patient.id,
      idempotencyKey: `bench-${randomUUID()}`,
      target: { case: 'amount', value: { amountMinor: BigInt(amount), currencyCode: 'USD' } },
      paymentMethodToken: 'sandbox_card_4242',
    },
    patient.meta(),
  );

try {
  const staff = await person(['staff']);
  await authClient.updateOrganisation(
    { profile: { name: 'Bench Clinic', timeZone: 'America/New_York', portalUrl: 'https://portal.example.org' } },
    staff.meta(),
  );

  // A long ledger: LEDGER invoices, each paid.
  const heavy = await person(['patient']);
  for (let i = 0; i < ledgerSize; i++) {
    await issue(staff, heavy.id);
    await pay(heavy, 10_000);
  }
  const summaryLatencies = [];
  const summaryStart = performance.now();
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await billing.getBillingSummary({ patientId: heavy.id }, heavy.meta());
    summaryLatencies.push(performance.now() - t0);
  }
  console.log(`ledger of ${ledgerSize} invoices and ${ledgerSize} payments:`);
  report('summary', summaryLatencies, (performance.now() - summaryStart) / 1000);

  // Payments at once by several patients, one after another for each.
  const patients = [];
  for (let i = 0; i < patientCount; i++) patients.push(await person(['patient']));
  for (const patient of patients) await issue(staff, patient.id);
  const paymentLatencies = [];
  const paymentStart = performance.now();
  await Promise.all(
    patients.map(async (patient) => {
      for (let i = 0; i < perPatient; i++) {
        const t0 = performance.now();
        await pay(patient, 100);
        paymentLatencies.push(performance.now() - t0);
      }
    }),
  );
  console.log(`${patientCount} patients paying at once, ${perPatient} payments each:`);
  report('payments', paymentLatencies, (performance.now() - paymentStart) / 1000);
} finally {
  billing.close();
  authClient.close();
  await billingService.lifecycle.shutdown('bench over');
  await auth.lifecycle.shutdown('bench over');
  // Once nothing writes to them.
  await dropDatabases(runId);
  await Promise.all(users.map((u) => deleteUser(u)));
}
