import { describe, expect, it } from 'vitest';
import {
  accept,
  expire,
  INVITATION_VALIDITY_MS,
  InvitationStateError,
  newInvitation,
  resend,
  revoke,
  validateInvite,
  type InviteSubmission,
} from './invitation.js';
import { temporaryPassword } from './temporary-password.js';
import { InvalidInput } from '@portico/kit/domain';

const PATIENT = '6f1c1c7e-4a43-4f63-9d5b-1f0b7c7b9d11';
const submission = (overrides: Partial<InviteSubmission> = {}): InviteSubmission => ({
  email: ' Maria.Lopez@Example.ORG ',
  givenName: 'Maria',
  familyName: 'López',
  kind: 'patient',
  patientIds: [],
  dateOfBirth: '',
  ...overrides,
});
const t0 = new Date('2026-03-01T09:00:00Z');
const TODAY = '2026-03-01';
const invitation = () =>
  newInvitation({
    invitationId: 'inv-1',
    clinicId: 'clinic-a',
    userId: PATIENT,
    details: validateInvite(submission(), TODAY).details,
    invitedBy: { subject: 'staff-1', displayName: 'Dr Kim' },
    now: t0,
  });

function violations(overrides: Partial<InviteSubmission>) {
  try {
    validateInvite(submission(overrides), TODAY);
  } catch (error) {
    if (error instanceof InvalidInput) return error.violations;
    throw error;
  }
  return [];
}

describe('an invitation', () => {
  it('lower-cases the email and needs patients for a guardian only', () => {
    expect(validateInvite(submission(), TODAY).details.email).toBe('maria.lopez@example.org');
    expect(violations({ kind: 'guardian' })).toEqual([{ field: 'patient_ids', message: 'a guardian needs at least one patient' }]);
    expect(violations({ patientIds: [PATIENT] })).toEqual([{ field: 'patient_ids', message: 'must be empty for a patient' }]);
    expect(
      validateInvite(submission({ kind: 'guardian', patientIds: [PATIENT, PATIENT.toUpperCase()] }), TODAY).details.patientIds,
    ).toEqual([PATIENT]);
  });

  it("takes a patient's date of birth (kept apart from the invitation's record), never a guardian's or a future one", () => {
    const invite = validateInvite(submission({ dateOfBirth: '1990-03-14' }), TODAY);
    expect(invite.dateOfBirth).toBe('1990-03-14');
    expect(invite.details).not.toHaveProperty('dateOfBirth');
    expect(violations({ dateOfBirth: '2026-03-02' })).toEqual([{ field: 'date_of_birth', message: 'must not be in the future' }]);
    expect(violations({ dateOfBirth: '14/03/1990' })).toEqual([{ field: 'date_of_birth', message: 'must be a date (YYYY-MM-DD)' }]);
    expect(violations({ kind: 'guardian', patientIds: [PATIENT], dateOfBirth: '1980-01-01' })).toEqual([
      { field: 'date_of_birth', message: 'is recorded for a patient only, not a guardian' },
    ]);
  });

  it('refuses names Keycloak would refuse, an unknown kind and a bad email, all at once', () => {
    const found = violations({ givenName: '<script>', kind: 'staff', email: 'nope' });
    expect(found.map((v) => v.field).sort()).toEqual(['email', 'given_name', 'kind']);
  });

  it('is valid for 7 days, then expires; expired or revoked it cannot be accepted', () => {
    const pending = invitation();
    expect(pending.expiresAt.getTime() - t0.getTime()).toBe(INVITATION_VALIDITY_MS);
    const justBefore = new Date(pending.expiresAt.getTime() - 1);
    expect(expire(pending, justBefore)).toBeUndefined();
    expect(accept(pending, justBefore)?.status).toBe('accepted');

    const expired = expire(pending, pending.expiresAt)!;
    expect(expired).toMatchObject({ status: 'expired', userDisablePending: true, version: 2 });
    expect(() => accept(expired, pending.expiresAt)).toThrow(InvitationStateError);
    // Not swept yet, but past its week: still refused.
    expect(() => accept(pending, pending.expiresAt)).toThrow('the invitation expired');
    expect(() => accept(revoke(pending, t0)!, t0)).toThrow('the invitation was revoked');
  });

  it('is resent for another 7 days, from pending or expired, never once accepted or revoked', () => {
    const pending = invitation();
    const later = new Date(t0.getTime() + 10 * 24 * 3600_000);
    const reopened = resend(expire(pending, later)!, later);
    expect(reopened).toMatchObject({ status: 'pending', userDisablePending: false, emailSentAt: undefined });
    expect(reopened.expiresAt.getTime()).toBe(later.getTime() + INVITATION_VALIDITY_MS);
    expect(() => resend(accept(pending, t0)!, t0)).toThrow(InvitationStateError);
    expect(() => resend(revoke(pending, t0)!, t0)).toThrow(InvitationStateError);
  });

  it('changes nothing when accepted or revoked twice', () => {
    const accepted = accept(invitation(), t0)!;
    expect(accept(accepted, t0)).toBeUndefined();
    const revoked = revoke(invitation(), t0)!;
    expect(revoke(revoked, t0)).toBeUndefined();
    expect(() => revoke(accepted, t0)).toThrow(InvitationStateError);
  });
});

describe('a temporary password', () => {
  it('is 20 random characters with upper and lower case letters, digits and symbols', () => {
    const passwords = Array.from({ length: 200 }, () => temporaryPassword());
    expect(new Set(passwords).size).toBe(200);
    for (const password of passwords) {
      expect(password).toHaveLength(20);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
    }
  });
});
