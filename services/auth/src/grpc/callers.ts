// Who is calling the auth service: staff of a clinic (most methods; the kit's authoriseStaff
// audits a refusal and answers PERMISSION_DENIED), any user of a clinic (the organisation
// profile, logo and handbook), the invited user themself (AcceptInvitation), or one of
// Portico's own services with its client-credentials token (whom to notify, the directory).
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ActorRole, ActorSchema } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import { AUDIT_TOPIC } from '@portico/kit/audit';
import { NotPermitted, UUID_PATTERN } from '@portico/kit/domain';
import { outboxEvent } from '@portico/kit/eventing';
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

/**
 * The audit record of a service's read of patients' records (one patient, or none for a listing),
 * or of anyone's refused attempt.
 */
export function serviceAccess(principal: Principal, action: string, patientId: string, ctx: RequestContext, allowed: boolean) {
  const occurredAt = new Date();
  const event = create(PatientRecordAccessedSchema, {
    actor: create(ActorSchema, {
      subject: principal.subject,
      role: allowed ? ActorRole.SERVICE : ActorRole.UNSPECIFIED,
      clinicId: principal.clinicId ?? '',
    }),
    patientId,
    action,
    resourceType: 'patient',
    resourceId: patientId,
    outcome: allowed ? AccessOutcome.ALLOWED : AccessOutcome.DENIED,
    occurredAt: timestampFromDate(occurredAt),
    sourceIp: ctx.sourceIp,
    requestId: ctx.requestId,
  });
  return outboxEvent(PatientRecordAccessedSchema, event, {
    topic: AUDIT_TOPIC,
    key: patientId || principal.clinicId || principal.subject,
    occurredAt,
  });
}

/**
 * One of Portico's own services (a token with the `service` role); a person is refused with
 * `refusal` (PERMISSION_DENIED) and the attempt audited, naming the patient asked for if any.
 */
export async function authenticateService(ctx: RequestContext, action: string, patientId: string, refusal: string): Promise<Principal> {
  const principal = await authenticate(ctx);
  if (!principal.roles.includes('service')) {
    await ctx.access.audit.record([serviceAccess(principal, action, UUID_PATTERN.test(patientId) ? patientId : '', ctx, false)]);
    throw new NotPermitted(refusal);
  }
  return principal;
}
