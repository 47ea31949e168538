// One access to a patient's record as the trail keeps it: who (and in which role and clinic),
// for which patient, what, when, from where, and whether it was allowed. Entries are facts: once
// kept they never change, and they leave only when the retention period is over.
import { InvalidInput, requireUuid } from '@portico/kit/domain';

export type ActorRole = 'patient' | 'guardian' | 'staff' | 'service';
export type AccessOutcome = 'allowed' | 'denied';

export interface RecordAccess {
  /** The audit event's id: the trail keeps one entry per event, however often it is delivered. */
  eventId: string;
  actor: { subject: string; role: ActorRole | ''; clinicId: string };
  /** Empty for a staff action that concerns no one patient (the clinic's lists). */
  patientId: string;
  action: string;
  resourceType: string;
  resourceId: string;
  outcome: AccessOutcome;
  occurredAt: Date;
  sourceIp: string;
  requestId: string;
  /** When the trail took it in. */
  keptAt: Date;
}

const DAY_MS = 24 * 60 * 60_000;

/** The oldest instant still kept: accesses before it are past the retention period. */
export const retentionCutoff = (now: Date, retentionDays: number): Date => new Date(now.getTime() - retentionDays * DAY_MS);

/**
 * What the patient's clinic is, as far as this entry proves it: the patient themself, or a
 * guardian the token lets act for them, belongs to the patient's clinic. A staff member's clinic
 * proves nothing: the services do not refuse staff of another clinic yet (issue 8, item 1).
 */
export function clinicShownBy(access: RecordAccess): string | undefined {
  const { actor, patientId, outcome } = access;
  if (outcome !== 'allowed' || !patientId || !actor.clinicId) return undefined;
  if (actor.role === 'patient' && actor.subject === patientId) return actor.clinicId;
  if (actor.role === 'guardian') return actor.clinicId;
  return undefined;
}

/** What staff may narrow a patient's history to. */
export interface AccessFilter {
  patientId: string;
  from?: Date;
  before?: Date;
  actorSubject?: string;
  outcome?: AccessOutcome;
  /** Only entries by people of this clinic (staff, while the patient's clinic is not known). */
  actorClinicId?: string;
}

export function validateFilter(filter: AccessFilter): AccessFilter {
  if (filter.from && filter.before && filter.from >= filter.before)
    throw new InvalidInput('request', [{ field: 'occurred_before', message: 'must be later than occurred_from' }]);
  if (filter.actorSubject) requireUuid(filter.actorSubject, 'actor_subject');
  return filter;
}
