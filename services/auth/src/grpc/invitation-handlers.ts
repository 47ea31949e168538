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
import { staffAudit } from '@portico/kit/audit';
import {
  AlreadyExists,
  InvalidInput,
  latestDateAnywhere,
  NotAllowedNow,
  NotFound,
  NotPermitted,
  requireUuid,
  type Clock,
} from '@portico/kit/domain';
import type { Logger } from '@portico/kit/logging';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import { auditStaffRead, authenticate, authoriseStaff, type RequestContext, type StaffCaller } from '@portico/kit/requests';
import { unrecordedLinks } from '../domain/guardian-links.js';
import { accept, newInvitation, resend, revoke, validateInvite, type Invitation } from '../domain/invitation.js';
import { canInvite, type Organisation } from '../domain/organisation.js';
import { temporaryPassword } from '../domain/temporary-password.js';
import { invitationAccepted, invitationResent, invitationRevoked, userInvited } from '../events/auth-events.js';
import { disableUserOf } from '../invitations/expiry-sweeper.js';
import { BIRTH_DATE, displayName, KeycloakUserExistsError, type KeycloakAdmin } from '../keycloak/keycloak-admin.js';
import type { WelcomeMailer } from '../mail/welcome-mailer.js';
import type { GuardianLinksRepository } from '../store/guardian-links-repository.js';
import type { InvitationRepository } from '../store/invitation-repository.js';
import type { OrganisationRepository } from '../store/organisation-repository.js';
import { invitationMessage, invitedKindOf, statusesOf } from './auth-messages.js';
import { clinicUserWithRole } from './clinic-users.js';

export interface InvitationHandlerDeps {
  invitations: InvitationRepository;
  organisations: OrganisationRepository;
  guardianLinks: GuardianLinksRepository;
  keycloak: KeycloakAdmin;
  welcome: WelcomeMailer;
  clock: Clock;
  logger: Logger;
}

const INVITATION = 'invitation';
const staff = (ctx: RequestContext, action: string) => authoriseStaff(ctx, { action, resourceType: INVITATION });

/** The patient an audit record of an invitation is about: the patient themself, or none for a guardian. */
const auditedPatient = (invitation: Invitation) => (invitation.kind === 'patient' ? invitation.userId : '');

export function invitationHandlers(deps: InvitationHandlerDeps) {
  const { invitations, keycloak } = deps;

  async function invitingOrganisation(clinicId: string): Promise<Organisation> {
    const organisation = await deps.organisations.find(clinicId);
    if (!canInvite(organisation)) throw new NotAllowedNow('the organisation profile needs a name and a portal address before inviting');
    return organisation;
  }

  async function loadInvitation(caller: StaffCaller, invitationId: string): Promise<Invitation> {
    const invitation = await invitations.find(caller.clinicId, requireUuid(invitationId, 'invitation_id'));
    if (!invitation) throw new NotFound('invitation not found');
    return invitation;
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
    async inviteUser(request: InviteUserRequest, ctx: RequestContext) {
      const caller = await staff(ctx, 'invitations.invite');
      const { details, dateOfBirth } = validateInvite(
        {
          email: request.email,
          givenName: request.givenName,
          familyName: request.familyName,
          kind: invitedKindOf(request.kind),
          patientIds: request.patientIds,
          dateOfBirth: request.dateOfBirth,
        },
        latestDateAnywhere(deps.clock()),
      );
      const organisation = await invitingOrganisation(caller.clinicId);
      for (const patientId of details.patientIds)
        if (!(await clinicUserWithRole(keycloak, caller.clinicId, patientId, 'patient')))
          throw new InvalidInput('invitation', [{ field: 'patient_ids', message: 'names someone who is not a patient of this clinic' }]);
      if (await invitations.findPending(details.email)) throw new AlreadyExists('an invitation for this email is pending');

      const inviter = await keycloak.getUser(caller.principal.subject);
      const invitedBy = {
        subject: caller.principal.subject,
        displayName: inviter ? displayName(inviter) : (caller.principal.username ?? 'Your clinic'),
      };
      const password = temporaryPassword();
      let userId: string;
      try {
        userId = await keycloak.createUser({
          email: details.email,
          firstName: details.givenName,
          lastName: details.familyName,
          attributes: {
            clinic_id: [caller.clinicId],
            ...(details.patientIds.length ? { patients: details.patientIds } : {}),
            // Only Keycloak keeps it: the invitation's record and its events never carry it.
            ...(dateOfBirth ? { [BIRTH_DATE]: [dateOfBirth] } : {}),
          },
          temporaryPassword: password,
        });
      } catch (error) {
        if (error instanceof KeycloakUserExistsError) throw new AlreadyExists('an account with this email exists');
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
        await keycloak.assignRealmRole(userId, details.kind);
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
        throw error;
      }
      const result = await sendWelcome(organisation, invitation, password);
      return { invitation: invitationMessage(result.invitation), welcomeEmailSent: result.sent };
    },

    async resendInvitation(request: ResendInvitationRequest, ctx: RequestContext) {
      const caller = await staff(ctx, 'invitations.resend');
      const current = await loadInvitation(caller, request.invitationId);
      const next = resend(current, deps.clock());
      const organisation = await invitingOrganisation(caller.clinicId);
      const password = temporaryPassword();
      await keycloak.resetPassword(current.userId, password);
      await keycloak.setEnabled(current.userId, true);
      const saved = await invitations.replace(current, next, [
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

    async revokeInvitation(request: RevokeInvitationRequest, ctx: RequestContext) {
      const caller = await staff(ctx, 'invitations.revoke');
      const current = await loadInvitation(caller, request.invitationId);
      const next = revoke(current, deps.clock());
      if (!next) return { invitation: invitationMessage(current) };
      const saved = await invitations.replace(current, next, [
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

    async listInvitations(request: ListInvitationsRequest, ctx: RequestContext) {
      const caller = await staff(ctx, 'invitations.list');
      const statuses = statusesOf(request.statuses);
      const page = pageOf(request.page);
      const found = await invitations.list(caller.clinicId, statuses, page);
      await auditStaffRead(ctx, caller, { action: 'invitations.list', resourceType: INVITATION });
      return { invitations: found.map(invitationMessage), page: { nextPageToken: nextPageToken(page, found.length) } };
    },

    async acceptInvitation(request: AcceptInvitationRequest, ctx: RequestContext) {
      const principal = await authenticate(ctx);
      const userId = requireUuid(request.userId, 'user_id');
      if (principal.subject !== userId) throw new NotPermitted('only the invited user may accept their invitation');
      const current = (await invitations.latestOfUsers([userId])).get(userId);
      if (!current) throw new NotFound('invitation not found');
      const next = accept(current, deps.clock());
      if (!next) return { invitation: invitationMessage(current) };
      const saved = await invitations.replace(current, next, [invitationAccepted({ principal, role: current.kind }, next)]);
      return { invitation: invitationMessage(saved) };
    },
  };
}
