// What every group of BillingService handlers works with.
import type { Clock } from '@portico/kit/domain';
import type { Checkout } from '../payments/checkout.js';
import type { PaymentProcessor } from '../processor/port.js';
import type { LedgerLock } from '../store/ledger-lock.js';
import type { InvoiceRepository, PaymentRepository } from '../store/repositories.js';
import type { SuperbillRepository } from '../store/superbill-store.js';
import type { ClinicDirectory } from './clinic.js';
import type { EstimateLinks } from './estimate-handlers.js';
import type { PrimaryMemberId } from './coverage.js';

export interface BillingHandlerDeps {
  invoices: InvoiceRepository;
  payments: PaymentRepository;
  superbills: SuperbillRepository;
  /** One change of a patient's ledger at a time, across replicas. */
  ledgerLock: LedgerLock;
  checkout: Checkout;
  processor: PaymentProcessor;
  clinics: ClinicDirectory;
  /** The member id of the patient's primary coverage, for superbills ('' when none). */
  primaryMemberId: PrimaryMemberId;
  currency: string;
  clock: Clock;
  /** Good Faith Estimates an invoice's lines may name (their $400 rule). */
  estimateLinks?: EstimateLinks;
}

export const INVOICE = 'invoice';
export const BILLING = 'billing';
