// The ContactsService handlers: check who is asking and for whom, translate, apply the domain
// rules, store the change with its events, and audit every read and change.
import { randomUUID } from 'node:crypto';
import { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { auditEvent, type AuditedAction } from '@portico/kit/audit';
import type { OutboxEntry } from '@portico/kit/eventing';
import { GrpcError, invalidArgument, status, type CallContext, type ServiceHandlers } from '@portico/kit/grpc';
import { authorisePatientAccess, type Caller, type TokenVerifier } from '@portico/kit/identity';
import { changedFields, InvalidContactError, validateContact, type Contact, type ContactStatus } from '../domain/contact.js';
import { contactAdded, contactInactivated, contactReactivated, contactUpdated } from '../events/contact-events.js';
import { ContactVersionConflict, type ContactRepository } from '../store/contact-repository.js';
import { contactMessage, submissionOf } from './contact-messages.js';

export interface ContactsHandlerDeps {
  repository: ContactRepository;
  verify: TokenVerifier;
  /** Queues events that report no change of their own (audit of reads and refusals). */
  recordEvents(events: OutboxEntry[]): Promise<void>;
  /** Tells the relay there is something new to publish. */
  nudgeRelay(): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

function requireId(value: string, field: string): string {
  if (!UUID.test(value)) throw new GrpcError(status.INVALID_ARGUMENT, `${field} must be a UUID`);
  return value.toLowerCase();
}

const CONTACT = 'contact';

export function contactsHandlers(deps: ContactsHandlerDeps): ServiceHandlers<(typeof ContactsService)['method']> {
  const { repository } = deps;

  async function authorise(patientId: string, ctx: CallContext, action: string): Promise<Caller> {
    const id = requireId(patientId, 'patient_id');
    return authorisePatientAccess(deps.verify, ctx.metadata, id, {
      onDenied: (denied) => deps.recordEvents([auditEvent(denied, { action, resourceType: CONTACT, denied: true })]),
    });
  }

  /** Staff see only their own clinic's records; patients and guardians are bounded by patient id. */
  const scopeOf = (caller: Caller) => ({
    patientId: caller.patientId,
    ...(caller.actingAs === 'staff' ? { clinicId: caller.principal.clinicId ?? '' } : {}),
  });

  async function loadContact(caller: Caller, contactId: string): Promise<Contact> {
    const contact = await repository.find(scopeOf(caller), requireId(contactId, 'contact_id'));
    if (!contact) throw new GrpcError(status.NOT_FOUND, 'contact not found');
    return contact;
  }

  async function auditRead(caller: Caller, what: AuditedAction): Promise<void> {
    await deps.recordEvents([auditEvent(caller, what)]);
    deps.nudgeRelay();
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
    if (expectedVersion !== 0n && BigInt(current.version) !== expectedVersion)
      throw new GrpcError(status.FAILED_PRECONDITION, 'the contact was changed since it was read');
    const proposed = next(current);
    if (!proposed) return { contact: contactMessage(current) };
    const audit = auditEvent(caller, { action, resourceType: CONTACT, resourceId: current.contactId });
    try {
      const saved = await repository.replace(current, proposed.contact, [...proposed.events, audit]);
      deps.nudgeRelay();
      return { contact: contactMessage(saved) };
    } catch (error) {
      if (error instanceof ContactVersionConflict)
        throw new GrpcError(status.ABORTED, 'the contact was changed at the same time; read it again');
      throw error;
    }
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
      const caller = await authorise(request.patientId, ctx, 'contacts.list');
      const contacts = await repository.list(scopeOf(caller));
      await auditRead(caller, { action: 'contacts.list', resourceType: CONTACT });
      return { contacts: contacts.map(contactMessage) };
    },

    async getContact(request, ctx) {
      const caller = await authorise(request.patientId, ctx, 'contacts.get');
      const contact = await loadContact(caller, request.contactId);
      await auditRead(caller, { action: 'contacts.get', resourceType: CONTACT, resourceId: contact.contactId });
      return { contact: contactMessage(contact) };
    },

    async addContact(request, ctx) {
      const caller = await authorise(request.patientId, ctx, 'contacts.add');
      if (request.idempotencyKey && !IDEMPOTENCY_KEY.test(request.idempotencyKey))
        throw new GrpcError(status.INVALID_ARGUMENT, 'idempotency_key must be 8 to 128 letters, digits or _.:-');
      let details;
      try {
        details = validateContact(submissionOf(request.details));
      } catch (error) {
        if (error instanceof InvalidContactError) throw invalidArgument('contact', error.violations);
        throw error;
      }
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
      if (result.created) deps.nudgeRelay();
      return { contact: contactMessage(result.contact) };
    },

    async updateContact(request, ctx) {
      const caller = await authorise(request.patientId, ctx, 'contacts.update');
      let details;
      try {
        details = validateContact(submissionOf(request.details));
      } catch (error) {
        if (error instanceof InvalidContactError) throw invalidArgument('contact', error.violations);
        throw error;
      }
      return change(caller, request.contactId, 'contacts.update', request.expectedVersion, (current) => {
        const changed = changedFields(current.details, details);
        if (changed.length === 0) return undefined;
        const contact: Contact = { ...current, details, version: current.version + 1, updatedAt: new Date() };
        return { contact, events: [contactUpdated(caller, contact, changed)] };
      });
    },

    async inactivateContact(request, ctx) {
      const caller = await authorise(request.patientId, ctx, 'contacts.inactivate');
      return change(caller, request.contactId, 'contacts.inactivate', 0n, withStatus(caller, 'inactive', contactInactivated));
    },

    async reactivateContact(request, ctx) {
      const caller = await authorise(request.patientId, ctx, 'contacts.reactivate');
      return change(caller, request.contactId, 'contacts.reactivate', 0n, withStatus(caller, 'active', contactReactivated));
    },
  };
}
