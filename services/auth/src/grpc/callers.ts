// Who is calling the auth service: staff of a clinic (most methods; the kit's authoriseStaff
// audits a refusal and answers PERMISSION_DENIED), any user of a clinic (the organisation
// profile, logo and handbook), or the invited user themself (AcceptInvitation).
import { NotPermitted } from '@portico/kit/domain';
import type { Principal } from '@portico/kit/identity';
import { authenticate, type RequestContext, type RequestOrigin } from '@portico/kit/requests';

export interface ClinicMember extends RequestOrigin {
  principal: Principal;
  clinicId: string;
}

export async function authenticateClinicMember(ctx: RequestContext): Promise<ClinicMember> {
  const principal = await authenticate(ctx);
  if (!principal.clinicId) throw new NotPermitted('the caller belongs to no clinic');
  return { principal, clinicId: principal.clinicId, sourceIp: ctx.sourceIp, requestId: ctx.requestId };
}
