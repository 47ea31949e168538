// Clinic tenancy (issue 8): staff act for the patients of their own clinic only. A service learns
// which clinic a patient belongs to from its own patient directory, which asks the auth service
// about a patient it does not know yet; staff of another clinic, and a patient who does not exist,
// get 404 with nothing written and the refusal audited.
import { randomUUID } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import {
  createUser,
  deleteUser,
  passwordGrant,
  recordTopics,
  startPlatform,
  waitUntil,
  type RunningPlatform,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: RunningPlatform;
let topics: Awaited<ReturnType<typeof recordTopics>>;
const clinicX = `clinic-x-${randomUUID().slice(0, 8)}`;
const clinicY = `clinic-y-${randomUUID().slice(0, 8)}`;
const users: TestUser[] = [];
const tokens = { staffX: '', staffY: '', patient: '' };
let patient: TestUser;
let staffY: TestUser;

async function user(roles: string[], clinicId: string): Promise<TestUser> {
  const created = await createUser({ roles, clinicId });
  users.push(created);
  return created;
}

beforeAll(async () => {
  topics = await recordTopics(['portico.audit.v1'], { fromNow: true });
  platform = await startPlatform({ services: ['auth', 'contacts'] });
  // Invited after the services started: the contacts service has never heard of this patient.
  patient = await user(['patient'], clinicX);
  const staffX = await user(['staff'], clinicX);
  staffY = await user(['staff'], clinicY);
  [tokens.staffX, tokens.staffY, tokens.patient] = await Promise.all([staffX, staffY, patient].map((u) => passwordGrant(u)));
});

afterAll(async () => {
  await topics?.stop();
  await platform?.stop();
  await Promise.all(users.map((u) => deleteUser(u)));
});

const contactsOf = (patientId: string, token: string, init: RequestInit = {}) =>
  fetch(`${platform.gatewayUrl}/api/v1/patients/${patientId}/contacts`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });

const addContact = (patientId: string, token: string, name: string) =>
  contactsOf(patientId, token, { method: 'POST', body: JSON.stringify({ name, email: 'someone@example.org', purposes: ['other'] }) });

const listSeenByPatient = async () => ((await (await contactsOf(patient.id, tokens.patient)).json()) as { contacts: unknown[] }).contacts;
const storedFor = (patientId: string) => platform.db('contacts').collection('contacts').countDocuments({ patientId });

describe('staff and the clinic a patient belongs to', () => {
  it('lets staff of the patient’s clinic add a contact for a patient the service never heard of, known through the look-up', async () => {
    const added = await addContact(patient.id, tokens.staffX, 'Clinic X Friend');
    expect(added.status, await added.clone().text()).toBe(201);
    // The look-up's answer is kept in the service's own directory: ids and the clinic, no name.
    const entry = await platform
      .db('contacts')
      .collection('patient_directory')
      .findOne({ _id: patient.id as never });
    expect(entry).toMatchObject({ clinicId: clinicX, status: 'active' });
    expect(JSON.stringify(entry)).not.toContain(patient.username);
  });

  it('answers staff of another clinic 404, writes nothing, and the patient’s list stays as it was', async () => {
    const before = await listSeenByPatient();
    const storedBefore = await storedFor(patient.id);
    for (let attempt = 0; attempt < 2; attempt++) {
      // The first time the directory knows the patient from the look-up; either way it is refused.
      const response = await addContact(patient.id, tokens.staffY, 'Clinic Y Intruder');
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ type: '/problems/not-found' });
      const read = await contactsOf(patient.id, tokens.staffY);
      expect(read.status).toBe(404);
      expect(await read.text()).not.toContain('Clinic X Friend');
    }
    expect(await storedFor(patient.id)).toBe(storedBefore);
    expect(await listSeenByPatient()).toEqual(before);

    const refusals = await topics.waitFor(
      (records) =>
        records.filter((r) => r.key === patient.id && fromBinary(PatientRecordAccessedSchema, r.value).outcome === AccessOutcome.DENIED)
          .length >= 4,
    );
    const denied = refusals
      .filter((r) => r.key === patient.id)
      .map((r) => fromBinary(PatientRecordAccessedSchema, r.value))
      .filter((a) => a.outcome === AccessOutcome.DENIED);
    expect(denied.every((a) => a.actor?.subject === staffY.id)).toBe(true);
    expect(denied.map((a) => a.action)).toEqual(expect.arrayContaining(['contacts.add', 'contacts.list']));
  });

  it('answers 404 for a patient who does not exist, and keeps nothing of them', async () => {
    const nobody = randomUUID();
    const response = await addContact(nobody, tokens.staffX, 'Nobody’s Friend');
    expect(response.status).toBe(404);
    expect(await storedFor(nobody)).toBe(0);
    expect(
      await platform
        .db('contacts')
        .collection('patient_directory')
        .countDocuments({ _id: nobody as never }),
    ).toBe(0);
  });
});

describe('a patient the clinic invites after the service started', () => {
  it('is known to the service through the auth service’s event, before anyone asks for them', async () => {
    // The clinic's profile comes first: a welcome email needs the clinic's name and portal address.
    const profile = await fetch(`${platform.gatewayUrl}/api/v1/staff/organisation`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.staffX}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Clinic X', portalUrl: platform.gatewayUrl, timeZone: 'America/Chicago' }),
    });
    expect(profile.status, await profile.clone().text()).toBe(200);
    const email = `invited-${randomUUID().slice(0, 8)}@example.org`;
    const invited = await fetch(`${platform.gatewayUrl}/api/v1/staff/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.staffX}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, givenName: 'Maria', familyName: 'Lopez', kind: 'patient' }),
    });
    expect(invited.status, await invited.clone().text()).toBe(201);
    const { invitation } = (await invited.json()) as { invitation: { userId: string } };
    users.push({ id: invitation.userId, username: email, password: '' });

    // No call has named this patient to the contacts service: only the event can have told it.
    const entry = await waitUntil(
      () =>
        platform
          .db('contacts')
          .collection('patient_directory')
          .findOne({ _id: invitation.userId as never }),
      30_000,
      'the invited patient in the contacts service’s directory',
    );
    expect(entry).toMatchObject({ clinicId: clinicX, status: 'active' });
    expect(JSON.stringify(entry)).not.toMatch(/Maria|Lopez|invited-/);

    expect((await addContact(invitation.userId, tokens.staffY, 'Clinic Y Intruder')).status).toBe(404);
    expect((await addContact(invitation.userId, tokens.staffX, 'Clinic X Friend')).status).toBe(201);
    expect(await storedFor(invitation.userId)).toBe(1);
  });
});
