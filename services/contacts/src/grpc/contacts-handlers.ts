// The ContactsService handlers: check who is asking and for whom, translate, apply the domain
// rules, store the change with its events, and audit every read and change.
import { randomUUID } from 'node:crypto';
import type { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { auditEvent } from '@portico/kit/audit';
import { InvalidInput, NotFound, requireUuid, StaleVersion } from '@portico/kit/domain';
import type { OutboxEntry } from '@portico/kit/eventing';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { auditRead, authorisePatient, patientScope, type Caller, type RequestContext } from '@portico/kit/requests';
import { changedFields, validateContact, type Contact, type ContactStatus } from '../domain/contact.js';
import { contactAdded, contactInactivated, contactReactivated, contactUpdated } from '../events/contact-events.js';
import type { ContactRepository } from '../store/contact-repository.js';
import { contactMessage, submissionOf } from './contact-messages.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
const CONTACT = 'contact';

export function contactsHandlers({ repository }: { repository: ContactRepository }): ServiceHandlers<(typeof ContactsService)['method']> {
  const authorise = (ctx: RequestContext, patientId: string, action: string) =>
    authorisePatient(ctx, patientId, { action, resourceType: CONTACT });

  async function loadContact(caller: Caller, contactId: string): Promise<Contact> {
    const contact = await repository.find(patientScope(caller), requireUuid(contactId, 'contact_id'));
    if (!contact) throw new NotFound('contact not found');
    return contact;
  }

  /** Applies a change to a stored contact, with optimistic concurrency, and publishes its events. */
  async function change(
    caller: Caller,
    contactId: string,
    action: string,
    expectedVersion: bigint,
    next: (current: Contact) => { contact: Contact; events: OutboxEntry[] } | undefined,
  ) {
    const current = await loadContact(caller, contactId);
    if (expectedVersion !== 0n && BigInt(current.version) !== expectedVersion) throw new StaleVersion(CONTACT);
    const proposed = next(current);
    if (!proposed) return { contact: contactMessage(current) };
    const audit = auditEvent(caller, { action, resourceType: CONTACT, resourceId: current.contactId });
    return { contact: contactMessage(await repository.replace(current, proposed.contact, [...proposed.events, audit])) };
  }

  function withStatus(caller: Caller, target: ContactStatus, event: (caller: Caller, contact: Contact) => OutboxEntry) {
    return (current: Contact) => {
      // Already in that state: nothing changes and no event is published (a retry is harmless).
      if (current.status === target) return undefined;
      const contact: Contact = { ...current, status: target, version: current.version + 1, updatedAt: new Date() };
      return { contact, events: [event(caller, contact)] };
    };
  }

  return {
    async listContacts(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'contacts.list');
      const contacts = await repository.list(patientScope(caller));
      await auditRead(ctx, caller, { action: 'contacts.list', resourceType: CONTACT });
      return { contacts: contacts.map(contactMessage) };
    },

    async getContact(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'contacts.get');
      const contact = await loadContact(caller, request.contactId);
      await auditRead(ctx, caller, { action: 'contacts.get', resourceType: CONTACT, resourceId: contact.contactId });
      return { contact: contactMessage(contact) };
    },

    async addContact(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'contacts.add');
      if (request.idempotencyKey && !IDEMPOTENCY_KEY.test(request.idempotencyKey))
        throw new InvalidInput('request', [{ field: 'idempotency_key', message: 'must be 8 to 128 letters, digits or _.:-' }]);
      const details = validateContact(submissionOf(request.details));
      const now = new Date();
      const contact: Contact = {
        contactId: randomUUID(),
        patientId: caller.patientId,
        clinicId: caller.principal.clinicId ?? '',
        details,
        status: 'active',
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const events = [
        contactAdded(caller, contact),
        auditEvent(caller, { action: 'contacts.add', resourceType: CONTACT, resourceId: contact.contactId }),
      ];
      const result = await repository.add(contact, request.idempotencyKey || contact.contactId, events);
      return { contact: contactMessage(result.contact) };
    },

    async updateContact(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'contacts.update');
      const details = validateContact(submissionOf(request.details));
      return change(caller, request.contactId, 'contacts.update', request.expectedVersion, (current) => {
        const changed = changedFields(current.details, details);
        if (changed.length === 0) return undefined;
        const contact: Contact = { ...current, details, version: current.version + 1, updatedAt: new Date() };
        return { contact, events: [contactUpdated(caller, contact, changed)] };
      });
    },

    async inactivateContact(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'contacts.inactivate');
      return change(caller, request.contactId, 'contacts.inactivate', 0n, withStatus(caller, 'inactive', contactInactivated));
    },

    async reactivateContact(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'contacts.reactivate');
      return change(caller, request.contactId, 'contacts.reactivate', 0n, withStatus(caller, 'active', contactReactivated));
    },
  };
}
