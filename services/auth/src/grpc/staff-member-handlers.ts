// Staff members as other services show them to patients: whom an appointment is with. A staff
// caller sees only the staff of their own clinic; anyone else "does not exist" (NOT_FOUND), so
// the answer reveals nothing about other clinics' users or about patients.
import type { GetStaffMemberRequest } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { NotFound, requireUuid } from '@portico/kit/domain';
import { authoriseStaff, type RequestContext } from '@portico/kit/requests';
import { displayName, type KeycloakAdmin } from '../keycloak/keycloak-admin.js';
import { clinicUserWithRole } from './clinic-users.js';

export interface StaffMemberHandlerDeps {
  keycloak: KeycloakAdmin;
}

export function staffMemberHandlers(deps: StaffMemberHandlerDeps) {
  return {
    async getStaffMember(request: GetStaffMemberRequest, ctx: RequestContext) {
      const caller = await authoriseStaff(ctx, { action: 'staff_members.get', resourceType: 'user' });
      const userId = requireUuid(request.userId, 'user_id');
      const member = await clinicUserWithRole(deps.keycloak, caller.clinicId, userId, 'staff');
      if (!member) throw new NotFound('staff member not found');
      return { staffMember: { userId, displayName: displayName(member), email: member.email ?? '' } };
    },
  };
}
