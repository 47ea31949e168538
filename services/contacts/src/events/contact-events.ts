// The facts the contacts service publishes on `portico.contacts.v1`, keyed by patient id. They
// carry ids, purposes and the names of changed fields, never a contact's personal details.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ContactPurposeSchema, type ContactPurpose as ContactPurposeProto } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import {
  ContactAddedSchema,
  ContactInactivatedSchema,
  ContactReactivatedSchema,
  ContactUpdatedSchema,
} from '@portico/contracts/gen/portico/events/contacts/v1/contact_events_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Caller } from '@portico/kit/identity';
import { enumMapping } from '@portico/kit/vocabulary';
import { CONTACT_PURPOSES, type Contact, type ContactPurpose } from '../domain/contact.js';

export const CONTACTS_TOPIC = 'portico.contacts.v1';

export const purposes = enumMapping<ContactPurpose, ContactPurposeProto>(ContactPurposeSchema, CONTACT_PURPOSES);

function common(caller: Caller, contact: Contact) {
  return {
    contactId: contact.contactId,
    patientId: contact.patientId,
    actor: actorOf(caller.principal, caller.actingAs),
    occurredAt: timestampFromDate(contact.updatedAt),
    version: BigInt(contact.version),
  };
}

const target = (contact: Contact) => ({ topic: CONTACTS_TOPIC, key: contact.patientId, occurredAt: contact.updatedAt });

export function contactAdded(caller: Caller, contact: Contact): OutboxEntry {
  const event = create(ContactAddedSchema, {
    ...common(caller, contact),
    purposes: contact.details.purposes.map(purposes.toProto),
  });
  return outboxEvent(ContactAddedSchema, event, target(contact));
}

export function contactUpdated(caller: Caller, contact: Contact, changedFields: string[]): OutboxEntry {
  const event = create(ContactUpdatedSchema, {
    ...common(caller, contact),
    changedFields,
    purposes: contact.details.purposes.map(purposes.toProto),
  });
  return outboxEvent(ContactUpdatedSchema, event, target(contact));
}

export function contactInactivated(caller: Caller, contact: Contact): OutboxEntry {
  return outboxEvent(ContactInactivatedSchema, create(ContactInactivatedSchema, common(caller, contact)), target(contact));
}

export function contactReactivated(caller: Caller, contact: Contact): OutboxEntry {
  return outboxEvent(ContactReactivatedSchema, create(ContactReactivatedSchema, common(caller, contact)), target(contact));
}
