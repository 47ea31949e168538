// Translation between the wire (protobuf) and the domain, in both directions.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ContactSchema,
  ContactStatus as ContactStatusProto,
  type Contact as ContactMessage,
  type ContactDetails as ContactDetailsMessage,
} from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { CONTACT_PURPOSES, type Contact, type ContactPurpose, type ContactSubmission } from '../domain/contact.js';
import { PURPOSE_TO_PROTO } from '../events/contact-events.js';

const PROTO_TO_PURPOSE = new Map(CONTACT_PURPOSES.map((p) => [PURPOSE_TO_PROTO[p], p]));

export function submissionOf(details: ContactDetailsMessage | undefined): ContactSubmission {
  const address = details?.address;
  return {
    name: details?.name ?? '',
    relationship: details?.relationship ?? '',
    phone: details?.phone ?? '',
    phoneRegion: details?.phoneRegion ?? '',
    email: details?.email ?? '',
    address: address
      ? {
          line1: address.line1,
          line2: address.line2,
          city: address.city,
          region: address.region,
          postalCode: address.postalCode,
          countryCode: address.countryCode,
        }
      : undefined,
    // An unknown enum value becomes an invalid purpose the domain rejects by name.
    purposes: (details?.purposes ?? []).map((p) => PROTO_TO_PURPOSE.get(p) ?? (`unknown(${p})` as ContactPurpose)),
    notes: details?.notes ?? '',
  };
}

export function contactMessage(contact: Contact): ContactMessage {
  const { details } = contact;
  return create(ContactSchema, {
    contactId: contact.contactId,
    patientId: contact.patientId,
    details: { ...details, purposes: details.purposes.map((p) => PURPOSE_TO_PROTO[p]), address: details.address },
    status: contact.status === 'active' ? ContactStatusProto.ACTIVE : ContactStatusProto.INACTIVE,
    createdAt: timestampFromDate(contact.createdAt),
    updatedAt: timestampFromDate(contact.updatedAt),
    version: BigInt(contact.version),
  });
}
