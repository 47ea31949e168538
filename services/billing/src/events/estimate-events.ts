// The facts of Good Faith Estimates on `portico.billing.v1`, keyed by patient id: ids and amounts
// only — never a name, a service, a code or a description.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  EstimateApprovedSchema,
  EstimateDeclinedSchema,
  EstimateExceededSchema,
  EstimateIssuedSchema,
} from '@portico/contracts/gen/portico/events/billing/v1/estimate_events_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Caller } from '@portico/kit/identity';
import { currentVersion, type DecisionKind, type Estimate, type ExceededNotice } from '../domain/estimate.js';
import { BILLING_TOPIC } from './billing-events.js';

const money = (amountMinor: number, currencyCode: string) => ({ amountMinor: BigInt(amountMinor), currencyCode });
const target = (patientId: string, at: Date) => ({ topic: BILLING_TOPIC, key: patientId, occurredAt: at });

function fields(caller: Caller, estimate: Estimate, at: Date) {
  const current = currentVersion(estimate);
  return {
    estimateId: estimate.estimateId,
    patientId: estimate.patientId,
    clinicId: estimate.clinicId,
    actor: actorOf(caller.principal, caller.actingAs),
    version: current.version,
    total: money(current.totalMinor, estimate.currency),
    occurredAt: timestampFromDate(at),
  };
}

export function estimateIssued(caller: Caller, estimate: Estimate, at: Date): OutboxEntry {
  return outboxEvent(EstimateIssuedSchema, create(EstimateIssuedSchema, fields(caller, estimate, at)), target(estimate.patientId, at));
}

export function estimateDecided(caller: Caller, estimate: Estimate, kind: DecisionKind, at: Date): OutboxEntry {
  return kind === 'approve'
    ? outboxEvent(EstimateApprovedSchema, create(EstimateApprovedSchema, fields(caller, estimate, at)), target(estimate.patientId, at))
    : outboxEvent(EstimateDeclinedSchema, create(EstimateDeclinedSchema, fields(caller, estimate, at)), target(estimate.patientId, at));
}

export function estimateExceeded(estimate: Estimate, notice: ExceededNotice, at: Date): OutboxEntry {
  const event = create(EstimateExceededSchema, {
    estimateId: estimate.estimateId,
    patientId: estimate.patientId,
    clinicId: estimate.clinicId,
    version: notice.version,
    providerNpi: notice.providerNpi,
    estimated: money(notice.estimatedMinor, estimate.currency),
    billed: money(notice.billedMinor, estimate.currency),
    invoiceIds: notice.invoiceIds,
    disputeDeadline: notice.disputeDeadline,
    occurredAt: timestampFromDate(at),
  });
  return outboxEvent(EstimateExceededSchema, event, target(estimate.patientId, at));
}
