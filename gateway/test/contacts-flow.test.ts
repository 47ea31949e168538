// Seed step 9 end to end: a patient with a real Keycloak token manages contacts through the
// gateway; the database holds what they see, and every change reaches Kafka as its event.
import { fromBinary } from '@bufbuild/protobuf';
import { ContactPurpose } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import {
  ContactAddedSchema,
  ContactInactivatedSchema,
  ContactReactivatedSchema,
  ContactUpdatedSchema,
} from '@portico/contracts/gen/portico/events/contacts/v1/contact_events_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import { ActorRole } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import { createUser, deleteUser, passwordGrant, recordTopics, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: RunningPlatform;
let patient: TestUser;
let token: string;
let topics: Awaited<ReturnType<typeof recordTopics>>;

beforeAll(async () => {
  platform = await startPlatform();
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  token = await passwordGrant(patient);
  topics = await recordTopics(['portico.contacts.v1', 'portico.audit.v1'], { fromNow: true });
});

afterAll(async () => {
  await topics?.stop();
  await platform?.stop();
  if (patient) await deleteUser(patient);
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${platform.gatewayUrl}/api/v1/patients/${patient.id}/contacts${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
  });

describe('contacts through the gateway', () => {
  it('adds, lists, edits, inactivates and reactivates a contact, stores it, and publishes each change', async () => {
    const added = await api('', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Maria Lopez',
        relationship: 'Mother',
        phone: '(415) 555-2671',
        phoneRegion: 'US',
        email: 'Maria.Lopez@example.org',
        address: { line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', countryCode: 'us' },
        purposes: ['emergency', 'release_of_information'],
        notes: 'Call after 5 pm',
      }),
    });
    expect(added.status).toBe(201);
    const { contact } = (await added.json()) as { contact: Record<string, unknown> & { id: string } };
    expect(added.headers.get('location')).toBe(`/api/v1/patients/${patient.id}/contacts/${contact.id}`);
    expect(contact).toMatchObject({
      name: 'Maria Lopez',
      phone: '+14155552671',
      email: 'maria.lopez@example.org',
      status: 'active',
      version: 1,
      purposes: ['emergency', 'release_of_information'],
    });
    expect(contact.address).toMatchObject({ countryCode: 'US', city: 'Springfield' });

    // What the patient sees is what the database holds.
    const stored = await platform
      .db('contacts')
      .collection('contacts')
      .findOne({ _id: contact.id as never });
    expect(stored).toMatchObject({
      patientId: patient.id,
      clinicId: 'clinic-a',
      status: 'active',
      version: 1,
      details: { name: 'Maria Lopez', phone: '+14155552671' },
    });

    const edited = await api(`/${contact.id}`, {
      method: 'PUT',
      headers: { 'if-match': '"1"' },
      body: JSON.stringify({ name: 'Maria Lopez', relationship: 'Mother', phone: '+44 20 7946 0958', purposes: ['emergency'] }),
    });
    expect(edited.status).toBe(200);
    expect((await edited.json()).contact).toMatchObject({ phone: '+442079460958', version: 2, purposes: ['emergency'], email: '' });

    // A stale version is refused and changes nothing.
    const stale = await api(`/${contact.id}`, {
      method: 'PUT',
      headers: { 'if-match': '"1"' },
      body: JSON.stringify({ name: 'Someone Else', purposes: ['other'] }),
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');

    const inactivated = await api(`/${contact.id}/inactivate`, { method: 'POST' });
    expect((await inactivated.json()).contact).toMatchObject({ status: 'inactive', version: 3 });
    // Inactivating twice is harmless: same state, no new version, no new event.
    expect((await (await api(`/${contact.id}/inactivate`, { method: 'POST' })).json()).contact).toMatchObject({
      status: 'inactive',
      version: 3,
    });

    const second = await api('', {
      method: 'POST',
      body: JSON.stringify({ name: 'Dr. Ahmed Khan', relationship: 'School counsellor', email: 'khan@example.org', purposes: ['other'] }),
    });
    expect(second.status).toBe(201);

    // The list shows active and inactive contacts, oldest first.
    const list = (await (await api('')).json()) as { contacts: { name: string; status: string }[] };
    expect(list.contacts.map((c) => [c.name, c.status])).toEqual([
      ['Maria Lopez', 'inactive'],
      ['Dr. Ahmed Khan', 'active'],
    ]);

    const reactivated = await api(`/${contact.id}/reactivate`, { method: 'POST' });
    expect((await reactivated.json()).contact).toMatchObject({ status: 'active', version: 4 });

    const one = await api(`/${contact.id}`);
    expect((await one.json()).contact).toMatchObject({ id: contact.id, status: 'active', version: 4 });

    // Every change reached Kafka through the outbox, once, keyed by patient, with CloudEvents headers.
    const records = await topics.waitFor((r) => r.filter((x) => x.topic === 'portico.contacts.v1' && x.key === patient.id).length >= 5);
    const mine = records.filter((r) => r.topic === 'portico.contacts.v1' && r.key === patient.id);
    expect(mine.map((r) => r.headers.ce_type)).toEqual([
      'portico.events.contacts.v1.ContactAdded',
      'portico.events.contacts.v1.ContactUpdated',
      'portico.events.contacts.v1.ContactInactivated',
      'portico.events.contacts.v1.ContactAdded',
      'portico.events.contacts.v1.ContactReactivated',
    ]);
    for (const record of mine) {
      expect(record.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_source: 'portico/contacts',
        'content-type': 'application/protobuf',
      });
      expect(record.headers.ce_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(record.headers.ce_time!).getTime()).toBeGreaterThan(Date.now() - 120_000);
      // No personal detail of the contact travels in an event.
      expect(record.value.toString('latin1')).not.toMatch(/Maria|Lopez|555|example\.org|Springfield/);
    }
    expect(new Set(mine.map((r) => r.headers.ce_id)).size).toBe(5);
    const addedEvent = fromBinary(ContactAddedSchema, mine[0]!.value);
    expect(addedEvent).toMatchObject({
      contactId: contact.id,
      patientId: patient.id,
      version: 1n,
      purposes: [ContactPurpose.EMERGENCY, ContactPurpose.RELEASE_OF_INFORMATION],
    });
    expect(addedEvent.actor).toMatchObject({ subject: patient.id, role: ActorRole.PATIENT, clinicId: 'clinic-a' });
    expect(fromBinary(ContactUpdatedSchema, mine[1]!.value)).toMatchObject({
      contactId: contact.id,
      version: 2n,
      changedFields: ['phone', 'email', 'address', 'purposes', 'notes'],
    });
    expect(fromBinary(ContactInactivatedSchema, mine[2]!.value)).toMatchObject({ contactId: contact.id, version: 3n });
    expect(fromBinary(ContactReactivatedSchema, mine[4]!.value)).toMatchObject({ contactId: contact.id, version: 4n });

    // Every read and change of the record is audited: who, for whom, what.
    const audits = await topics.waitFor((r) => r.filter((x) => x.topic === 'portico.audit.v1' && x.key === patient.id).length >= 7);
    const actions = audits
      .filter((r) => r.topic === 'portico.audit.v1' && r.key === patient.id)
      .map((r) => fromBinary(PatientRecordAccessedSchema, r.value));
    expect(actions.map((a) => a.action).sort()).toEqual(
      [
        'contacts.add',
        'contacts.add',
        'contacts.get',
        'contacts.inactivate',
        'contacts.list',
        'contacts.reactivate',
        'contacts.update',
      ].sort(),
    );
    expect(actions.every((a) => a.outcome === AccessOutcome.ALLOWED && a.actor?.subject === patient.id && a.requestId !== '')).toBe(true);

    // Once published, nothing is left waiting in the outbox, and no document is flagged as waiting.
    expect(
      await platform
        .db('contacts')
        .collection('contacts')
        .countDocuments({ 'outbox.0': { $exists: true } }),
    ).toBe(0);
    expect(await platform.db('contacts').collection('contacts').countDocuments({ outboxPending: true })).toBe(0);
  });

  it('returns the first contact again when an add is retried with the same idempotency key', async () => {
    const body = JSON.stringify({ name: 'Retry Person', phone: '+14155550100', purposes: ['emergency'] });
    const first = await api('', { method: 'POST', body, headers: { 'idempotency-key': 'add-retry-0001' } });
    const again = await api('', { method: 'POST', body, headers: { 'idempotency-key': 'add-retry-0001' } });
    const a = (await first.json()).contact;
    const b = (await again.json()).contact;
    expect(b.id).toBe(a.id);
    expect(await platform.db('contacts').collection('contacts').countDocuments({ 'details.name': 'Retry Person' })).toBe(1);
  });

  it('keeps concurrent edits of one contact consistent: each accepted edit has its version and its event, the rest get 409', async () => {
    const created = await api('', {
      method: 'POST',
      body: JSON.stringify({ name: 'Busy Person', email: 'busy@example.org', purposes: ['other'] }),
    });
    const { contact } = (await created.json()) as { contact: { id: string } };
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api(`/${contact.id}`, {
          method: 'PUT',
          body: JSON.stringify({ name: 'Busy Person', email: 'busy@example.org', notes: `edit ${i}`, purposes: ['other'] }),
        }).then((r) => r.status),
      ),
    );
    expect(outcomes.every((status) => status === 200 || status === 409)).toBe(true);
    const accepted = outcomes.filter((status) => status === 200).length;
    expect(accepted).toBeGreaterThan(0);

    const stored = await platform
      .db('contacts')
      .collection('contacts')
      .findOne({ _id: contact.id as never });
    expect(stored!.version).toBe(1 + accepted);
    await topics.waitFor(
      (r) => r.filter((x) => x.key === patient.id && x.headers.ce_type?.endsWith('ContactUpdated')).length >= 1 + accepted,
    );
    // Everything the topic holds now has been read: a duplicate would be among these records.
    const records = await topics.caughtUp();
    const updates = records
      .filter((x) => x.key === patient.id && x.headers.ce_type?.endsWith('ContactUpdated'))
      .map((x) => fromBinary(ContactUpdatedSchema, x.value));
    // One event per accepted edit of this contact, versions 2..n, none lost and none twice.
    expect(
      updates
        .filter((u) => u.contactId === contact.id)
        .map((u) => Number(u.version))
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: accepted }, (_, i) => i + 2));
    expect(
      await platform
        .db('contacts')
        .collection('contacts')
        .countDocuments({ 'outbox.0': { $exists: true } }),
    ).toBe(0);
  });
});
