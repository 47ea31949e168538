// The job that turns payment plans' instalments into charges on their dates, on every replica:
// each round is safe to run anywhere at once (see plans/payment-plans), so no leader is needed.
import { exponentialBackoff, periodicJob } from '@portico/kit/jobs';
import type { Logger } from 'pino';
import type { PaymentPlans } from './payment-plans.js';

export const instalmentScheduler = (plans: PaymentPlans, intervalMs: number, logger: Logger) =>
  periodicJob({
    name: 'instalment scheduler',
    intervalMs,
    logger,
    run: () => plans.chargeDueInstalments(),
    backoffMs: exponentialBackoff(intervalMs, 10 * intervalMs),
  });
