// Reads and writes of invoices and payments. Each write is one document with its events; the
// version number keeps two writers from both winning. What needs the whole ledger of a patient to
// decide (a payment must not exceed the balance) is made one step per patient by the ledger lock.
import type { OutboxEntry } from '@portico/kit/eventing';
import type { Page } from '@portico/kit/paging';
import { VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { Invoice, Payment } from '../domain/ledger.js';
import { invoiceModel, paymentModel, type InvoiceDocument, type PaymentDocument } from './models.js';

/** Staff are also bounded by their clinic; patients and guardians by the patient id. */
type Scope = { patientId: string; clinicId?: string };
const filterOf = (scope: Scope) => ({ patientId: scope.patientId, ...(scope.clinicId !== undefined ? { clinicId: scope.clinicId } : {}) });

/** More entries than any patient's ledger holds; a ledger is always read whole. */
const WHOLE_LEDGER = 100_000;
/** A patient's invoices, newest first (the same instant: by id, so every read agrees). */
const NEWEST_FIRST = { issuedAt: -1, _id: -1 } as const;

type Stored<D> = D & { outboxPending?: boolean };

export class InvoiceRepository extends VersionedRepository<Invoice, InvoiceDocument> {
  constructor(store: Store) {
    super(store, invoiceModel(store.connection) as Model<InvoiceDocument>, 'invoice');
  }
  protected idOf(invoice: Invoice) {
    return invoice.invoiceId;
  }
  protected toEntity(document: InvoiceDocument): Invoice {
    const { _id, idempotencyKey: _key, outbox: _outbox, outboxPending: _pending, ...fields } = document as Stored<InvoiceDocument>;
    return { invoiceId: _id, ...fields };
  }
  protected fieldsOf({ invoiceId: _id, ...fields }: Invoice) {
    return fields;
  }

  find(scope: Scope, invoiceId: string) {
    return this.findOne({ ...filterOf(scope), _id: invoiceId });
  }
  findByKey(patientId: string, idempotencyKey: string) {
    return this.findOne({ patientId, idempotencyKey });
  }
  /** Every invoice of the patient (within the scope), newest first. */
  ofPatient(scope: Scope): Promise<Invoice[]> {
    return this.findMany(filterOf(scope), { sort: NEWEST_FIRST, limit: WHOLE_LEDGER });
  }
  /** The patient's newest invoice: the clinic and zone they are billed in now. */
  async latestOf(patientId: string): Promise<Invoice | undefined> {
    return (await this.findMany({ patientId }, { sort: NEWEST_FIRST, limit: 1 }))[0];
  }
  /** Every patient with an invoice (the statement issuer's round). */
  patientIds(): Promise<string[]> {
    return this.model.distinct('patientId').exec() as Promise<string[]>;
  }
  /** The new invoice with its events; false when the key was used already (a retry). */
  insert(invoice: Invoice, idempotencyKey: string, events: OutboxEntry[]) {
    return this.tryInsert(invoice, events, { idempotencyKey });
  }
  override replace(current: Invoice, next: Invoice, events: OutboxEntry[]) {
    return super.replace(current, next, events, { patientId: current.patientId });
  }
}

export class PaymentRepository extends VersionedRepository<Payment, PaymentDocument> {
  constructor(store: Store) {
    super(store, paymentModel(store.connection) as Model<PaymentDocument>, 'payment');
  }
  protected idOf(payment: Payment) {
    return payment.paymentId;
  }
  protected toEntity(document: PaymentDocument): Payment {
    const { _id, outbox: _outbox, outboxPending: _pending, ...fields } = document as Stored<PaymentDocument>;
    return { paymentId: _id, ...fields };
  }
  protected fieldsOf({ paymentId: _id, ...fields }: Payment) {
    return fields;
  }

  find(scope: Scope, paymentId: string) {
    return this.findOne({ ...filterOf(scope), _id: paymentId });
  }
  findByKey(patientId: string, idempotencyKey: string) {
    return this.findOne({ patientId, idempotencyKey });
  }
  ofPatient(scope: Scope): Promise<Payment[]> {
    return this.findMany(filterOf(scope), { sort: { receivedAt: -1, _id: -1 }, limit: WHOLE_LEDGER });
  }
  listOfPatient(scope: Scope, page: Page): Promise<Payment[]> {
    return this.findMany(filterOf(scope), { sort: { receivedAt: -1, _id: -1 }, offset: page.offset, limit: page.limit });
  }
  ofClinic(clinicId: string, page: Page): Promise<Payment[]> {
    return this.findMany({ clinicId }, { sort: { receivedAt: -1, _id: -1 }, offset: page.offset, limit: page.limit });
  }
  /** Payments sent to the processor whose outcome is still unknown, last touched at or before `before`. */
  pendingSince(before: Date, limit: number): Promise<Payment[]> {
    return this.findMany({ status: 'pending', updatedAt: { $lte: before } }, { sort: { updatedAt: 1 }, limit });
  }
  insert(payment: Payment, events: OutboxEntry[]) {
    return this.tryInsert(payment, events);
  }
  override replace(current: Payment, next: Payment, events: OutboxEntry[]) {
    return super.replace(current, next, events, { patientId: current.patientId });
  }
}
