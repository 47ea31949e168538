// Whom an appointment is with: staff read a staff member of their own clinic by id, with the name
// patients should see; anyone else's id answers NOT_FOUND, and only staff may ask.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { createUser, deleteUser, passwordGrant, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, failure, startAuth, violationsOf, type RunningAuth } from './auth-service.js';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let auth: RunningAuth;
let staff: TestUser;
let colleague: TestUser;
let patient: TestUser;
let otherClinicStaff: TestUser;
/** Fetched once: every password grant is a login Keycloak's brute-force detection watches. */
let staffToken: string;
let patientToken: string;

beforeAll(async () => {
  auth = await startAuth();
  [staff, colleague, patient, otherClinicStaff] = await Promise.all([
    createUser({ roles: ['staff'], clinicId }),
    createUser({ roles: ['staff'], clinicId }),
    createUser({ roles: ['patient'], clinicId }),
    createUser({ roles: ['staff'], clinicId: `${clinicId}-other` }),
  ]);
  [staffToken, patientToken] = await Promise.all([passwordGrant(staff), passwordGrant(patient)]);
});

afterAll(async () => {
  await auth?.stop();
  await Promise.all([staff, colleague, patient, otherClinicStaff].filter(Boolean).map((u) => deleteUser(u!)));
});

describe('a staff member', () => {
  it('of the caller’s clinic is found with the name patients see', async () => {
    const { staffMember } = await auth.client.getStaffMember({ userId: colleague.id }, as(staffToken));
    expect(staffMember).toMatchObject({
      userId: colleague.id,
      displayName: `Test ${colleague.username}`,
      email: `${colleague.username}@example.org`,
    });
  });

  it('is not found when the id is a patient’s, another clinic’s staff member’s, or no one’s', async () => {
    for (const userId of [patient.id, otherClinicStaff.id, randomUUID()])
      expect((await failure(auth.client.getStaffMember({ userId }, as(staffToken)))).code).toBe(status.NOT_FOUND);
    const bad = await failure(auth.client.getStaffMember({ userId: 'dr-who' }, as(staffToken)));
    expect(violationsOf(bad)).toEqual([{ field: 'user_id', message: 'must be a UUID' }]);
  });

  it('is not told to a patient', async () => {
    const error = await failure(auth.client.getStaffMember({ userId: staff.id }, as(patientToken)));
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });
});
