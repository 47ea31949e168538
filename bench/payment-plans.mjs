// Benchmark (a script, not a test): what payment plans cost against the real servers (FerretDB,
// Kafka, Keycloak tokens), with the billing service on a clock this script moves.
//   create    CreatePaymentPlan for PLANS patients one after another (each: the ledger read under
//             the patient's lease, the plan stored, its covering adjustment, the first instalment)
//   round     one instalment-scheduler round after the clock moves WEEKS weeks: every plan has
//             WEEKS instalments due, each charged as an invoice under its patient's lease
//   idle      the next round, with nothing left to charge
// Prints calls per second, p50 and p99, and the rounds' durations.  node bench/payment-plans.mjs  (PLANS=40 WEEKS=4)
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { PaymentPlanFrequency, PaymentPlansService } from '@portico/contracts/gen/portico/billing/v1/payment_plans_pb';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { createUser, deleteUser, passwordGrant, startTestService } from '@portico/testing';

const planCount = Number(process.env.PLANS ?? 40);
const weeks = Number(process.env.WEEKS ?? 4);

const runId = `bench_${randomUUID().slice(0, 8)}`;
let now = new Date('2026-12-01T15:00:00Z');
const auth = await startTestService('auth', `${runId}_auth`);
const authAddress = `127.0.0.1:${auth.grpc.port}`;
const service = await startTestService('billing', `${runId}_billing`, { AUTH_GRPC_URL: authAddress }, { clock: () => now });
const address = `127.0.0.1:${service.grpc.port}`;
const billing = connectService(BillingService, address, { defaultTimeoutMs: 60_000 });
const plans = connectService(PaymentPlansService, address, { defaultTimeoutMs: 60_000 });
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

try {
  const staff = await person(['staff']);
  await authClient.updateOrganisation(
    { profile: { name: 'Bench Clinic', timeZone: 'America/New_York', portalUrl: 'https://portal.example.org' } },
    staff.meta(),
  );
  const patients = [];
  for (let i = 0; i < planCount; i++) {
    const patient = await person(['patient']);
    patients.push(patient);
    const line = {
      dateOfService: '2026-11-20',
      procedureCode: '90834',
      modifiers: [],
      description: 'x',
      units: 1,
      unitPriceMinor: 52_000n,
    };
    await billing.issueInvoice(
      { patientId: patient.id, idempotencyKey: `bench-${randomUUID()}`, dueOn: '', currencyCode: '', lines: [line] },
      staff.meta(),
    );
  }
  const latencies = [];
  const start = performance.now();
  for (const patient of patients) {
    const t0 = performance.now();
    await plans.createPaymentPlan(
      {
        patientId: patient.id,
        idempotencyKey: `bench-${randomUUID()}`,
        invoiceIds: [],
        instalmentCount: 12,
        frequency: PaymentPlanFrequency.WEEKLY,
        firstDueOn: '2026-12-02',
      },
      staff.meta(),
    );
    latencies.push(performance.now() - t0);
  }
  console.log(`${planCount} plans of 12 weekly instalments:`);
  report('create', latencies, (performance.now() - start) / 1000);

  now = new Date(now.getTime() + weeks * 7 * 86_400_000);
  let t0 = performance.now();
  const charged = await service.paymentPlans.chargeDueInstalments();
  const roundMs = performance.now() - t0;
  console.log(`round      ${charged} instalments charged in ${roundMs.toFixed(0)} ms (${((charged / roundMs) * 1000).toFixed(1)} /s)`);
  t0 = performance.now();
  const none = await service.paymentPlans.chargeDueInstalments();
  console.log(`idle       ${none} charged in ${(performance.now() - t0).toFixed(0)} ms`);
} finally {
  billing.close();
  plans.close();
  authClient.close();
  await service.connection.dropDatabase().catch(() => {});
  await auth.connection.dropDatabase().catch(() => {});
  await service.lifecycle.shutdown('bench over');
  await auth.lifecycle.shutdown('bench over');
  await Promise.all(users.map((u) => deleteUser(u)));
}
