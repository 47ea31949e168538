// Invitations (seed step 1): staff invite a patient or guardian, resend or revoke; the invited
// user accepts at first login. The temporary password lives only in this request's memory, in
// Keycloak and in the email. The invitation's state is written first and Keycloak follows, so a
// Keycloak outage in between is finished later (see InvitationExpirySweeper), never lost.
import { randomUUID } from 'node:crypto';
import type {
  AcceptInvitationRequest,
  InviteUserRequest,
  ListInvitationsRequest,
  ResendInvitationRequest,
  RevokeInvitationRequest,
} from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import type { OutboxEntry } from '@portico/kit/eventing';
import { GrpcError, status, type CallContext } from '@portico/kit/grpc';
import type { Logger } from '@portico/kit/logging';
import { unrecordedLinks } from '../domain/guardian-links.js';
import {
  accept,
  InvitationStateError,
  newInvitation,
  resend,
  revoke,
  validateInvite,
  type Clock,
  type Invitation,
} from '../domain/invitation.js';
import { canInvite, type Organisation } from '../domain/organisation.js';
import { temporaryPassword } from '../domain/temporary-password.js';
import { InvalidSubmissionError } from '../domain/violations.js';
import { invitationAccepted, invitationResent, invitationRevoked, userInvited } from '../events/auth-events.js';
import { disableUserOf } from '../invitations/expiry-sweeper.js';
import { displayName, KeycloakUserExistsError, type KeycloakAdmin } from '../keycloak/keycloak-admin.js';
import type { WelcomeMailer } from '../mail/welcome-mailer.js';
import type { GuardianLinksRepository } from '../store/guardian-links-repository.js';
import { PendingInvitationExists, type InvitationRepository } from '../store/invitation-repository.js';
import { VersionConflict, type OrganisationRepository } from '../store/organisation-repository.js';
import { invalidArgument, invitationMessage, invitedKindOf, nextPageToken, pageOf, statusesOf } from './auth-messages.js';
import { authenticate, authoriseStaff, staffAudit, type CallerDeps, type StaffCaller } from './callers.js';
import { clinicUserWithRole, withKeycloak } from './clinic-users.js';

export interface InvitationHandlerDeps extends CallerDeps {
  invitations: InvitationRepository;
  organisations: OrganisationRepository;
  guardianLinks: GuardianLinksRepository;
  keycloak: KeycloakAdmin;
  welcome: WelcomeMailer;
  clock: Clock;
  logger: Logger;
  nudgeRelay(): void;
}

const INVITATION = 'invitation';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireId(value: string, field: string): string {
  if (!UUID.test(value)) throw invalidArgument('request', [{ field, message: 'must be a UUID' }]);
  return value.toLowerCase();
}

/** The patient an audit record of an invitation is about: the patient themself, or none for a guardian. */
const auditedPatient = (invitation: Invitation) => (invitation.kind === 'patient' ? invitation.userId : '');

export function invitationHandlers(deps: InvitationHandlerDeps) {
  const { invitations, keycloak } = deps;

  async function invitingOrganisation(clinicId: string): Promise<Organisation> {
    const organisation = await deps.organisations.find(clinicId);
    if (!canInvite(organisation))
      throw new GrpcError(status.FAILED_PRECONDITION, 'the organisation profile needs a name and a portal address before inviting');
    return organisation;
  }

  async function loadInvitation(caller: StaffCaller, invitationId: string): Promise<Invitation> {
    const invitation = await invitations.find(caller.clinicId, requireId(invitationId, 'invitation_id'));
    if (!invitation) throw new GrpcError(status.NOT_FOUND, 'invitation not found');
    return invitation;
  }

  async function replace(current: Invitation, next: Invitation, events: OutboxEntry[]): Promise<Invitation> {
    try {
      const saved = await invitations.replace(current, next, events);
      deps.nudgeRelay();
      return saved;
    } catch (error) {
      if (error instanceof VersionConflict)
        throw new GrpcError(status.ABORTED, 'the invitation was changed at the same time; read it again');
      if (error instanceof PendingInvitationExists)
        throw new GrpcError(status.ALREADY_EXISTS, 'another invitation for this email is pending');
      throw error;
    }
  }

  function stateChange<T>(change: () => T): T {
    try {
      return change();
    } catch (error) {
      if (error instanceof InvitationStateError) throw new GrpcError(status.FAILED_PRECONDITION, error.message);
      throw error;
    }
  }

  /** Sends the welcome email and records when it left; false when it could not be sent. */
  async function sendWelcome(
    organisation: Organisation,
    invitation: Invitation,
    password: string,
  ): Promise<{ invitation: Invitation; sent: boolean }> {
    const sent = await deps.welcome.send(organisation, invitation, password);
    if (!sent) return { invitation, sent };
    const at = deps.clock();
    await invitations.recordEmailSent(invitation.invitationId, at);
    return { invitation: { ...invitation, emailSentAt: at }, sent };
  }

  return {
    async inviteUser(request: InviteUserRequest, ctx: CallContext) {
      const caller = await authoriseStaff(deps, ctx, 'invitations.invite', INVITATION);
      let details;
      try {
        details = validateInvite({
          email: request.email,
          givenName: request.givenName,
          familyName: request.familyName,
          kind: invitedKindOf(request.kind),
          patientIds: request.patientIds,
        });
      } catch (error) {
        if (error instanceof InvalidSubmissionError) throw invalidArgument('invitation', error.violations);
        throw error;
      }
      const organisation = await invitingOrganisation(caller.clinicId);
      for (const patientId of details.patientIds)
        if (!(await clinicUserWithRole(keycloak, caller.clinicId, patientId, 'patient')))
          throw invalidArgument('invitation', [{ field: 'patient_ids', message: 'names someone who is not a patient of this clinic' }]);
      if (await invitations.findPending(details.email))
        throw new GrpcError(status.ALREADY_EXISTS, 'an invitation for this email is pending');

      const inviter = await withKeycloak(() => keycloak.getUser(caller.principal.subject));
      const invitedBy = {
        subject: caller.principal.subject,
        displayName: inviter ? displayName(inviter) : (caller.principal.username ?? 'Your clinic'),
      };
      const password = temporaryPassword();
      let userId: string;
      try {
        userId = await withKeycloak(() =>
          keycloak.createUser({
            email: details.email,
            firstName: details.givenName,
            lastName: details.familyName,
            attributes: { clinic_id: [caller.clinicId], ...(details.patientIds.length ? { patients: details.patientIds } : {}) },
            temporaryPassword: password,
          }),
        );
      } catch (error) {
        if (error instanceof KeycloakUserExistsError) throw new GrpcError(status.ALREADY_EXISTS, 'an account with this email exists');
        throw error;
      }

      const invitation = newInvitation({
        invitationId: randomUUID(),
        clinicId: caller.clinicId,
        userId,
        details,
        invitedBy,
        now: deps.clock(),
      });
      try {
        await withKeycloak(() => keycloak.assignRealmRole(userId, details.kind));
        if (details.kind === 'guardian') {
          const links = unrecordedLinks(userId, caller.clinicId, details.patientIds, invitation.createdAt);
          await deps.guardianLinks.save(links, { ...links, version: 1 }, []);
        }
        await invitations.insert(invitation, [
          userInvited({ principal: caller.principal, role: 'staff' }, invitation),
          staffAudit(
            caller,
            { action: 'invitations.invite', resourceType: INVITATION, resourceId: invitation.invitationId },
            auditedPatient(invitation),
          ),
        ]);
      } catch (error) {
        // Without its invitation the user could never be managed: take the user away again.
        await keycloak.deleteUser(userId).catch(() => deps.logger.error({ userId }, 'half-created user not removed'));
        if (error instanceof PendingInvitationExists) throw new GrpcError(status.ALREADY_EXISTS, 'an invitation for this email is pending');
        throw error;
      }
      deps.nudgeRelay();
      const result = await sendWelcome(organisation, invitation, password);
      return { invitation: invitationMessage(result.invitation), welcomeEmailSent: result.sent };
    },

    async resendInvitation(request: ResendInvitationRequest, ctx: CallContext) {
      const caller = await authoriseStaff(deps, ctx, 'invitations.resend', INVITATION);
      const current = await loadInvitation(caller, request.invitationId);
      const next = stateChange(() => resend(current, deps.clock()));
      const organisation = await invitingOrganisation(caller.clinicId);
      const password = temporaryPassword();
      await withKeycloak(async () => {
        await keycloak.resetPassword(current.userId, password);
        await keycloak.setEnabled(current.userId, true);
      });
      const saved = await replace(current, next, [
        invitationResent({ principal: caller.principal, role: 'staff' }, next),
        staffAudit(
          caller,
          { action: 'invitations.resend', resourceType: INVITATION, resourceId: current.invitationId },
          auditedPatient(current),
        ),
      ]);
      const result = await sendWelcome(organisation, saved, password);
      return { invitation: invitationMessage(result.invitation), welcomeEmailSent: result.sent };
    },

    async revokeInvitation(request: RevokeInvitationRequest, ctx: CallContext) {
      const caller = await authoriseStaff(deps, ctx, 'invitations.revoke', INVITATION);
      const current = await loadInvitation(caller, request.invitationId);
      const next = stateChange(() => revoke(current, deps.clock()));
      if (!next) return { invitation: invitationMessage(current) };
      const saved = await replace(current, next, [
        invitationRevoked({ principal: caller.principal, role: 'staff' }, next),
        staffAudit(
          caller,
          { action: 'invitations.revoke', resourceType: INVITATION, resourceId: current.invitationId },
          auditedPatient(current),
        ),
      ]);
      await disableUserOf(saved, deps);
      return { invitation: invitationMessage(saved) };
    },

    async listInvitations(request: ListInvitationsRequest, ctx: CallContext) {
      const caller = await authoriseStaff(deps, ctx, 'invitations.list', INVITATION);
      const statuses = statusesOf(request.statuses);
      const { offset, limit } = pageOf(request.pageSize, request.pageToken);
      const found = await invitations.list(caller.clinicId, statuses, offset, limit);
      await deps.recordEvents([staffAudit(caller, { action: 'invitations.list', resourceType: INVITATION })]);
      deps.nudgeRelay();
      return { invitations: found.map(invitationMessage), nextPageToken: nextPageToken(offset, limit, found.length) };
    },

    async acceptInvitation(request: AcceptInvitationRequest, ctx: CallContext) {
      const principal = await authenticate(deps.verify, ctx.metadata);
      const userId = requireId(request.userId, 'user_id');
      if (principal.subject !== userId) throw new GrpcError(status.PERMISSION_DENIED, 'only the invited user may accept their invitation');
      const current = (await invitations.latestOfUsers([userId])).get(userId);
      if (!current) throw new GrpcError(status.NOT_FOUND, 'invitation not found');
      const next = stateChange(() => accept(current, deps.clock()));
      if (!next) return { invitation: invitationMessage(current) };
      const saved = await replace(current, next, [invitationAccepted({ principal, role: current.kind }, next)]);
      return { invitation: invitationMessage(saved) };
    },
  };
}
