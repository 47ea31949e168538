// The Stripe adapter: a PaymentIntent created and confirmed with the PaymentMethod id the
// browser got from Stripe's own card element (card details go from the browser to Stripe, never
// through Portico), the payment's idempotency key passed through as Stripe's Idempotency-Key, so
// a retry after a timeout returns the first PaymentIntent instead of charging again. Refunds go
// the same way. Tested against stripe-mock.
import { OutcomeUnknown, type ChargeOutcome, type ChargeRequest, type PaymentProcessor, type RefundRequest } from './port.js';

export interface StripeSettings {
  /** https://api.stripe.com, or stripe-mock in tests. */
  apiUrl: string;
  secretKey: string;
  publishableKey: string;
  timeoutMs: number;
}

interface PaymentIntent {
  id: string;
  status: string;
  last_payment_error?: { message?: string } | null;
}

interface StripeError {
  error?: { type?: string; message?: string; payment_intent?: PaymentIntent };
}

/** Stripe's answers in the patient's words; anything not settled or on its way is a decline. */
function outcomeOf(intent: PaymentIntent): ChargeOutcome {
  if (intent.status === 'succeeded') return { outcome: 'succeeded', reference: intent.id, cardLast4: '' };
  // Still being processed by the card network: not known yet, reconciled later with the same key.
  if (intent.status === 'processing') throw new OutcomeUnknown('stripe: the payment is still processing');
  const reason =
    intent.status === 'requires_action'
      ? 'The card needs an extra confirmation this payment form cannot give.'
      : (intent.last_payment_error?.message ?? 'The card was not charged.');
  return { outcome: 'declined', reference: intent.id, reason };
}

export function stripeProcessor(settings: StripeSettings): PaymentProcessor {
  async function post(path: string, idempotencyKey: string, form: Record<string, string>): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(new URL(path, settings.apiUrl), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${settings.secretKey}`,
          'content-type': 'application/x-www-form-urlencoded',
          'idempotency-key': idempotencyKey,
        },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch {
      // No answer: the request may or may not have reached Stripe.
      throw new OutcomeUnknown('stripe: no answer');
    }
    const body: unknown = await response.json().catch(() => ({}));
    // Stripe's own trouble (and 409: the same key still in flight): ask again later with the same key.
    if (response.status >= 500 || response.status === 409 || response.status === 429)
      throw new OutcomeUnknown(`stripe: answered ${response.status}`);
    return { status: response.status, body };
  }

  return {
    kind: 'stripe',
    publishableKey: settings.publishableKey,

    async charge(request: ChargeRequest): Promise<ChargeOutcome> {
      const { status, body } = await post('/v1/payment_intents', request.idempotencyKey, {
        amount: String(request.amountMinor),
        currency: request.currency.toLowerCase(),
        payment_method: request.paymentMethodToken,
        confirm: 'true',
        // The card element collects cards only: no redirect-based methods to come back from.
        'automatic_payment_methods[enabled]': 'true',
        'automatic_payment_methods[allow_redirects]': 'never',
        'metadata[portico_payment_id]': request.paymentId,
      });
      if (status === 200) return outcomeOf(body as PaymentIntent);
      const error = (body as StripeError).error;
      // A card error comes with the PaymentIntent it failed.
      if (status === 402 && error?.type === 'card_error')
        return { outcome: 'declined', reference: error.payment_intent?.id ?? '', reason: error.message ?? 'The card was declined.' };
      throw new Error(`stripe refused the payment request (${status}, ${error?.type ?? 'unknown error'})`);
    },

    async refund(request: RefundRequest) {
      const { status, body } = await post('/v1/refunds', request.idempotencyKey, {
        payment_intent: request.chargeReference,
        amount: String(request.amountMinor),
      });
      if (status !== 200) throw new Error(`stripe refused the refund (${status}, ${(body as StripeError).error?.type ?? 'unknown error'})`);
      return { reference: (body as { id: string }).id };
    },
  };
}
