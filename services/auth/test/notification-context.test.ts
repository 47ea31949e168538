// Whom the notifications service emails about a patient, asked with its own client-credentials
// token: the clinic as its emails present it (name, phone, portal, time zone, logo) and the patient
// and their guardians. People are refused, and the refusal is on the audit topic; a service token
// never passes for a person, even one whose account also holds people's roles and a clinic.
import { randomUUID } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { UserKind } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import { ActorRole } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import { serviceTokenSource, tokenEndpointOf } from '@portico/kit/identity';
import { adminAccessToken, createUser, deleteUser, env, passwordGrant, recordTopics, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, failure, startAuth, violationsOf, type RunningAuth } from './auth-service.js';
import { applyRealmAdditions } from './realm-additions.js';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
const logo = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>');
let auth: RunningAuth;
let staff: TestUser;
let patient: TestUser;
let guardian: TestUser;
let otherClinicGuardian: TestUser;
let serviceToken: string;
const users: TestUser[] = [];

const admin = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${env.keycloakUrl}/admin/realms/${env.realm}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${await adminAccessToken()}`, 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.status === 200 ? ((await response.json()) as unknown) : undefined;
};

beforeAll(async () => {
  await applyRealmAdditions();
  auth = await startAuth();
  [staff, patient] = await Promise.all([createUser({ roles: ['staff'], clinicId }), createUser({ roles: ['patient'], clinicId })]);
  [guardian, otherClinicGuardian] = await Promise.all([
    createUser({ roles: ['guardian'], clinicId, patients: [patient.id] }),
    createUser({ roles: ['guardian'], clinicId: `${clinicId}-other`, patients: [patient.id] }),
  ]);
  users.push(staff, patient, guardian, otherClinicGuardian);
  const staffToken = await passwordGrant(staff);
  await auth.client.updateOrganisation(
    {
      profile: {
        name: 'Riverside Family Clinic',
        phone: '+13125550100',
        email: 'front-desk@riverside.example',
        portalUrl: 'https://portal.riverside.example/',
        timeZone: 'America/Chicago',
      },
    },
    as(staffToken),
  );
  await auth.client.uploadLogo({ content: logo, contentType: 'image/svg+xml' }, as(staffToken));
  serviceToken = await serviceTokenSource({
    tokenUrl: tokenEndpointOf(env.issuer),
    clientId: 'portico-notifications',
    clientSecret: 'portico-notifications-dev-secret',
  }).token();
});

afterAll(async () => {
  await auth?.stop();
  await Promise.all(users.map(deleteUser));
});

describe('the notification context', () => {
  it('gives the notifications service the clinic and the patient and guardians to email', async () => {
    const { clinic, recipients } = await auth.client.getNotificationContext({ patientId: patient.id }, as(serviceToken));
    expect(clinic).toMatchObject({
      clinicId,
      name: 'Riverside Family Clinic',
      phone: '+13125550100',
      email: 'front-desk@riverside.example',
      portalUrl: 'https://portal.riverside.example/',
      timeZone: 'America/Chicago',
      logoContentType: 'image/svg+xml',
    });
    expect(Buffer.from(clinic!.logo).equals(logo)).toBe(true);
    // The patient first, then their guardians of the same clinic only.
    expect(recipients).toEqual([
      expect.objectContaining({
        userId: patient.id,
        kind: UserKind.PATIENT,
        givenName: 'Test',
        familyName: patient.username,
        email: `${patient.username}@example.org`,
        active: true,
      }),
      expect.objectContaining({ userId: guardian.id, kind: UserKind.GUARDIAN, email: `${guardian.username}@example.org`, active: true }),
    ]);
  });

  it('says when a guardian’s account is disabled', async () => {
    const representation = (await admin(`/users/${guardian.id}`)) as Record<string, unknown>;
    await admin(`/users/${guardian.id}`, { method: 'PUT', body: JSON.stringify({ ...representation, enabled: false }) });
    try {
      const { recipients } = await auth.client.getNotificationContext({ patientId: patient.id }, as(serviceToken));
      expect(recipients.find((r) => r.userId === guardian.id)?.active).toBe(false);
    } finally {
      await admin(`/users/${guardian.id}`, { method: 'PUT', body: JSON.stringify({ ...representation, enabled: true }) });
    }
  });

  it('is NOT_FOUND for no such patient, and for someone who is not a patient', async () => {
    for (const patientId of [randomUUID(), staff.id, guardian.id])
      expect((await failure(auth.client.getNotificationContext({ patientId }, as(serviceToken)))).code).toBe(status.NOT_FOUND);
    const bad = await failure(auth.client.getNotificationContext({ patientId: 'someone' }, as(serviceToken)));
    expect(violationsOf(bad)).toEqual([{ field: 'patient_id', message: 'must be a UUID' }]);
  });

  it('is refused to staff and patients, and the refusal is audited', async () => {
    const reader = await recordTopics(['portico.audit.v1'], { fromNow: true });
    try {
      for (const person of [staff, patient]) {
        const error = await failure(auth.client.getNotificationContext({ patientId: patient.id }, as(await passwordGrant(person))));
        expect(error.code).toBe(status.PERMISSION_DENIED);
      }
      const refusals = (records: { value: Buffer }[]) =>
        records
          .map((r) => fromBinary(PatientRecordAccessedSchema, r.value))
          .filter((e) => e.action === 'notification_context.get' && e.outcome === AccessOutcome.DENIED && e.patientId === patient.id);
      // The service's own reads are in the patient's trail too, as the service's.
      await auth.client.getNotificationContext({ patientId: patient.id }, as(serviceToken));
      const serviceReads = (records: { value: Buffer }[]) =>
        records
          .map((r) => fromBinary(PatientRecordAccessedSchema, r.value))
          .filter((e) => e.patientId === patient.id && e.outcome === AccessOutcome.ALLOWED && e.actor?.role === ActorRole.SERVICE);
      const records = await reader.waitFor((r) => refusals(r).length >= 2 && serviceReads(r).length >= 1);
      expect(refusals(records).map((e) => e.actor?.subject)).toEqual(expect.arrayContaining([staff.id, patient.id]));
    } finally {
      await reader.stop();
    }
  });
});

describe('a service token', () => {
  it('never acts as staff, even when its account also holds the staff and patient roles and a clinic', async () => {
    // A mis-configured service account: Portico's roles besides `service`, and a clinic.
    const clientId = `test-service-${randomUUID().slice(0, 8)}`;
    const secret = randomUUID();
    await admin('/clients', {
      method: 'POST',
      body: JSON.stringify({
        clientId,
        secret,
        enabled: true,
        publicClient: false,
        serviceAccountsEnabled: true,
        standardFlowEnabled: false,
      }),
    });
    const [client] = (await admin(`/clients?clientId=${clientId}`)) as { id: string }[];
    try {
      const account = (await admin(`/clients/${client!.id}/service-account-user`)) as Record<string, unknown> & { id: string };
      await admin(`/users/${account.id}`, { method: 'PUT', body: JSON.stringify({ ...account, attributes: { clinic_id: [clinicId] } }) });
      const roles = await Promise.all(['service', 'staff', 'patient'].map((name) => admin(`/roles/${name}`)));
      await admin(`/users/${account.id}/role-mappings/realm`, { method: 'POST', body: JSON.stringify(roles) });
      const token = await serviceTokenSource({ tokenUrl: tokenEndpointOf(env.issuer), clientId, clientSecret: secret }).token();

      // It is still a service: the context answers…
      expect((await auth.client.getNotificationContext({ patientId: patient.id }, as(token))).clinic?.clinicId).toBe(clinicId);
      // …but nothing staff or a patient may do.
      for (const call of [
        () => auth.client.listUsers({}, as(token)),
        () => auth.client.getStaffMember({ userId: staff.id }, as(token)),
        () => auth.client.lookUpPatient({ patientId: patient.id }, as(token)),
        () => auth.client.listPatients({}, as(token)),
        () => auth.client.getPatient({ patientId: patient.id }, as(token)),
      ])
        expect((await failure(call())).code).toBe(status.PERMISSION_DENIED);
      expect((await auth.client.listMyPatients({}, as(token))).patients).toEqual([]);
    } finally {
      await admin(`/clients/${client!.id}`, { method: 'DELETE' });
    }
  });
});
