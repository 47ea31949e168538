// The BillingService handlers, one group per audience: staff at work, and the patient's Billing pages.
import type { BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import type { ServiceHandlers } from '@portico/kit/grpc';
import type { BillingHandlerDeps } from './handler-deps.js';
import { patientHandlers } from './patient-handlers.js';
import { staffHandlers } from './staff-handlers.js';
import { superbillHandlers } from './superbill-handlers.js';

export type { BillingHandlerDeps };

export function billingHandlers(deps: BillingHandlerDeps): ServiceHandlers<(typeof BillingService)['method']> {
  return { ...staffHandlers(deps), ...patientHandlers(deps), ...superbillHandlers(deps) };
}
