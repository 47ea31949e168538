// Seed step 1 against the real servers: staff invite a patient, who gets a Keycloak account that
// forces a password change and a welcome email with the clinic's logo, the inviter's name, the
// portal link and the credentials. The temporary password is nowhere else: not in the database,
// not in Kafka, not in the logs. Resend, revoke, expiry and acceptance do what staff expect.
import { randomUUID } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { InvitationStatus, UserKind } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import {
  InvitationAcceptedSchema,
  InvitationExpiredSchema,
  InvitationRevokedSchema,
  UserInvitedSchema,
} from '@portico/contracts/gen/portico/events/auth/v1/auth_events_pb';
import {
  clearRequiredActions,
  createUser,
  credentialsOf,
  deleteKeycloakUser,
  deleteUser,
  emailPart,
  keycloakUser,
  passwordGrant,
  realmRolesOf,
  recordTopics,
  waitForEmails,
  waitUntil,
  type TestUser,
  type TopicRecord,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, credentialsIn, databaseText, failure, startAuth, type RunningAuth } from './auth-service.js';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a tiny logo')]);
let auth: RunningAuth;
let staff: TestUser;
let staffToken: string;
let topics: Awaited<ReturnType<typeof recordTopics>>;
const invitedUsers: string[] = [];

const inviteEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.org`;

async function invitePatient(email: string, givenName = 'Maria') {
  const response = await auth.client.inviteUser({ email, givenName, familyName: 'Lopez', kind: UserKind.PATIENT }, as(staffToken));
  invitedUsers.push(response.invitation!.userId);
  return response;
}

const eventsOf = (records: TopicRecord[], type: string, key: string) => records.filter((r) => r.key === key && r.headers.ce_type === type);

beforeAll(async () => {
  auth = await startAuth();
  topics = await recordTopics(['portico.auth.v1', 'portico.audit.v1'], { fromNow: true });
  staff = await createUser({ roles: ['staff'], clinicId });
  staffToken = await passwordGrant(staff);
  await auth.client.updateOrganisation(
    { profile: { name: 'Riverside Family Clinic', portalUrl: 'https://portal.riverside.example/', timeZone: 'America/New_York' } },
    as(staffToken),
  );
  await auth.client.uploadLogo({ content: PNG, contentType: 'image/png' }, as(staffToken));
});

afterAll(async () => {
  await topics?.stop();
  await auth?.stop();
  await Promise.all(invitedUsers.map((id) => deleteKeycloakUser(id)));
  if (staff) await deleteUser(staff);
});

describe('inviting a patient', () => {
  it('creates the Keycloak user with role, clinic and a temporary password that must be changed at first login', async () => {
    const email = inviteEmail('maria');
    const { invitation, welcomeEmailSent } = await invitePatient(email);
    expect(welcomeEmailSent).toBe(true);
    expect(invitation).toMatchObject({ email, kind: UserKind.PATIENT, status: InvitationStatus.PENDING });
    expect(invitation!.invitedBy).toMatchObject({ subject: staff.id, displayName: `Test ${staff.username}` });
    const sevenDays = 7 * 24 * 3600;
    expect(Number(invitation!.expiresAt!.seconds - invitation!.createdAt!.seconds)).toBe(sevenDays);

    const user = (await keycloakUser(invitation!.userId))!;
    expect(user).toMatchObject({ username: email, email, firstName: 'Maria', lastName: 'Lopez', enabled: true });
    expect(user.attributes?.clinic_id).toEqual([clinicId]);
    expect(user.requiredActions).toEqual(['UPDATE_PASSWORD']);
    expect(await realmRolesOf(user.id)).toContain('patient');
    expect((await credentialsOf(user.id)).map((c) => c.type)).toEqual(['password']);

    // The welcome email (seed step 1), in HTML and plain text.
    const [message] = await waitForEmails(email);
    expect(message!.To).toEqual([{ Name: 'Maria Lopez', Address: email }]);
    expect(message!.From.Name).toBe('Riverside Family Clinic');
    expect(message!.Subject).toBe("Welcome to Riverside Family Clinic's patient portal");
    const { username, password } = credentialsIn(message!.Text);
    expect(username).toBe(email);
    expect(password.length).toBeGreaterThanOrEqual(16);
    for (const part of [message!.Text, message!.HTML]) {
      expect(part).toContain('Hello Maria,');
      expect(part).toContain(`Test ${staff.username} invited you to Riverside Family Clinic's patient portal.`);
      expect(part).toContain('https://portal.riverside.example/');
      expect(part).toContain(email);
      expect(part).toContain(password);
    }
    const [logo] = message!.Inline;
    expect(logo).toMatchObject({ ContentType: 'image/png', ContentID: 'clinic-logo@portico' });
    expect(message!.HTML).toContain('src="cid:clinic-logo@portico"');
    expect(await emailPart(message!.ID, logo!.PartID)).toEqual(PNG);

    // The password is right, and Keycloak insists it be changed before the account is usable.
    await expect(passwordGrant({ id: user.id, username, password })).rejects.toThrow(/Account is not fully set up/);

    // UserInvited and the audit record reached Kafka, keyed by the patient, with ids only.
    const records = await topics.waitFor((r) => eventsOf(r, 'portico.events.auth.v1.UserInvited', user.id).length > 0);
    const invited = fromBinary(UserInvitedSchema, eventsOf(records, 'portico.events.auth.v1.UserInvited', user.id)[0]!.value);
    expect(invited).toMatchObject({ invitationId: invitation!.invitationId, userId: user.id, clinicId, kind: UserKind.PATIENT });
    expect(invited.actor).toMatchObject({ subject: staff.id, clinicId });
    const audits = await topics.waitFor((r) =>
      r.some(
        (x) => x.topic === 'portico.audit.v1' && fromBinary(PatientRecordAccessedSchema, x.value).resourceId === invitation!.invitationId,
      ),
    );
    const audit = audits.find(
      (x) => x.topic === 'portico.audit.v1' && fromBinary(PatientRecordAccessedSchema, x.value).resourceId === invitation!.invitationId,
    )!;
    expect(fromBinary(PatientRecordAccessedSchema, audit.value)).toMatchObject({
      action: 'invitations.invite',
      patientId: user.id,
      outcome: AccessOutcome.ALLOWED,
    });

    // The temporary password is nowhere but in Keycloak and the email.
    await waitUntil(
      async () => ((await auth.db.collection('invitations').countDocuments({ 'outbox.0': { $exists: true } })) === 0 ? true : undefined),
      20_000,
      'outbox drained',
    );
    const everything = [await databaseText(auth.db), ...topics.records.map((r) => r.value.toString('latin1') + JSON.stringify(r.headers))];
    for (const text of everything) expect(text).not.toContain(password);
    expect(auth.logs.length).toBeGreaterThan(0);
    expect(auth.logs.join('')).not.toContain(password);
    // Nor the email address or the name in an event.
    for (const record of topics.records) expect(record.value.toString('latin1')).not.toContain(email);
  });

  it('answers ALREADY_EXISTS for an email with a pending invitation, and creates no second user', async () => {
    const email = inviteEmail('twice');
    await invitePatient(email);
    const error = await failure(invitePatient(email));
    expect(error.code).toBe(status.ALREADY_EXISTS);
    expect(await auth.db.collection('invitations').countDocuments({ email })).toBe(1);
  });

  it('refuses a patient or guardian calling a staff method with PERMISSION_DENIED, and writes nothing', async () => {
    const patient = await createUser({ roles: ['patient'], clinicId });
    try {
      const email = inviteEmail('sneaky');
      const error = await failure(
        auth.client.inviteUser(
          { email, givenName: 'Sneaky', familyName: 'Person', kind: UserKind.PATIENT },
          as(await passwordGrant(patient)),
        ),
      );
      expect(error.code).toBe(status.PERMISSION_DENIED);
      expect(await auth.db.collection('invitations').countDocuments({ email })).toBe(0);
    } finally {
      await deleteUser(patient);
    }
  });

  it('answers INVALID_ARGUMENT with the violations for bad input, and creates nothing', async () => {
    const error = await failure(
      auth.client.inviteUser({ email: 'not-an-email', givenName: '', familyName: 'Lopez', kind: UserKind.STAFF }, as(staffToken)),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    const violations = JSON.parse(String(error.metadata.get('x-violations')[0])) as { field: string }[];
    expect(violations.map((v) => v.field).sort()).toEqual(['email', 'given_name', 'kind']);
    expect(await auth.db.collection('invitations').countDocuments({ email: 'not-an-email' })).toBe(0);
  });
});

describe('after the invitation', () => {
  it('resend replaces the temporary password: only the new one works', async () => {
    const email = inviteEmail('resend');
    const { invitation } = await invitePatient(email);
    const [first] = await waitForEmails(email);
    const before = (await credentialsOf(invitation!.userId))[0]!;

    const resent = await auth.client.resendInvitation({ invitationId: invitation!.invitationId }, as(staffToken));
    expect(resent.welcomeEmailSent).toBe(true);
    expect(resent.invitation!.status).toBe(InvitationStatus.PENDING);
    const [, second] = await waitForEmails(email, 2);
    const oldPassword = credentialsIn(first!.Text).password;
    const newPassword = credentialsIn(second!.Text).password;
    expect(newPassword).not.toBe(oldPassword);
    const after = (await credentialsOf(invitation!.userId))[0]!;
    expect(after.createdDate).toBeGreaterThan(before.createdDate);
    expect((await keycloakUser(invitation!.userId))!.requiredActions).toEqual(['UPDATE_PASSWORD']);

    // Take the forced change away (as if done) to prove which password Keycloak now accepts.
    await clearRequiredActions(invitation!.userId);
    await expect(passwordGrant({ id: invitation!.userId, username: email, password: oldPassword })).rejects.toThrow(
      /Invalid user credentials/,
    );
    expect(await passwordGrant({ id: invitation!.userId, username: email, password: newPassword })).toBeTruthy();
    expect(await databaseText(auth.db)).not.toContain(newPassword);
  });

  it('revoke disables the user and marks the invitation REVOKED', async () => {
    const email = inviteEmail('revoke');
    const { invitation } = await invitePatient(email);
    const revoked = await auth.client.revokeInvitation({ invitationId: invitation!.invitationId }, as(staffToken));
    expect(revoked.invitation!.status).toBe(InvitationStatus.REVOKED);
    expect((await keycloakUser(invitation!.userId))!.enabled).toBe(false);
    const records = await topics.waitFor((r) => eventsOf(r, 'portico.events.auth.v1.InvitationRevoked', invitation!.userId).length > 0);
    const event = fromBinary(
      InvitationRevokedSchema,
      eventsOf(records, 'portico.events.auth.v1.InvitationRevoked', invitation!.userId)[0]!.value,
    );
    expect(event).toMatchObject({ invitationId: invitation!.invitationId, actor: { subject: staff.id } });
    // Revoked is final.
    expect((await failure(auth.client.resendInvitation({ invitationId: invitation!.invitationId }, as(staffToken)))).code).toBe(
      status.FAILED_PRECONDITION,
    );
  });

  it('an invitation unused for 7 days expires at the next sweep and its user is disabled', async () => {
    const email = inviteEmail('expire');
    const day = 24 * 3600_000;
    const { invitation } = await invitePatient(email);
    // Six days on, a second invitation; nothing is due yet.
    auth.advanceClock(6 * day);
    const other = await invitePatient(inviteEmail('fresh'));
    expect(await auth.service.sweeper.sweepOnce()).toBe(0);
    // Seven days after the first invitation it expires; the second has a day left.
    auth.advanceClock(7 * day + 60_000);
    expect(await auth.service.sweeper.sweepOnce()).toBeGreaterThanOrEqual(1);
    auth.advanceClock(0);

    const [listed] = (await auth.client.listInvitations({ statuses: [InvitationStatus.EXPIRED] }, as(staffToken))).invitations.filter(
      (i) => i.invitationId === invitation!.invitationId,
    );
    expect(listed?.status).toBe(InvitationStatus.EXPIRED);
    expect((await keycloakUser(invitation!.userId))!.enabled).toBe(false);
    expect((await keycloakUser(other.invitation!.userId))!.enabled).toBe(true);
    const records = await topics.waitFor((r) => eventsOf(r, 'portico.events.auth.v1.InvitationExpired', invitation!.userId).length > 0);
    expect(
      fromBinary(InvitationExpiredSchema, eventsOf(records, 'portico.events.auth.v1.InvitationExpired', invitation!.userId)[0]!.value),
    ).toMatchObject({ invitationId: invitation!.invitationId, actor: { subject: 'portico-auth' } });

    // Resending an expired invitation opens it again for a week, with the user enabled.
    const resent = await auth.client.resendInvitation({ invitationId: invitation!.invitationId }, as(staffToken));
    expect(resent.invitation!.status).toBe(InvitationStatus.PENDING);
    expect((await keycloakUser(invitation!.userId))!.enabled).toBe(true);
  });

  it('is accepted by the invited user after their first login, and only by them', async () => {
    const email = inviteEmail('accept');
    const { invitation } = await invitePatient(email);
    const [message] = await waitForEmails(email);
    await clearRequiredActions(invitation!.userId);
    const token = await passwordGrant({ id: invitation!.userId, username: email, password: credentialsIn(message!.Text).password });

    expect((await failure(auth.client.acceptInvitation({ userId: invitation!.userId }, as(staffToken)))).code).toBe(
      status.PERMISSION_DENIED,
    );
    const accepted = await auth.client.acceptInvitation({ userId: invitation!.userId }, as(token));
    expect(accepted.invitation!.status).toBe(InvitationStatus.ACCEPTED);
    // A retry changes nothing.
    expect((await auth.client.acceptInvitation({ userId: invitation!.userId }, as(token))).invitation!.version).toBe(
      accepted.invitation!.version,
    );
    const records = await topics.waitFor((r) => eventsOf(r, 'portico.events.auth.v1.InvitationAccepted', invitation!.userId).length > 0);
    expect(eventsOf(records, 'portico.events.auth.v1.InvitationAccepted', invitation!.userId)).toHaveLength(1);
    expect(
      fromBinary(InvitationAcceptedSchema, eventsOf(records, 'portico.events.auth.v1.InvitationAccepted', invitation!.userId)[0]!.value)
        .actor,
    ).toMatchObject({ subject: invitation!.userId });

    const users = await auth.client.listUsers({}, as(staffToken));
    expect(users.users.find((u) => u.userId === invitation!.userId)).toMatchObject({
      kind: UserKind.PATIENT,
      invitationStatus: InvitationStatus.ACCEPTED,
      enabled: true,
    });
  });

  it('cannot be accepted once revoked, even with a token obtained before', async () => {
    const email = inviteEmail('late');
    const { invitation } = await invitePatient(email);
    const [message] = await waitForEmails(email);
    await clearRequiredActions(invitation!.userId);
    const token = await passwordGrant({ id: invitation!.userId, username: email, password: credentialsIn(message!.Text).password });
    await auth.client.revokeInvitation({ invitationId: invitation!.invitationId }, as(staffToken));
    expect((await failure(auth.client.acceptInvitation({ userId: invitation!.userId }, as(token)))).code).toBe(status.FAILED_PRECONDITION);
  });
});
