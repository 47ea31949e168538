// Everything the billing service reads from its environment, validated once at start.
import { serviceEnv, z } from '@portico/kit/config';
import { patientDirectoryEnv } from '@portico/kit/patients';

export const billingEnv = serviceEnv
  .extend({
    ...patientDirectoryEnv,
    MONGO_DB: z.string().min(1).default('portico_billing'),
    KAFKA_CLIENT_ID: z.string().min(1).default('portico-billing'),
    /** ISO 4217 currency the clinic bills in. */
    BILLING_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .default('USD'),
    /** The insurance service, for the member id a superbill prints; empty: staff type it. */
    INSURANCE_GRPC_URL: z.string().default(''),
    /** `sandbox` on a developer's machine and for the demo clinic; `stripe` for real payments. */
    PAYMENT_PROCESSOR: z.enum(['sandbox', 'stripe']).default('sandbox'),
    STRIPE_API_URL: z.url().default('https://api.stripe.com'),
    STRIPE_SECRET_KEY: z.string().default(''),
    STRIPE_PUBLISHABLE_KEY: z.string().default(''),
    /** How long the processor may take before the outcome of a payment counts as unknown. */
    PROCESSOR_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(20_000),
    /** How long a payment of unknown outcome waits before it is reconciled with the processor. */
    RECONCILE_AFTER_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
    /** How often payment plans are looked at for instalments whose date has come (they are charged on that date). */
    /** How often ended months are looked for, to issue each patient's statement (and its email) once. */
    STATEMENT_ISSUER_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
    INSTALMENT_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  })
  .refine((env) => env.PAYMENT_PROCESSOR !== 'stripe' || (env.STRIPE_SECRET_KEY !== '' && env.STRIPE_PUBLISHABLE_KEY !== ''), {
    message: 'STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY are required when PAYMENT_PROCESSOR is stripe',
    path: ['STRIPE_SECRET_KEY'],
  });

export type BillingConfig = z.infer<typeof billingEnv>;
