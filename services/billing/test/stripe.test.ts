// The Stripe adapter against stripe-mock (Stripe's own mock of its API, started by deploy/infra):
// what Portico sends for a payment — a PaymentIntent carrying the payment's idempotency key and
// the card's PaymentMethod id, never card data — and how it reads the answers, including none.
// stripe-mock keeps no state, so a small recording relay in front of it shows what was sent.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PaymentStatus } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, expectLedgerHolds, newKey, startWorld, therapyLine, type Clinic, type Person, type World } from './harness.js';

const STRIPE_MOCK = process.env.STRIPE_API_URL ?? 'http://127.0.0.1:12111';

interface Sent {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

/** Forwards every request to stripe-mock and keeps a copy; `delayNext` holds the next one back (a slow network). */
function recordingRelay(): Promise<{ server: Server; url: string; sent: Sent[]; delayNext(ms: number): void }> {
  const sent: Sent[] = [];
  let delay = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      sent.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, form: new URLSearchParams(body) });
      const wait = delay;
      delay = 0;
      if (wait) await new Promise((r) => setTimeout(r, wait));
      const answer = await fetch(new URL(request.url ?? '/', STRIPE_MOCK), {
        method: request.method ?? 'GET',
        headers: { authorization: String(request.headers.authorization ?? ''), 'content-type': 'application/x-www-form-urlencoded' },
        ...(request.method === 'POST' ? { body } : {}),
      });
      if (response.destroyed) return;
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(await answer.text());
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent, delayNext: (ms) => void (delay = ms) }),
    ),
  );
}

let relay: Awaited<ReturnType<typeof recordingRelay>>;
let world: World;
let clinic: Clinic;
let patient: Person;

beforeAll(async () => {
  relay = await recordingRelay();
  world = await startWorld({
    PAYMENT_PROCESSOR: 'stripe',
    STRIPE_API_URL: relay.url,
    STRIPE_SECRET_KEY: 'sk_test_portico',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_portico',
    PROCESSOR_TIMEOUT_MS: '1000',
  });
  clinic = await world.clinic('Stripe Clinic');
  patient = await world.person(['patient'], clinic);
  await world.billing.issueInvoice(
    { patientId: patient.id, idempotencyKey: newKey(), dueOn: '', currencyCode: '', lines: [therapyLine('2026-11-20', 12_345)] },
    await as(clinic.staff),
  );
});

beforeEach(() => void relay.sent.splice(0));

afterAll(async () => {
  if (world) {
    await expectLedgerHolds(world, clinic.staff, patient.id);
    await world.stop();
  }
  relay?.server.close();
});

const pay = async (key: string) =>
  (
    await world.billing.makePayment(
      { patientId: patient.id, idempotencyKey: key, target: { case: 'wholeBalance', value: true }, paymentMethodToken: 'pm_card_visa' },
      await as(patient),
    )
  ).payment!;

describe('the Stripe adapter', () => {
  it('tells the browser it takes cards with Stripe, with the publishable key only', async () => {
    const settings = await world.billing.getPaymentSettings({}, await as(patient));
    expect(settings).toMatchObject({ publishableKey: 'pk_test_portico', currencyCode: 'USD' });
    expect(JSON.stringify(settings)).not.toContain('sk_test');
  });

  it('creates a confirmed PaymentIntent with the idempotency key passed through and no card data', async () => {
    const key = newKey();
    const payment = await pay(key);
    expect(relay.sent).toHaveLength(1);
    const [request] = relay.sent;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/payment_intents' });
    expect(request!.headers['idempotency-key']).toBe(key);
    expect(request!.headers.authorization).toBe('Bearer sk_test_portico');
    expect(Object.fromEntries(request!.form)).toEqual({
      amount: '12345',
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: 'true',
      'automatic_payment_methods[enabled]': 'true',
      'automatic_payment_methods[allow_redirects]': 'never',
      'metadata[portico_payment_id]': payment.paymentId,
    });
    expect([...request!.form.keys()].some((k) => /card|cvc|exp_|number/.test(k))).toBe(false);
    // stripe-mock answers its fixture, a PaymentIntent still waiting for a payment method: not charged.
    expect(payment).toMatchObject({ status: PaymentStatus.FAILED });
    expect(payment.failureReason).not.toBe('');
  });

  it('keeps a payment Stripe did not answer in time pending, then asks again with the same key', async () => {
    const key = newKey();
    relay.delayNext(2_500);
    const payment = await pay(key);
    expect(payment.status).toBe(PaymentStatus.PENDING);
    await world.service.checkout.reconcile();
    const { payment: settled } = await world.billing.getPayment({ patientId: patient.id, paymentId: payment.paymentId }, await as(patient));
    expect(settled!.status).toBe(PaymentStatus.FAILED);
    const intents = relay.sent.filter((s) => s.path === '/v1/payment_intents');
    expect(intents).toHaveLength(2);
    expect(intents.map((s) => s.headers['idempotency-key'])).toEqual([key, key]);
    expect(intents[1]!.form.get('amount')).toBe(intents[0]!.form.get('amount'));
  });
});
