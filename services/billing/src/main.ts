// The billing service: invoices, payments, adjustments and refunds on a per-patient ledger, Make a
// Payment through the configured payment processor, receipts, and Good Faith Estimates (their own
// EstimatesService), behind gRPC, publishing its facts to Kafka.
import { BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { EstimatesService } from '@portico/contracts/gen/portico/billing/v1/estimates_pb';
import { registration } from '@portico/kit/grpc';
import { exponentialBackoff, periodicJob } from '@portico/kit/jobs';
import { isMainModule } from '@portico/kit/lifecycle';
import { patientDirectoryOf } from '@portico/kit/patients';
import { defineService, startService, type StartOptions } from '@portico/kit/runtime';
import { billingEnv, type BillingConfig } from './config.js';
import { billingHandlers } from './grpc/billing-handlers.js';
import { authClinicDirectory } from './grpc/clinic.js';
import { insurancePrimaryMemberId } from './grpc/coverage.js';
import { estimateHandlers } from './grpc/estimate-handlers.js';
import { checkout } from './payments/checkout.js';
import { processorOf } from './processor/choose.js';
import { ledgerLockOf } from './store/ledger-lock.js';
import { INVOICES_COLLECTION, PAYMENTS_COLLECTION } from './store/models.js';
import { InvoiceRepository, PaymentRepository } from './store/repositories.js';
import { ESTIMATES_COLLECTION, EstimateRepository } from './store/estimate-store.js';
import { SUPERBILLS_COLLECTION, SuperbillRepository } from './store/superbill-store.js';

/** How often payments of unknown outcome are looked for. */
const RECONCILE_EVERY_MS = 30_000;

export const startBillingService = (config: BillingConfig, options: StartOptions = {}) =>
  startService(
    { name: 'billing', config, options, outbox: [INVOICES_COLLECTION, PAYMENTS_COLLECTION, SUPERBILLS_COLLECTION, ESTIMATES_COLLECTION] },
    async (platform) => {
      const invoices = await new InvoiceRepository(platform.store).init();
      const payments = await new PaymentRepository(platform.store).init();
      const superbills = await new SuperbillRepository(platform.store).init();
      const processor = processorOf(config, platform.connection);
      // Longer than the slowest payment: the processor's timeout and the writes around it.
      const ledgerLock = ledgerLockOf(platform.connection, config.PROCESSOR_TIMEOUT_MS + 10_000);
      const payer = checkout({
        invoices,
        payments,
        ledgerLock,
        processor,
        currency: config.BILLING_CURRENCY,
        clock: platform.clock,
        logger: platform.logger,
        reconcileAfterMs: config.RECONCILE_AFTER_MS,
      });
      const reconciliation = periodicJob({
        name: 'payment reconciliation',
        intervalMs: RECONCILE_EVERY_MS,
        run: () => payer.reconcile(),
        logger: platform.logger,
        backoffMs: exponentialBackoff(RECONCILE_EVERY_MS, 10 * RECONCILE_EVERY_MS),
      });
      const clinics = authClinicDirectory(config.AUTH_GRPC_URL, platform.lifecycle);
      const estimates = estimateHandlers({
        estimates: await new EstimateRepository(platform.store).init(),
        invoices,
        ledgerLock,
        clinics,
        currency: config.BILLING_CURRENCY,
        clock: platform.clock,
      });
      const handlers = billingHandlers({
        invoices,
        payments,
        superbills,
        ledgerLock,
        checkout: payer,
        processor,
        clinics,
        primaryMemberId: insurancePrimaryMemberId(config.INSURANCE_GRPC_URL, platform.lifecycle),
        currency: config.BILLING_CURRENCY,
        clock: platform.clock,
        estimateLinks: estimates.links,
      });
      return {
        grpc: [registration(BillingService, handlers), registration(EstimatesService, estimates.handlers)],
        jobs: [reconciliation],
        patients: patientDirectoryOf(platform),
        exports: { invoices, payments, checkout: payer },
      };
    },
  );

export const billingService = defineService({ name: 'billing', config: billingEnv, start: startBillingService });

if (isMainModule(import.meta.url)) await billingService.main();
