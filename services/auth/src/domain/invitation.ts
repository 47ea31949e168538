// An Invitation: a clinic asks a patient or guardian to use the portal (seed step 1). It is
// PENDING until the person's first login, when it becomes ACCEPTED; staff may REVOKE it; unused
// for 7 days it EXPIRES. No I/O here: time comes from the caller's clock.
import { z } from 'zod';
import { dateOfBirth, emptyOr, NotAllowedNow, snakeCase, validate } from '@portico/kit/domain';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';
export type InvitedKind = 'patient' | 'guardian';

export const INVITATION_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/** The staff member who sent the invitation, as the welcome email names them. */
export interface Inviter {
  subject: string;
  displayName: string;
}

export interface Invitation {
  invitationId: string;
  clinicId: string;
  /** The Keycloak user id; for a patient also their patient id. */
  userId: string;
  email: string;
  givenName: string;
  familyName: string;
  kind: InvitedKind;
  patientIds: string[];
  status: InvitationStatus;
  invitedBy: Inviter;
  createdAt: Date;
  expiresAt: Date;
  updatedAt: Date;
  emailSentAt: Date | undefined;
  /**
   * True from the moment an invitation is revoked or expires until the Keycloak user is
   * disabled: the status is recorded first, so a Keycloak outage delays the disabling (the
   * sweeper finishes it) but never loses it.
   */
  userDisablePending: boolean;
  version: number;
}

export interface InviteSubmission {
  email: string;
  givenName: string;
  familyName: string;
  kind: string;
  patientIds: string[];
  /** YYYY-MM-DD or empty. */
  dateOfBirth: string;
}

export interface InviteDetails {
  email: string;
  givenName: string;
  familyName: string;
  kind: InvitedKind;
  patientIds: string[];
}

/** What an invitation records, and the patient's date of birth, which only Keycloak keeps. */
export interface InviteRequest {
  details: InviteDetails;
  /** YYYY-MM-DD, or empty when not given. */
  dateOfBirth: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Keycloak's person-name-prohibited-characters rule, checked here so the answer names the field.
const PERSON_NAME = /^[^<>&"\v$%!#?§;*~/\\|^=[\]{}()\p{Cc}]*$/u;
const personName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters')
  .regex(PERSON_NAME, 'must not contain any of < > & " $ % ! # ? ; * ~ / \\ | ^ = [ ] { } ( ) or the section sign');

const inviteSchema = (today: string) =>
  z
    .object({
      email: z.email('must be an email address').max(254, 'must be at most 254 characters'),
      givenName: personName,
      familyName: personName,
      kind: z.enum(['patient', 'guardian'], 'must be PATIENT or GUARDIAN'),
      patientIds: z.array(z.string().regex(UUID, 'must be a patient id (UUID)')).max(20, 'must be at most 20 patients'),
      dateOfBirth: emptyOr(dateOfBirth(today)),
    })
    .superRefine((value, ctx) => {
      if (value.kind === 'guardian' && value.patientIds.length === 0)
        ctx.addIssue({ code: 'custom', path: ['patientIds'], message: 'a guardian needs at least one patient' });
      if (value.kind === 'patient' && value.patientIds.length > 0)
        ctx.addIssue({ code: 'custom', path: ['patientIds'], message: 'must be empty for a patient' });
      if (value.kind === 'guardian' && value.dateOfBirth !== '')
        ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'is recorded for a patient only, not a guardian' });
    });

/** `today` is the latest date anywhere (YYYY-MM-DD): someone born today in any zone is accepted. */
export function validateInvite(submission: InviteSubmission, today: string): InviteRequest {
  const { dateOfBirth: born, ...value } = validate(inviteSchema(today), { ...submission, email: submission.email.trim() }, 'invitation', {
    field: snakeCase,
  });
  return {
    details: { ...value, email: value.email.toLowerCase(), patientIds: [...new Set(value.patientIds.map((id) => id.toLowerCase()))] },
    dateOfBirth: born,
  };
}

/** A state change an invitation does not allow (FAILED_PRECONDITION). */
export class InvitationStateError extends NotAllowedNow {
  override name = 'InvitationStateError';
}

export function newInvitation(options: {
  invitationId: string;
  clinicId: string;
  userId: string;
  details: InviteDetails;
  invitedBy: Inviter;
  now: Date;
}): Invitation {
  const { details, now } = options;
  return {
    invitationId: options.invitationId,
    clinicId: options.clinicId,
    userId: options.userId,
    ...details,
    status: 'pending',
    invitedBy: options.invitedBy,
    createdAt: now,
    expiresAt: new Date(now.getTime() + INVITATION_VALIDITY_MS),
    updatedAt: now,
    emailSentAt: undefined,
    userDisablePending: false,
    version: 1,
  };
}

const changed = (invitation: Invitation, now: Date, change: Partial<Invitation>): Invitation => ({
  ...invitation,
  ...change,
  updatedAt: now,
  version: invitation.version + 1,
});

/** A pending invitation whose week is over is expired, swept or not. */
export const isPastExpiry = (invitation: Invitation, now: Date) => invitation.status === 'pending' && invitation.expiresAt <= now;

/** The expired invitation, or undefined when it is not due. */
export function expire(invitation: Invitation, now: Date): Invitation | undefined {
  if (!isPastExpiry(invitation, now)) return undefined;
  return changed(invitation, now, { status: 'expired', userDisablePending: true });
}

/** The revoked invitation, or undefined when it already is (a retry changes nothing). */
export function revoke(invitation: Invitation, now: Date): Invitation | undefined {
  if (invitation.status === 'revoked') return undefined;
  if (invitation.status === 'accepted') throw new InvitationStateError('the invitation was already accepted');
  return changed(invitation, now, { status: 'revoked', userDisablePending: true });
}

/** A pending or expired invitation made good for another week, its email still to be sent. */
export function resend(invitation: Invitation, now: Date): Invitation {
  if (invitation.status === 'accepted') throw new InvitationStateError('the invitation was already accepted');
  if (invitation.status === 'revoked') throw new InvitationStateError('the invitation was revoked');
  return changed(invitation, now, {
    status: 'pending',
    expiresAt: new Date(now.getTime() + INVITATION_VALIDITY_MS),
    emailSentAt: undefined,
    userDisablePending: false,
  });
}

/** The accepted invitation, or undefined when it already is. */
export function accept(invitation: Invitation, now: Date): Invitation | undefined {
  if (invitation.status === 'accepted') return undefined;
  if (invitation.status === 'revoked') throw new InvitationStateError('the invitation was revoked');
  if (invitation.status === 'expired' || isPastExpiry(invitation, now)) throw new InvitationStateError('the invitation expired');
  return changed(invitation, now, { status: 'accepted' });
}
