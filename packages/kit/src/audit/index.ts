// The audit trail (DESIGN rule 10): every read or change of a patient's record becomes a
// PatientRecordAccessed event: who, acting for whom, what, when, from where — never the data.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ActorRole, ActorSchema } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import type { Caller } from '../identity/grpc-auth.js';
import type { Principal } from '../identity/token-verifier.js';
import { outboxEvent, type OutboxEntry } from '../eventing/outbox.js';

export const AUDIT_TOPIC = 'portico.audit.v1';

const ROLE: Record<Caller['actingAs'], ActorRole> = { patient: ActorRole.PATIENT, guardian: ActorRole.GUARDIAN, staff: ActorRole.STAFF };

export function actorOf(principal: Principal, role?: Caller['actingAs']) {
  return create(ActorSchema, {
    subject: principal.subject,
    role: role ? ROLE[role] : ActorRole.UNSPECIFIED,
    clinicId: principal.clinicId ?? '',
  });
}

export interface AuditedAction {
  action: string;
  resourceType: string;
  resourceId?: string;
  denied?: boolean;
}

export interface AuditContext {
  principal: Principal;
  actingAs?: Caller['actingAs'];
  patientId: string;
  sourceIp: string;
  requestId: string;
}

export function auditEvent(who: AuditContext, what: AuditedAction): OutboxEntry {
  const occurredAt = new Date();
  const event = create(PatientRecordAccessedSchema, {
    actor: actorOf(who.principal, who.actingAs),
    patientId: who.patientId,
    action: what.action,
    resourceType: what.resourceType,
    resourceId: what.resourceId ?? '',
    outcome: what.denied ? AccessOutcome.DENIED : AccessOutcome.ALLOWED,
    occurredAt: timestampFromDate(occurredAt),
    sourceIp: who.sourceIp,
    requestId: who.requestId,
  });
  return outboxEvent(PatientRecordAccessedSchema, event, { topic: AUDIT_TOPIC, key: who.patientId, occurredAt });
}

/**
 * The audit event of a staff action. Rule 10's record names a patient; an action that concerns no
 * patient (the organisation, lists) is keyed by the clinic so the topic's key is never empty.
 */
export function staffAudit(
  caller: { principal: Principal; actingAs: 'staff'; clinicId: string; sourceIp: string; requestId: string },
  what: AuditedAction,
  patientId = '',
): OutboxEntry {
  const entry = auditEvent({ ...caller, patientId }, what);
  return patientId ? entry : { ...entry, key: caller.clinicId };
}
