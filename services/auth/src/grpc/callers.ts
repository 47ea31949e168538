// Who is calling the auth service: staff of a clinic (most methods), any user of a clinic (the
// organisation profile, logo and handbook), or the invited user themself (AcceptInvitation).
// Staff actions are audited; a refusal is audited too, then answered PERMISSION_DENIED.
import { auditEvent, type AuditedAction } from '@portico/kit/audit';
import type { OutboxEntry } from '@portico/kit/eventing';
import { GrpcError, status, type CallContext } from '@portico/kit/grpc';
import { authenticate, type Principal, type TokenVerifier } from '@portico/kit/identity';

interface Origin {
  sourceIp: string;
  requestId: string;
}

const originOf = (ctx: CallContext): Origin => ({
  sourceIp: ctx.metadata.get('x-forwarded-for')[0]?.toString() ?? '',
  requestId: ctx.metadata.get('x-request-id')[0]?.toString() ?? '',
});

export interface StaffCaller extends Origin {
  principal: Principal;
  actingAs: 'staff';
  clinicId: string;
}

export interface ClinicMember extends Origin {
  principal: Principal;
  clinicId: string;
}

/**
 * The audit event of a staff action. Rule 10's record names a patient; an action that concerns no
 * patient (the organisation, lists) is keyed by the clinic so the topic's key is never empty.
 */
export function staffAudit(caller: StaffCaller, what: AuditedAction, patientId = ''): OutboxEntry {
  const entry = auditEvent({ ...caller, patientId }, what);
  return patientId ? entry : { ...entry, key: caller.clinicId };
}

export interface CallerDeps {
  verify: TokenVerifier;
  /** Queues events that report no change of their own (audit of reads and refusals). */
  recordEvents(events: OutboxEntry[]): Promise<void>;
}

export async function authoriseStaff(deps: CallerDeps, ctx: CallContext, action: string, resourceType: string): Promise<StaffCaller> {
  const principal = await authenticate(deps.verify, ctx.metadata);
  const origin = originOf(ctx);
  if (principal.roles.includes('staff') && principal.clinicId)
    return { principal, actingAs: 'staff', clinicId: principal.clinicId, ...origin };
  const denied = auditEvent({ principal, patientId: '', ...origin }, { action, resourceType, denied: true });
  await deps.recordEvents([{ ...denied, key: principal.clinicId || principal.subject }]);
  throw new GrpcError(status.PERMISSION_DENIED, 'only clinic staff may do this');
}

export async function authenticateClinicMember(deps: CallerDeps, ctx: CallContext): Promise<ClinicMember> {
  const principal = await authenticate(deps.verify, ctx.metadata);
  if (!principal.clinicId) throw new GrpcError(status.PERMISSION_DENIED, 'the caller belongs to no clinic');
  return { principal, clinicId: principal.clinicId, ...originOf(ctx) };
}

export { authenticate, originOf };
