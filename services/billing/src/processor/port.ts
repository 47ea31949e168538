// The payment-processor port: what the billing service asks of whoever moves the money. Two
// adapters, chosen by configuration: Stripe (PaymentIntents) and the sandbox (local use and the
// demo clinic). The card is only ever the processor's token; its number never reaches Portico.
// Every request carries the payment's idempotency key, so asking again — after a timeout, or a
// retry by the patient — returns the first answer and never charges twice.

export interface ChargeRequest {
  idempotencyKey: string;
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** Stripe PaymentMethod id or the sandbox's token. */
  paymentMethodToken: string;
  /** Portico's id of the payment, for the processor's records (no patient detail). */
  paymentId: string;
}

export type ChargeOutcome =
  { outcome: 'succeeded'; reference: string; cardLast4: string } | { outcome: 'declined'; reference: string; reason: string };

export interface RefundRequest {
  idempotencyKey: string;
  /** The processor's reference of the charge. */
  chargeReference: string;
  amountMinor: number;
}

/**
 * The processor did not say what happened (a timeout, a dropped connection, its own outage):
 * the card may or may not have been charged. The payment stays pending and is reconciled by
 * asking again with the same idempotency key.
 */
export class OutcomeUnknown extends Error {
  override name = 'OutcomeUnknown';
}

export type ProcessorKind = 'sandbox' | 'stripe';

export interface PaymentProcessor {
  readonly kind: ProcessorKind;
  /** What the browser needs to collect a card (Stripe's publishable key); never a secret. */
  readonly publishableKey: string;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<{ reference: string }>;
}
