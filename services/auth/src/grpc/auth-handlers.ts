// The AuthService handlers, one group per concern: the organisation profile and its files, the
// invitations, the clinic's users and guardian links, whom to notify, the patient directory's listing.
import type { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { directoryHandlers, type DirectoryHandlerDeps } from './directory-handlers.js';
import { invitationHandlers, type InvitationHandlerDeps } from './invitation-handlers.js';
import { organisationHandlers, type OrganisationHandlerDeps } from './organisation-handlers.js';
import { notificationContextHandlers, type NotificationContextHandlerDeps } from './notification-context-handlers.js';
import { staffMemberHandlers, type StaffMemberHandlerDeps } from './staff-member-handlers.js';
import { userHandlers, type UserHandlerDeps } from './user-handlers.js';

export type AuthHandlerDeps = OrganisationHandlerDeps &
  InvitationHandlerDeps &
  UserHandlerDeps &
  StaffMemberHandlerDeps &
  NotificationContextHandlerDeps &
  DirectoryHandlerDeps;

export function authHandlers(deps: AuthHandlerDeps): ServiceHandlers<(typeof AuthService)['method']> {
  return {
    ...organisationHandlers(deps),
    ...invitationHandlers(deps),
    ...userHandlers(deps),
    ...staffMemberHandlers(deps),
    ...notificationContextHandlers(deps),
    ...directoryHandlers(deps),
  };
}
