// Benchmark (a script, not a test): what Good Faith Estimates cost against the real servers
// (FerretDB, Kafka, Keycloak tokens), with the billing service on its sandbox processor.
//   issue     IssueEstimate: validation, the version's SHA-256, one insert with its event and audit
//   read      GetEstimate of an estimate that BILLED invoices name: the $400 rule is derived from
//             the patient's whole ledger on each read, so this shows what that costs
// Prints calls per second, p50 and p99.  node bench/estimates.mjs  (CALLS=100 BILLED=200)
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { EstimatesService } from '@portico/contracts/gen/portico/billing/v1/estimates_pb';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { createUser, deleteUser, dropDatabases, passwordGrant, startTestService } from '@portico/testing';

const calls = Number(process.env.CALLS ?? 100);
const billed = Number(process.env.BILLED ?? 200);
const NPI = '1992753883';
const usd = (amountMinor) => ({ amountMinor: BigInt(amountMinor), currencyCode: 'USD' });

const runId = `bench_${randomUUID().slice(0, 8)}`;
const auth = await startTestService('auth', `${runId}_auth`);
const authAddress = `127.0.0.1:${auth.grpc.port}`;
const service = await startTestService('billing', `${runId}_billing`, { AUTH_GRPC_URL: authAddress });
const address = `127.0.0.1:${service.grpc.port}`;
const estimates = connectService(EstimatesService, address, { defaultTimeoutMs: 60_000 });
const billing = connectService(BillingService, address, { defaultTimeoutMs: 60_000 });
const authClient = connectService(AuthService, authAddress);
const users = [];
const person = async (roles) => {
  const user = await createUser({ roles, clinicId: `clinic-${runId}` });
  users.push(user);
  const token = await passwordGrant(user);
  return { ...user, meta: () => ({ metadata: forwardedMetadata(token, { 'x-request-id': randomUUID() }) }) };
};

/** Runs `call` `calls` times one after another; calls per second, p50 and p99 in ms. */
async function measure(call) {
  const latencies = [];
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await call();
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  return { calls, 'per s': (calls / seconds).toFixed(1), 'p50 ms': at(50), 'p99 ms': at(99) };
}

const location = { line1: '1 River Road', line2: '', city: 'Portland', region: 'ME', postalCode: '04101', countryCode: 'US' };
const request = (patientId) => ({
  patientId,
  idempotencyKey: `bench-${randomUUID()}`,
  estimateId: '',
  patientName: 'Bench Patient',
  patientDateOfBirth: '1990-01-01',
  primaryService: 'Outpatient psychotherapy',
  primaryServiceDate: '2027-01-05',
  providers: [{ name: 'Bench Provider', npi: NPI, taxId: '12-3456789', location }],
  items: [
    {
      providerNpi: NPI,
      serviceCode: '90834',
      modifiers: [],
      description: 'Psychotherapy',
      diagnosisCodes: ['F41.1'],
      units: 12,
      unitCharge: usd(15_000),
    },
  ],
});

try {
  const staff = await person(['staff']);
  await authClient.updateOrganisation(
    { profile: { name: 'Bench Clinic', timeZone: 'America/New_York', portalUrl: 'https://portal.example.org' } },
    staff.meta(),
  );
  const patient = await person(['patient']);
  const issue = await measure(() => estimates.issueEstimate(request(patient.id), staff.meta()));

  const { estimate } = await estimates.issueEstimate(request(patient.id), staff.meta());
  for (let i = 0; i < billed; i++)
    await billing.issueInvoice(
      {
        patientId: patient.id,
        idempotencyKey: `bench-${randomUUID()}`,
        dueOn: '',
        currencyCode: '',
        lines: [
          {
            dateOfService: '2026-11-20',
            procedureCode: '90834',
            modifiers: [],
            description: 'Psychotherapy',
            units: 1,
            unitPriceMinor: 10_000n,
            renderingProviderNpi: NPI,
            estimateId: estimate.estimateId,
          },
        ],
      },
      staff.meta(),
    );
  const read = await measure(() => estimates.getEstimate({ patientId: patient.id, estimateId: estimate.estimateId }, patient.meta()));
  console.log(`${calls} calls each; the estimate read is named by ${billed} invoices (and ${calls} other estimates exist):`);
  console.table({ issue, read });
} finally {
  estimates.close();
  billing.close();
  authClient.close();
  await service.lifecycle.shutdown('bench over');
  await auth.lifecycle.shutdown('bench over');
  // Once nothing writes to them.
  await dropDatabases(runId);
  await Promise.all(users.map((u) => deleteUser(u)));
}
