// Translation between the wire (protobuf) and the domain, in both directions.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ContactSchema,
  ContactStatusSchema,
  type Contact as ContactMessage,
  type ContactDetails as ContactDetailsMessage,
  type ContactStatus as ContactStatusProto,
} from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { addressOf, enumMapping } from '@portico/kit/vocabulary';
import type { Contact, ContactPurpose, ContactStatus, ContactSubmission } from '../domain/contact.js';
import { purposes } from '../events/contact-events.js';

const statuses = enumMapping<ContactStatus, ContactStatusProto>(ContactStatusSchema, ['active', 'inactive']);

export function submissionOf(details: ContactDetailsMessage | undefined): ContactSubmission {
  return {
    name: details?.name ?? '',
    relationship: details?.relationship ?? '',
    phone: details?.phone ?? '',
    phoneRegion: details?.phoneRegion ?? '',
    email: details?.email ?? '',
    address: addressOf(details?.address),
    // An unknown enum value becomes an invalid purpose the domain rejects by name.
    purposes: (details?.purposes ?? []).map((p) => purposes.fromProto(p) ?? (`unknown(${p})` as ContactPurpose)),
    notes: details?.notes ?? '',
  };
}

export function contactMessage(contact: Contact): ContactMessage {
  const { details } = contact;
  return create(ContactSchema, {
    contactId: contact.contactId,
    patientId: contact.patientId,
    details: { ...details, purposes: details.purposes.map(purposes.toProto), address: details.address },
    status: statuses.toProto(contact.status),
    createdAt: timestampFromDate(contact.createdAt),
    updatedAt: timestampFromDate(contact.updatedAt),
    version: BigInt(contact.version),
  });
}
