// One gRPC call as every handler sees it: who sent it (request id, source address, trace), a
// logger that says so on every line, and the authorisation rule of DESIGN rule 2 with its audit
// (rule 10) — so a handler only translates, calls the domain and returns.
import type { DescMethod } from '@bufbuild/protobuf';
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { Metadata } from '@grpc/grpc-js';
import type { CallContext } from '@portico/contracts/grpc';
import type { Logger } from 'pino';
import { auditEvent, staffAudit, type AuditedAction } from '../audit/index.js';
import { NotFound, NotPermitted, requireUuid } from '../domain/index.js';
import type { OutboxEntry } from '../eventing/outbox.js';
import { actingAs } from '../identity/authorisation.js';
import { authenticate as verifyCaller, type Caller } from '../identity/grpc-auth.js';
import type { Principal, TokenVerifier } from '../identity/token-verifier.js';

/** Where a call came from, as the gateway forwards it, for the audit trail and the logs. */
export interface RequestOrigin {
  sourceIp: string;
  requestId: string;
}

/** The one reading of the origin metadata the gateway sets (x-forwarded-for, x-request-id). */
export function requestOrigin(metadata: Metadata): RequestOrigin {
  return {
    sourceIp: metadata.get('x-forwarded-for')[0]?.toString() ?? '',
    requestId: metadata.get('x-request-id')[0]?.toString() ?? '',
  };
}

/** What is known of a patient: their clinic, whether they are active, who their guardians are. */
export interface PatientRecord {
  patientId: string;
  clinicId: string;
  status: 'active' | 'inactive';
  guardianIds: string[];
}

/**
 * Where authorisation looks a patient up for a staff caller (`@portico/kit/patients` keeps one in
 * the service's database). Without one, staff are bounded by their clinic through the queries
 * (patientScope) only.
 */
export interface PatientDirectory {
  /** The patient, asking the auth service as `caller` (their token) when not known yet. */
  find(patientId: string, caller?: { metadata: Metadata }): Promise<PatientRecord | undefined>;
  /** True when a patient the directory does not know does not exist, and is refused like another's. */
  readonly complete: boolean;
}

export const noPatientDirectory: PatientDirectory = { find: async () => undefined, complete: false };

/** Queues audit events that report no change of their own (reads and refusals) and has them published. */
export interface AuditTrail {
  record(events: OutboxEntry[]): Promise<void>;
}

export interface AccessControl {
  verify: TokenVerifier;
  audit: AuditTrail;
  patients: PatientDirectory;
}

export interface RequestContext extends CallContext, RequestOrigin {
  /** The method's protobuf name, e.g. ListContacts. */
  method: string;
  /** The trace this call belongs to, or empty when tracing is off. */
  traceId: string;
  /** Carries the request id and method on every line. */
  logger: Logger;
  /** The verified caller, once authenticate ran. */
  principal?: Principal;
  readonly access: AccessControl;
}

/** Built by the gRPC bridge for every call. */
export function requestContext(call: CallContext, method: DescMethod, bridge: { logger: Logger; access: AccessControl }): RequestContext {
  const origin = requestOrigin(call.metadata);
  // A call without an id still gets one, so its log lines can be told apart.
  const requestId = origin.requestId || randomUUID();
  const traceId = trace.getActiveSpan()?.spanContext().traceId ?? '';
  return {
    ...call,
    sourceIp: origin.sourceIp,
    requestId,
    method: method.name,
    traceId,
    logger: bridge.logger.child({ requestId, method: method.name }),
    access: bridge.access,
  };
}

/** The verified caller; UNAUTHENTICATED without a valid token. */
export async function authenticate(ctx: RequestContext): Promise<Principal> {
  ctx.principal ??= await verifyCaller(ctx.access.verify, ctx.metadata);
  return ctx.principal;
}

/** What a refusal or an access is recorded as. */
export interface AccessAttempt {
  action: string;
  resourceType: string;
}

/**
 * The caller acting for `patientId` (a patient for themself, a guardian for their patients,
 * staff for their clinic). Anyone else is refused with NOT_FOUND, so they cannot even learn the
 * patient exists, and the refusal is audited.
 */
export async function authorisePatient(ctx: RequestContext, patientId: string, attempt: AccessAttempt): Promise<Caller> {
  const id = requireUuid(patientId, 'patient_id');
  const principal = await authenticate(ctx);
  let role = actingAs(principal, id);
  // A patient acts for themself and a guardian by their token's claim; staff only for a patient
  // the directory places in their clinic (a patient it does not know does not exist).
  if (role === 'staff') {
    const patient = await ctx.access.patients.find(id, ctx);
    const known = patient !== undefined || !ctx.access.patients.complete;
    if (!known || !actingAs(principal, id, patient?.clinicId)) role = undefined;
  }
  const who = { principal, patientId: id, sourceIp: ctx.sourceIp, requestId: ctx.requestId };
  if (!role) {
    await ctx.access.audit.record([auditEvent(who, { ...attempt, denied: true })]);
    throw new NotFound('patient not found');
  }
  return { ...who, actingAs: role };
}

/**
 * Staff acting for a patient of their clinic: what only the clinic does to a record (scheduling,
 * sharing, billing). Whoever may not act for the patient at all gets NOT_FOUND (authorisePatient);
 * the patient themself or their guardian may read but not do this (PERMISSION_DENIED). Both
 * refusals are audited.
 */
export async function authoriseStaffFor(ctx: RequestContext, patientId: string, attempt: AccessAttempt): Promise<Caller> {
  const caller = await authorisePatient(ctx, patientId, attempt);
  if (caller.actingAs === 'staff') return caller;
  await ctx.access.audit.record([auditEvent(caller, { ...attempt, denied: true })]);
  throw new NotPermitted('only clinic staff may do this');
}

export interface StaffCaller extends RequestOrigin {
  principal: Principal;
  actingAs: 'staff';
  clinicId: string;
}

/** The caller as staff of their clinic; anyone else is refused (PERMISSION_DENIED) and the refusal audited. */
export async function authoriseStaff(ctx: RequestContext, attempt: AccessAttempt): Promise<StaffCaller> {
  const principal = await authenticate(ctx);
  const origin = { sourceIp: ctx.sourceIp, requestId: ctx.requestId };
  if (principal.roles.includes('staff') && principal.clinicId)
    return { principal, actingAs: 'staff', clinicId: principal.clinicId, ...origin };
  const denied = auditEvent({ principal, patientId: '', ...origin }, { ...attempt, denied: true });
  await ctx.access.audit.record([{ ...denied, key: principal.clinicId || principal.subject }]);
  throw new NotPermitted('only clinic staff may do this');
}

/** Records that the caller read (part of) the patient's record. */
export async function auditRead(ctx: RequestContext, caller: Caller, what: AuditedAction): Promise<void> {
  await ctx.access.audit.record([auditEvent(caller, what)]);
}

/** Records a staff member's read (of the clinic's lists, or of one patient when `patientId` is given). */
export async function auditStaffRead(ctx: RequestContext, caller: StaffCaller, what: AuditedAction, patientId = ''): Promise<void> {
  await ctx.access.audit.record([staffAudit(caller, what, patientId)]);
}

/**
 * The records a caller may see of the patient: patients and guardians are bounded by the patient
 * id, staff also by their clinic.
 */
export const patientScope = (caller: Caller): { patientId: string; clinicId?: string } => ({
  patientId: caller.patientId,
  ...(caller.actingAs === 'staff' ? { clinicId: caller.principal.clinicId ?? '' } : {}),
});

export type { Caller };
