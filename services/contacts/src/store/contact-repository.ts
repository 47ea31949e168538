// Reads and writes contacts. Every write changes one document and appends its events in the same
// atomic operation; concurrent writers are told apart by the version number.
import type { OutboxEntry } from '@portico/kit/eventing';
import { withDocumentLock, type Connection } from '@portico/kit/mongo';
import type { Model } from 'mongoose';
import type { Contact } from '../domain/contact.js';
import { contactModel, type ContactDocument } from './contact-model.js';

export class ContactVersionConflict extends Error {
  constructor() {
    super('the contact was changed by someone else');
    this.name = 'ContactVersionConflict';
  }
}

function toContact(document: ContactDocument): Contact {
  const { _id, patientId, clinicId, details, status, createdAt, updatedAt, version } = document;
  return { contactId: _id, patientId, clinicId, details, status, createdAt, updatedAt, version };
}

/** Restricts a query to one clinic when staff ask (patients and guardians are limited by patient id). */
type Scope = { patientId: string; clinicId?: string };
const filterOf = (scope: Scope) => ({ patientId: scope.patientId, ...(scope.clinicId !== undefined ? { clinicId: scope.clinicId } : {}) });

export class ContactRepository {
  private readonly contacts: Model<ContactDocument>;

  constructor(connection: Connection) {
    this.contacts = contactModel(connection) as Model<ContactDocument>;
  }

  async init(): Promise<void> {
    await this.contacts.createIndexes();
  }

  async list(scope: Scope): Promise<Contact[]> {
    const documents = await this.contacts.find(filterOf(scope), { outbox: 0 }).sort({ createdAt: 1, _id: 1 }).lean<ContactDocument[]>();
    return documents.map(toContact);
  }

  async find(scope: Scope, contactId: string): Promise<Contact | undefined> {
    const document = await this.contacts.findOne({ ...filterOf(scope), _id: contactId }, { outbox: 0 }).lean<ContactDocument>();
    return document ? toContact(document) : undefined;
  }

  /** Inserts the contact with its events; a repeated idempotency key returns the first contact instead. */
  async add(contact: Contact, idempotencyKey: string, events: OutboxEntry[]): Promise<{ contact: Contact; created: boolean }> {
    try {
      await this.contacts.create({ ...contact, _id: contact.contactId, idempotencyKey, outbox: events });
      return { contact, created: true };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const first = await this.contacts.findOne({ patientId: contact.patientId, idempotencyKey }, { outbox: 0 }).lean<ContactDocument>();
      if (!first) throw error;
      return { contact: toContact(first), created: false };
    }
  }

  /** Writes a change made to `current` if nobody changed it since it was read. */
  async replace(current: Contact, next: Contact, events: OutboxEntry[]): Promise<Contact> {
    const document = await withDocumentLock(this.contacts.collection.collectionName, current.contactId, () =>
      this.contacts
        .findOneAndUpdate(
          { _id: current.contactId, patientId: current.patientId, version: current.version },
          {
            $set: { details: next.details, status: next.status, version: next.version, updatedAt: next.updatedAt },
            $push: { outbox: { $each: events } },
          },
          // No projection: FerretDB's findAndModify does not support one.
          { returnDocument: 'after' },
        )
        .lean<ContactDocument>()
        .exec(),
    );
    if (!document) throw new ContactVersionConflict();
    return toContact(document);
  }
}
