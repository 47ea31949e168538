// Reads and writes contacts. Every write changes one document and appends its events in the same
// atomic operation; concurrent writers are told apart by the version number.
import type { OutboxEntry } from '@portico/kit/eventing';
import { VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { Contact } from '../domain/contact.js';
import { contactModel, type ContactDocument } from './contact-model.js';

/** Restricts a query to one clinic when staff ask (patients and guardians are limited by patient id). */
type Scope = { patientId: string; clinicId?: string };
const filterOf = (scope: Scope) => ({ patientId: scope.patientId, ...(scope.clinicId !== undefined ? { clinicId: scope.clinicId } : {}) });

export class ContactRepository extends VersionedRepository<Contact, ContactDocument> {
  constructor(store: Store) {
    super(store, contactModel(store.connection) as Model<ContactDocument>, 'contact');
  }

  override async init(): Promise<this> {
    await super.init();
    await this.replaceWithdrawnCountryCodes('details.address.countryCode');
    return this;
  }

  protected idOf(contact: Contact): string {
    return contact.contactId;
  }

  protected toEntity({ _id, patientId, clinicId, details, status, createdAt, updatedAt, version }: ContactDocument): Contact {
    return { contactId: _id, patientId, clinicId, details, status, createdAt, updatedAt, version };
  }

  protected fieldsOf({ contactId: _id, ...fields }: Contact) {
    return fields;
  }

  list(scope: Scope): Promise<Contact[]> {
    return this.findMany(filterOf(scope), { sort: { createdAt: 1, _id: 1 } });
  }

  find(scope: Scope, contactId: string): Promise<Contact | undefined> {
    return this.findOne({ ...filterOf(scope), _id: contactId });
  }

  /** Inserts the contact with its events; a repeated idempotency key returns the first contact instead. */
  async add(contact: Contact, idempotencyKey: string, events: OutboxEntry[]): Promise<{ contact: Contact; created: boolean }> {
    if (await this.tryInsert(contact, events, { idempotencyKey })) return { contact, created: true };
    const first = await this.findOne({ patientId: contact.patientId, idempotencyKey });
    if (!first) throw new Error('a contact with this id exists already');
    return { contact: first, created: false };
  }

  /** Writes a change made to `current` (of the same patient) if nobody changed it since it was read. */
  override replace(current: Contact, next: Contact, events: OutboxEntry[]): Promise<Contact> {
    return super.replace(current, next, events, { patientId: current.patientId });
  }
}
