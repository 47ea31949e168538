// The sandbox processor: a stand-in for a card processor on a developer's machine and in the demo
// clinic, kept in the billing database's own `sandbox_charges` collection. It behaves like a real
// one where it matters: charges are idempotent by key (the same key answers the first outcome and
// charges once), and its test cards decline or lose the answer, so the portal's handling of a
// decline and of an unknown outcome can be tried by hand. Never configured in production.
import { randomUUID } from 'node:crypto';
import { withDocumentLock, mongoose, type Connection } from '@portico/kit/mongo';
import { isDuplicateKey } from '@portico/kit/store';
import { OutcomeUnknown, type ChargeOutcome, type ChargeRequest, type PaymentProcessor, type RefundRequest } from './port.js';

/** The sandbox's test cards, as tokens its own card form in the browser hands over. */
export const SANDBOX_CARDS = {
  /** Charged. */
  approved: 'sandbox_card_4242',
  /** Declined: insufficient funds. */
  declined: 'sandbox_card_0002',
  /** Charged, but the answer is lost on the way back (a timeout): the payment is reconciled. */
  lostAnswer: 'sandbox_card_0119',
} as const;

interface SandboxChargeDocument {
  _id: string;
  amountMinor: number;
  currency: string;
  outcome: ChargeOutcome;
  refundedMinor: number;
  createdAt: Date;
}

const chargeSchema = new mongoose.Schema<SandboxChargeDocument>(
  {
    _id: { type: String, required: true },
    amountMinor: { type: Number, required: true },
    currency: { type: String, required: true },
    outcome: { type: mongoose.Schema.Types.Mixed, required: true },
    refundedMinor: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandbox_charges', versionKey: false },
);

export const SANDBOX_CHARGES = 'sandbox_charges';

export function sandboxProcessor(connection: Connection): PaymentProcessor {
  const charges = (connection.models.SandboxCharge ??
    connection.model<SandboxChargeDocument>('SandboxCharge', chargeSchema)) as mongoose.Model<SandboxChargeDocument>;

  return {
    kind: 'sandbox',
    publishableKey: '',

    charge(request: ChargeRequest): Promise<ChargeOutcome> {
      return withDocumentLock(SANDBOX_CHARGES, request.idempotencyKey, async () => {
        const first = await charges.findById(request.idempotencyKey).lean<SandboxChargeDocument>();
        if (first) {
          // Like Stripe: a key reused for another request is an error, never a second charge.
          if (first.amountMinor !== request.amountMinor || first.currency !== request.currency)
            throw new Error('sandbox: idempotency key reused with different parameters');
          return first.outcome;
        }
        const reference = `sbx_${randomUUID()}`;
        const outcome: ChargeOutcome =
          request.paymentMethodToken === SANDBOX_CARDS.declined
            ? { outcome: 'declined', reference, reason: 'The card was declined: insufficient funds.' }
            : { outcome: 'succeeded', reference, cardLast4: request.paymentMethodToken.slice(-4) };
        if (!Object.values(SANDBOX_CARDS).includes(request.paymentMethodToken as never))
          return { outcome: 'declined', reference, reason: 'The card was not accepted by the sandbox.' };
        try {
          await charges.create({
            _id: request.idempotencyKey,
            amountMinor: request.amountMinor,
            currency: request.currency,
            outcome,
            refundedMinor: 0,
            createdAt: new Date(),
          });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          return ((await charges.findById(request.idempotencyKey).lean<SandboxChargeDocument>()) as SandboxChargeDocument).outcome;
        }
        if (request.paymentMethodToken === SANDBOX_CARDS.lostAnswer) throw new OutcomeUnknown('sandbox: the answer was lost');
        return outcome;
      });
    },

    async refund(request: RefundRequest) {
      const reference = `sbx_re_${randomUUID()}`;
      await withDocumentLock(SANDBOX_CHARGES, request.chargeReference, () =>
        charges.updateOne({ 'outcome.reference': request.chargeReference }, { $inc: { refundedMinor: request.amountMinor } }).exec(),
      );
      return { reference };
    },
  };
}

/** How many times, and for how much, the sandbox charged under `idempotencyKey`: a test's view of "charged once". */
export async function sandboxChargesFor(connection: Connection, idempotencyKey: string) {
  return connection
    .collection(SANDBOX_CHARGES)
    .find({ _id: idempotencyKey as never })
    .toArray();
}
