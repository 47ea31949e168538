// Runs the auth and billing services in the test process against the real servers (Keycloak
// users and tokens, FerretDB, Kafka), each with a database of its own, the billing service on a
// clock the test sets. A clinic with a profile and its people are real Keycloak users. After every
// test the ledger's invariant is checked for every patient the test touched.
import { randomUUID } from 'node:crypto';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { InsuranceService } from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { connectService, type ServiceClient } from '@portico/kit/grpc';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import type { RunningService } from '@portico/kit/runtime';
import { callAs, createUser, deleteUser, env, startTestService, withTokens, type Person, type TestUser } from '@portico/testing';

export type { Person };
import { expect } from 'vitest';

/** The service's "now" until a test moves it: Tuesday 1 December 2026, 07:00 in New York. */
export const START_OF_TESTS = new Date('2026-12-01T12:00:00Z');

export interface Clinic {
  id: string;
  name: string;
  staff: Person;
}

type Checkout = { reconcile(): Promise<number> };

export interface World {
  billing: ServiceClient<(typeof BillingService)['method']>;
  auth: ServiceClient<(typeof AuthService)['method']>;
  /** The insurance service, when the world was started with it (superbills read its member id). */
  insurance?: ServiceClient<(typeof InsuranceService)['method']>;
  service: RunningService & { checkout: Checkout };
  /** The billing service's own database, to check what was (not) written. */
  db: Connection;
  /** Its name, and where the auth service answers: a second replica starts with them. */
  dbName: string;
  authAddress: string;
  setNow(at: Date): void;
  clinic(name: string, timeZone?: string): Promise<Clinic>;
  person(roles: string[], clinic: Clinic | string, patients?: string[]): Promise<Person>;
  stop(): Promise<void>;
}

export async function startWorld(environment: NodeJS.ProcessEnv = {}, options: { insurance?: boolean } = {}): Promise<World> {
  const runId = `test_${randomUUID().slice(0, 8)}`;
  let now = START_OF_TESTS;
  const authService = await startTestService('auth', `${runId}_auth`);
  const authAddress = `127.0.0.1:${authService.grpc.port}`;
  const insuranceService = options.insurance
    ? await startTestService('insurance', `${runId}_insurance`, { AUTH_GRPC_URL: authAddress })
    : undefined;
  const insuranceAddress = insuranceService ? `127.0.0.1:${insuranceService.grpc.port}` : '';
  const service = (await startTestService(
    'billing',
    `${runId}_billing`,
    { AUTH_GRPC_URL: authAddress, INSURANCE_GRPC_URL: insuranceAddress, RECONCILE_AFTER_MS: '0', ...environment },
    { clock: () => now },
  )) as World['service'];
  const billing = connectService(BillingService, `127.0.0.1:${service.grpc.port}`, { defaultTimeoutMs: 30_000 });
  const auth = connectService(AuthService, authAddress, { defaultTimeoutMs: 30_000 });
  const insurance = insuranceService ? connectService(InsuranceService, insuranceAddress, { defaultTimeoutMs: 30_000 }) : undefined;
  const db = await connectMongo({ url: env.mongoUrl, dbName: `${runId}_billing`, logger: createLogger('test', 'silent') });
  const users: TestUser[] = [];

  async function person(roles: string[], clinic: Clinic | string, patients?: string[]): Promise<Person> {
    const user = await createUser({ roles, clinicId: typeof clinic === 'string' ? clinic : clinic.id, ...(patients ? { patients } : {}) });
    users.push(user);
    return withTokens(user);
  }

  return {
    billing,
    auth,
    ...(insurance ? { insurance } : {}),
    service,
    db,
    dbName: `${runId}_billing`,
    authAddress,
    setNow: (at) => void (now = at),
    person,
    async clinic(name, timeZone = 'America/New_York') {
      const id = `clinic-${randomUUID().slice(0, 8)}`;
      const staff = await person(['staff'], id);
      await auth.updateOrganisation({ profile: { name, timeZone, portalUrl: 'https://portal.example.org' } }, await as(staff));
      return { id, name, staff };
    },
    async stop() {
      billing.close();
      auth.close();
      insurance?.close();
      await service.lifecycle.shutdown('test over');
      await insuranceService?.lifecycle.shutdown('test over');
      await authService.lifecycle.shutdown('test over');
      await db.dropDatabase().catch(() => {});
      await db.close();
      await Promise.all(users.map((u) => deleteUser(u)));
    },
  };
}

/** Call settings as `person`, with a request id like the gateway's. */
export const as = callAs;

export const usd = (amountMinor: number | bigint) => ({ amountMinor: BigInt(amountMinor), currencyCode: 'USD' });

/** A 50-minute psychotherapy session (90834) on `date`, at `priceMinor`. */
export const therapyLine = (date: string, priceMinor: number, modifiers: string[] = []) => ({
  dateOfService: date,
  procedureCode: '90834',
  modifiers,
  description: 'Psychotherapy, 45 minutes',
  units: 1,
  unitPriceMinor: BigInt(priceMinor),
});

export const newKey = () => `key-${randomUUID()}`;

/**
 * The ledger's invariant for `patientId`, from what is stored: balance = charges − payments −
 * adjustments + refunds (declined payments excluded), equal to the balance the service reports,
 * to the sum of what its invoices owe, and no invoice owing less than nothing or more than its total.
 */
export async function expectLedgerHolds(world: World, staff: Person, patientId: string): Promise<void> {
  const invoices = await world.db.collection('invoices').find({ patientId }).toArray();
  const payments = await world.db
    .collection('payments')
    .find({ patientId, status: { $ne: 'failed' } })
    .toArray();
  const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const charges = total(invoices.map((i) => i.totalMinor as number));
  const adjustments = total(invoices.flatMap((i) => (i.adjustments as { amountMinor: number }[]).map((a) => a.amountMinor)));
  const paid = total(payments.map((p) => p.amountMinor as number));
  const refunds = total(payments.flatMap((p) => (p.refunds as { amountMinor: number }[]).map((r) => r.amountMinor)));
  const expected = charges - paid - adjustments + refunds;
  const { summary } = await world.billing.getBillingSummary({ patientId }, await as(staff));
  expect(Number(summary!.balance!.amountMinor)).toBe(expected);
  const listed = await world.billing.listInvoices({ patientId, page: { pageSize: 100, pageToken: '' } }, await as(staff));
  for (const invoice of listed.invoices) {
    expect(invoice.due!.amountMinor).toBeGreaterThanOrEqual(0n);
    expect(invoice.due!.amountMinor).toBeLessThanOrEqual(invoice.total!.amountMinor);
  }
  expect(total(listed.invoices.map((i) => Number(i.due!.amountMinor)))).toBe(expected);
}

export { failure, violationsOf } from '@portico/testing';
