// Guardian↔patient links against the real servers: an invited guardian's token names the patients
// they may act for; staff link another patient and unlink one, and the `patients` claim follows
// at the next login, while the guardian's other Keycloak attributes stay as they were. Patients
// and guardians read the names of the patients their token lets them act for.
import { randomUUID } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { UserKind } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import { ActorRole } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import {
  GuardianLinkedSchema,
  GuardianUnlinkedSchema,
  UserInvitedSchema,
} from '@portico/contracts/gen/portico/events/auth/v1/auth_events_pb';
import {
  clearRequiredActions,
  createUser,
  deleteKeycloakUser,
  deleteUser,
  keycloakUser,
  passwordGrant,
  recordTopics,
  tokenClaim,
  waitForEmails,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, credentialsIn, failure, startAuth, violationsOf, type RunningAuth } from './auth-service.js';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let auth: RunningAuth;
let staff: TestUser;
let staffToken: string;
let alice: TestUser;
let bob: TestUser;
let elsewhere: TestUser;
let guardianId: string | undefined;

beforeAll(async () => {
  auth = await startAuth();
  [staff, alice, bob, elsewhere] = await Promise.all([
    createUser({ roles: ['staff'], clinicId }),
    createUser({ roles: ['patient'], clinicId }),
    createUser({ roles: ['patient'], clinicId }),
    createUser({ roles: ['patient'], clinicId: `${clinicId}-other` }),
  ]);
  staffToken = await passwordGrant(staff);
  await auth.client.updateOrganisation(
    { profile: { name: 'Riverside Family Clinic', portalUrl: 'https://portal.riverside.example/', timeZone: 'America/Chicago' } },
    as(staffToken),
  );
});

afterAll(async () => {
  await auth?.stop();
  if (guardianId) await deleteKeycloakUser(guardianId);
  await Promise.all([staff, alice, bob, elsewhere].filter(Boolean).map((u) => deleteUser(u!)));
});

describe('a guardian', () => {
  it('is invited for a patient, and staff link and unlink patients; the token claim follows', async () => {
    const reader = await recordTopics(['portico.auth.v1']);
    try {
      const email = `guardian-${randomUUID().slice(0, 8)}@example.org`;
      const { invitation } = await auth.client.inviteUser(
        { email, givenName: 'Gloria', familyName: 'Guardian', kind: UserKind.GUARDIAN, patientIds: [alice.id] },
        as(staffToken),
      );
      guardianId = invitation!.userId;
      expect((await keycloakUser(guardianId))!.attributes?.patients).toEqual([alice.id]);
      const [message] = await waitForEmails(email);
      const guardian = { id: guardianId, ...credentialsIn(message!.Text) };
      await clearRequiredActions(guardianId);
      const claim = async () => tokenClaim(await passwordGrant(guardian), 'patients');
      expect(await claim()).toEqual([alice.id]);

      const linked = await auth.client.linkGuardian({ guardianId, patientId: bob.id }, as(staffToken));
      expect(linked.patientIds).toEqual([alice.id, bob.id]);
      expect(linked.changed).toBe(true);
      expect(await claim()).toEqual(expect.arrayContaining([alice.id, bob.id]));
      // A retry changes nothing, says so, and publishes nothing more.
      const again = await auth.client.linkGuardian({ guardianId, patientId: bob.id }, as(staffToken));
      expect(again.patientIds).toEqual([alice.id, bob.id]);
      expect(again.changed).toBe(false);

      const unlinked = await auth.client.unlinkGuardian({ guardianId, patientId: alice.id }, as(staffToken));
      expect(unlinked.patientIds).toEqual([bob.id]);
      expect(unlinked.changed).toBe(true);
      expect(await claim()).toEqual([bob.id]);
      // Keycloak's PUT replaced the attributes: the clinic must still be there.
      expect((await keycloakUser(guardianId))!.attributes?.clinic_id).toEqual([clinicId]);

      const records = await reader.waitFor((r) => r.some((x) => x.headers.ce_type?.endsWith('GuardianUnlinked') && x.key === alice.id));
      const invited = records.find((x) => x.key === guardianId && x.headers.ce_type?.endsWith('UserInvited'))!;
      expect(fromBinary(UserInvitedSchema, invited.value)).toMatchObject({ kind: UserKind.GUARDIAN, patientIds: [alice.id] });
      const links = records.filter((x) => x.headers.ce_type?.endsWith('GuardianLinked') && x.key === bob.id);
      expect(links.map((x) => fromBinary(GuardianLinkedSchema, x.value))).toEqual([
        expect.objectContaining({ guardianId, patientId: bob.id, clinicId }),
      ]);
      const unlink = records.find((x) => x.headers.ce_type?.endsWith('GuardianUnlinked') && x.key === alice.id)!;
      expect(fromBinary(GuardianUnlinkedSchema, unlink.value)).toMatchObject({
        guardianId,
        patientId: alice.id,
        actor: { subject: staff.id },
      });

      // Patients of another clinic, and people who are not patients, cannot be linked.
      expect((await failure(auth.client.linkGuardian({ guardianId, patientId: elsewhere.id }, as(staffToken)))).code).toBe(
        status.NOT_FOUND,
      );
      expect((await failure(auth.client.linkGuardian({ guardianId, patientId: staff.id }, as(staffToken)))).code).toBe(status.NOT_FOUND);
      const bad = await failure(auth.client.linkGuardian({ guardianId: 'guardian', patientId: bob.id }, as(staffToken)));
      expect(violationsOf(bad)).toEqual([{ field: 'guardian_id', message: 'must be a UUID' }]);
      // Only staff link.
      const patientToken = await passwordGrant(bob);
      expect((await failure(auth.client.linkGuardian({ guardianId, patientId: bob.id }, as(patientToken)))).code).toBe(
        status.PERMISSION_DENIED,
      );
      expect(await claim()).toEqual([bob.id]);
    } finally {
      await reader.stop();
    }
  });

  it('cannot be invited for someone who is not a patient of the clinic', async () => {
    const email = `guardian-${randomUUID().slice(0, 8)}@example.org`;
    const error = await failure(
      auth.client.inviteUser(
        { email, givenName: 'Gus', familyName: 'Guardian', kind: UserKind.GUARDIAN, patientIds: [elsewhere.id] },
        as(staffToken),
      ),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error)).toEqual([{ field: 'patient_ids', message: 'names someone who is not a patient of this clinic' }]);
    expect(await auth.db.collection('invitations').countDocuments({ email })).toBe(0);
  });
});

describe('the patients a caller may act for', () => {
  const named = (user: TestUser) => ({ patientId: user.id, givenName: 'Test', familyName: user.username });

  it('are named for a guardian and a patient, leaving out a patient of another clinic', async () => {
    const guardian = await createUser({ roles: ['guardian'], patients: [alice.id, bob.id, elsewhere.id], clinicId });
    const reader = await recordTopics(['portico.audit.v1'], { fromNow: true });
    try {
      const guardianToken = await passwordGrant(guardian);
      expect(tokenClaim(guardianToken, 'patients')).toEqual(expect.arrayContaining([alice.id, bob.id, elsewhere.id]));
      const { patients } = await auth.client.listMyPatients({}, as(guardianToken));
      expect(patients).toHaveLength(2);
      expect(patients).toEqual(expect.arrayContaining([named(alice), named(bob)].map((p) => expect.objectContaining(p))));

      const own = await auth.client.listMyPatients({}, as(await passwordGrant(alice)));
      expect(own.patients).toEqual([expect.objectContaining(named(alice))]);
      // A patient of another clinic is named within their own clinic.
      const theirs = await auth.client.listMyPatients({}, as(await passwordGrant(elsewhere)));
      expect(theirs.patients).toEqual([expect.objectContaining(named(elsewhere))]);
      expect((await auth.client.listMyPatients({}, as(staffToken))).patients).toEqual([]);
      expect((await failure(auth.client.listMyPatients({}, as('not-a-token')))).code).toBe(status.UNAUTHENTICATED);

      // Each name read is audited as the guardian's read; the patient left out as a refusal.
      const byGuardian = (records: { topic: string; value: Buffer }[]) =>
        records.map((x) => fromBinary(PatientRecordAccessedSchema, x.value)).filter((e) => e.actor?.subject === guardian.id);
      const records = await reader.waitFor((r) => byGuardian(r).length >= 3);
      expect(byGuardian(records)).toEqual(
        expect.arrayContaining(
          [
            [alice.id, AccessOutcome.ALLOWED],
            [bob.id, AccessOutcome.ALLOWED],
            [elsewhere.id, AccessOutcome.DENIED],
          ].map(([patientId, outcome]) =>
            expect.objectContaining({
              patientId,
              outcome,
              action: 'patients.list_mine',
              actor: expect.objectContaining({ role: ActorRole.GUARDIAN }),
            }),
          ),
        ),
      );
    } finally {
      await reader.stop();
      await deleteUser(guardian);
    }
  });
});
