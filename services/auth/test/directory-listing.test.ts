// The listing every service's new patient directory is filled from: every clinic's patients with
// their clinic, whether their account is active, and their guardians — ids only — asked with a
// service's own client-credentials token, page by page. People are refused, and the refusal is on
// the audit topic.
import { randomUUID } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import { serviceTokenSource, tokenEndpointOf } from '@portico/kit/identity';
import { adminAccessToken, createUser, deleteUser, env, passwordGrant, recordTopics, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, failure, startAuth, type RunningAuth } from './auth-service.js';
import { applyRealmAdditions } from './realm-additions.js';

const clinicA = `clinic-${randomUUID().slice(0, 8)}`;
const clinicB = `clinic-${randomUUID().slice(0, 8)}`;
let auth: RunningAuth;
let staff: TestUser;
let patientA: TestUser;
let patientB: TestUser;
let guardian: TestUser;
let serviceToken: string;
const users: TestUser[] = [];

async function disable(user: TestUser) {
  const url = `${env.keycloakUrl}/admin/realms/${env.realm}/users/${user.id}`;
  const headers = { authorization: `Bearer ${await adminAccessToken()}`, 'content-type': 'application/json' };
  const representation = (await (await fetch(url, { headers })).json()) as Record<string, unknown>;
  const response = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ ...representation, enabled: false }) });
  if (!response.ok) throw new Error(`disable: HTTP ${response.status}`);
}

/** Every page of the listing, following the tokens, as a service reads it. */
async function wholeListing(pageSize: number) {
  const patients = [];
  let pageToken = '';
  let pages = 0;
  do {
    const answer = await auth.client.listDirectoryPatients({ page: { pageSize, pageToken } }, as(serviceToken));
    patients.push(...answer.patients);
    pageToken = answer.page?.nextPageToken ?? '';
    pages++;
  } while (pageToken);
  return { patients, pages };
}

beforeAll(async () => {
  await applyRealmAdditions();
  auth = await startAuth();
  [staff, patientA, patientB] = await Promise.all([
    createUser({ roles: ['staff'], clinicId: clinicA }),
    createUser({ roles: ['patient'], clinicId: clinicA }),
    createUser({ roles: ['patient'], clinicId: clinicB }),
  ]);
  guardian = await createUser({ roles: ['guardian'], clinicId: clinicA, patients: [patientA.id] });
  users.push(staff, patientA, patientB, guardian);
  await disable(patientB);
  serviceToken = await serviceTokenSource({
    tokenUrl: tokenEndpointOf(env.issuer),
    clientId: 'portico-contacts',
    clientSecret: 'portico-contacts-dev-secret',
  }).token();
});

afterAll(async () => {
  await auth?.stop();
  await Promise.all(users.map(deleteUser));
});

describe('the patient directory listing', () => {
  it('gives a service every clinic’s patients with clinic, state and guardians, over as many pages as it takes', async () => {
    const { patients, pages } = await wholeListing(5);
    expect(pages).toBeGreaterThan(1);
    expect(patients.find((p) => p.patientId === patientA.id)).toMatchObject({
      clinicId: clinicA,
      active: true,
      guardianIds: [guardian.id],
    });
    expect(patients.find((p) => p.patientId === patientB.id)).toMatchObject({ clinicId: clinicB, active: false, guardianIds: [] });
    // Patients only, each once: no staff, no guardians.
    const ids = patients.map((p) => p.patientId);
    expect(ids).not.toContain(staff.id);
    expect(ids).not.toContain(guardian.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is refused to staff and patients, and the refusal is audited', async () => {
    const reader = await recordTopics(['portico.audit.v1'], { fromNow: true });
    try {
      for (const person of [staff, patientA]) {
        const error = await failure(auth.client.listDirectoryPatients({}, as(await passwordGrant(person))));
        expect(error.code).toBe(status.PERMISSION_DENIED);
      }
      const refusals = (records: { value: Buffer }[]) =>
        records
          .map((r) => fromBinary(PatientRecordAccessedSchema, r.value))
          .filter((e) => e.action === 'directory_patients.list' && e.outcome === AccessOutcome.DENIED);
      const records = await reader.waitFor(
        (r) => refusals(r).some((e) => e.actor?.subject === staff.id) && refusals(r).some((e) => e.actor?.subject === patientA.id),
      );
      expect(refusals(records).length).toBeGreaterThanOrEqual(2);
    } finally {
      await reader.stop();
    }
  });
});
