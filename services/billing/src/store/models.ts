// How invoices and payments are kept in the billing service's own database. An invoice carries
// its adjustments and a payment its refunds, so every entry of the ledger is written with its
// event (the outbox) in one single-document operation. Balances are never stored: see domain/ledger.
import { withOutbox, type OutboxEntry } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';
import { PAYMENT_METHODS, PAYMENT_STATUSES, type Adjustment, type Invoice, type Payment } from '../domain/ledger.js';

export type InvoiceDocument = Omit<Invoice, 'invoiceId'> & { _id: string; idempotencyKey: string; outbox: OutboxEntry[] };
export type PaymentDocument = Omit<Payment, 'paymentId'> & { _id: string; outbox: OutboxEntry[] };

const allocation = new mongoose.Schema(
  { invoiceId: { type: String, required: true }, amountMinor: { type: Number, required: true } },
  { _id: false },
);

const adjustment = new mongoose.Schema<Adjustment>(
  {
    adjustmentId: { type: String, required: true },
    amountMinor: { type: Number, required: true },
    reason: { type: String, default: '' },
    at: { type: Date, required: true },
    idempotencyKey: { type: String, required: true },
  },
  { _id: false },
);

const line = new mongoose.Schema(
  {
    dateOfService: { type: String, required: true },
    procedureCode: { type: String, required: true },
    modifiers: { type: [String], default: [] },
    description: { type: String, required: true },
    units: { type: Number, required: true },
    unitPriceMinor: { type: Number, required: true },
    amountMinor: { type: Number, required: true },
    renderingProviderNpi: { type: String, default: '' },
    estimateId: { type: String, default: '' },
  },
  { _id: false },
);

const invoiceSchema = new mongoose.Schema<InvoiceDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    clinicName: { type: String, default: '' },
    timeZone: { type: String, required: true },
    number: { type: String, required: true },
    currency: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    dueOn: { type: String, required: true },
    lines: { type: [line], required: true },
    totalMinor: { type: Number, required: true },
    adjustments: { type: [adjustment], default: [] },
    idempotencyKey: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'invoices', versionKey: false },
);
invoiceSchema.plugin(withOutbox);
invoiceSchema.index({ patientId: 1, issuedAt: -1 });
invoiceSchema.index({ patientId: 1, idempotencyKey: 1 }, { unique: true });

const refund = new mongoose.Schema(
  {
    refundId: { type: String, required: true },
    amountMinor: { type: Number, required: true },
    reason: { type: String, default: '' },
    at: { type: Date, required: true },
    idempotencyKey: { type: String, required: true },
    allocations: { type: [allocation], default: [] },
    processorReference: { type: String, default: '' },
  },
  { _id: false },
);

const paymentSchema = new mongoose.Schema<PaymentDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    receiptNumber: { type: String, required: true },
    method: { type: String, enum: PAYMENT_METHODS, required: true },
    status: { type: String, enum: PAYMENT_STATUSES, required: true },
    amountMinor: { type: Number, required: true },
    currency: { type: String, required: true },
    allocations: { type: [allocation], default: [] },
    refunds: { type: [refund], default: [] },
    receivedAt: { type: Date, required: true },
    failureReason: { type: String, default: '' },
    reference: { type: String, default: '' },
    processorReference: { type: String, default: '' },
    paymentMethodToken: { type: String, default: '' },
    idempotencyKey: { type: String, required: true },
    requestFingerprint: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'payments', versionKey: false },
);
paymentSchema.plugin(withOutbox);
paymentSchema.index({ patientId: 1, receivedAt: -1 });
paymentSchema.index({ clinicId: 1, receivedAt: -1 });
paymentSchema.index({ status: 1, updatedAt: 1 });
paymentSchema.index({ patientId: 1, idempotencyKey: 1 }, { unique: true });

export const INVOICES_COLLECTION = 'invoices';
export const PAYMENTS_COLLECTION = 'payments';

export const invoiceModel = (connection: Connection) =>
  connection.models.Invoice ?? connection.model<InvoiceDocument>('Invoice', invoiceSchema);
export const paymentModel = (connection: Connection) =>
  connection.models.Payment ?? connection.model<PaymentDocument>('Payment', paymentSchema);
