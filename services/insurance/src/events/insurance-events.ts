// The facts the insurance service publishes on `portico.insurance.v1`, keyed by patient id. They
// carry ids, the priority and the names of changed fields, never the payer, member id, subscriber,
// photos or staff's message.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  InsuranceAddedSchema,
  InsuranceDeactivatedSchema,
  InsuranceNeedsInformationSchema,
  InsuranceUpdatedSchema,
  InsuranceVerifiedSchema,
} from '@portico/contracts/gen/portico/events/insurance/v1/insurance_events_pb';
import {
  CoveragePrioritySchema,
  type CoveragePriority as CoveragePriorityProto,
} from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Caller } from '@portico/kit/identity';
import { enumMapping } from '@portico/kit/vocabulary';
import { PRIORITIES, type Coverage, type CoveragePriority } from '../domain/coverage.js';

export const INSURANCE_TOPIC = 'portico.insurance.v1';

export const priorities = enumMapping<CoveragePriority, CoveragePriorityProto>(CoveragePrioritySchema, PRIORITIES);

function common(caller: Caller, coverage: Coverage) {
  return {
    coverageId: coverage.coverageId,
    patientId: coverage.patientId,
    clinicId: coverage.clinicId,
    actor: actorOf(caller.principal, caller.actingAs),
    occurredAt: timestampFromDate(coverage.updatedAt),
    version: BigInt(coverage.version),
  };
}

const target = (coverage: Coverage) => ({ topic: INSURANCE_TOPIC, key: coverage.patientId, occurredAt: coverage.updatedAt });

export function insuranceAdded(caller: Caller, coverage: Coverage): OutboxEntry {
  const event = create(InsuranceAddedSchema, { ...common(caller, coverage), priority: priorities.toProto(coverage.details.priority) });
  return outboxEvent(InsuranceAddedSchema, event, target(coverage));
}

export function insuranceUpdated(caller: Caller, coverage: Coverage, changedFields: string[]): OutboxEntry {
  const event = create(InsuranceUpdatedSchema, {
    ...common(caller, coverage),
    priority: priorities.toProto(coverage.details.priority),
    changedFields,
  });
  return outboxEvent(InsuranceUpdatedSchema, event, target(coverage));
}

export function insuranceDeactivated(caller: Caller, coverage: Coverage): OutboxEntry {
  return outboxEvent(InsuranceDeactivatedSchema, create(InsuranceDeactivatedSchema, common(caller, coverage)), target(coverage));
}

export function insuranceVerified(caller: Caller, coverage: Coverage): OutboxEntry {
  return outboxEvent(InsuranceVerifiedSchema, create(InsuranceVerifiedSchema, common(caller, coverage)), target(coverage));
}

export function insuranceNeedsInformation(caller: Caller, coverage: Coverage): OutboxEntry {
  return outboxEvent(InsuranceNeedsInformationSchema, create(InsuranceNeedsInformationSchema, common(caller, coverage)), target(coverage));
}
