// The processor the configuration names: Stripe in production, the sandbox locally and for the demo clinic.
import type { Connection } from '@portico/kit/mongo';
import type { BillingConfig } from '../config.js';
import type { PaymentProcessor } from './port.js';
import { sandboxProcessor } from './sandbox.js';
import { stripeProcessor } from './stripe.js';

export function processorOf(config: BillingConfig, connection: Connection): PaymentProcessor {
  if (config.PAYMENT_PROCESSOR === 'stripe')
    return stripeProcessor({
      apiUrl: config.STRIPE_API_URL,
      secretKey: config.STRIPE_SECRET_KEY,
      publishableKey: config.STRIPE_PUBLISHABLE_KEY,
      timeoutMs: config.PROCESSOR_TIMEOUT_MS,
    });
  return sandboxProcessor(connection);
}
