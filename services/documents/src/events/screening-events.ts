// The facts screenings publish on `portico.documents.v1`, keyed by patient id: ids, the
// instrument, and for a completed one its score and band. Never the answers.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ScreeningInstrumentSchema,
  ScreeningSeveritySchema,
  type ScreeningInstrument as ScreeningInstrumentProto,
  type ScreeningSeverity as ScreeningSeverityProto,
} from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import {
  ScreeningAssignedSchema,
  ScreeningCompletedSchema,
  ScreeningRiskFlaggedSchema,
} from '@portico/contracts/gen/portico/events/documents/v1/document_events_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import { enumMapping } from '@portico/kit/vocabulary';
import { INSTRUMENTS, SEVERITIES, type Instrument, type Screening, type Severity } from '../domain/screenings.js';
import { DOCUMENTS_TOPIC, type Acting } from './document-events.js';

export const instruments = enumMapping<Instrument, ScreeningInstrumentProto>(ScreeningInstrumentSchema, INSTRUMENTS);
export const severities = enumMapping<Severity, ScreeningSeverityProto>(ScreeningSeveritySchema, SEVERITIES);

export function screeningAssigned(who: Acting, screening: Screening): OutboxEntry {
  const event = create(ScreeningAssignedSchema, {
    screeningId: screening.screeningId,
    patientId: screening.patientId,
    clinicId: screening.clinicId,
    actor: actorOf(who.principal, who.actingAs),
    instrument: instruments.toProto(screening.instrument),
    occurredAt: timestampFromDate(screening.assignedAt),
  });
  return outboxEvent(ScreeningAssignedSchema, event, {
    topic: DOCUMENTS_TOPIC,
    key: screening.patientId,
    occurredAt: screening.assignedAt,
  });
}

/** ScreeningCompleted, and ScreeningRiskFlagged when the result needs the clinic's attention. */
export function screeningCompleted(who: Acting, screening: Screening): OutboxEntry[] {
  const result = screening.result!;
  const ids = { screeningId: screening.screeningId, patientId: screening.patientId, clinicId: screening.clinicId };
  const at = { topic: DOCUMENTS_TOPIC, key: screening.patientId, occurredAt: result.completedAt };
  const completed = create(ScreeningCompletedSchema, {
    ...ids,
    actor: actorOf(who.principal, who.actingAs),
    instrument: instruments.toProto(screening.instrument),
    score: result.score,
    severity: severities.toProto(result.severity),
    occurredAt: timestampFromDate(result.completedAt),
  });
  const events = [outboxEvent(ScreeningCompletedSchema, completed, at)];
  if (result.needsAttention) {
    const flagged = create(ScreeningRiskFlaggedSchema, { ...ids, occurredAt: timestampFromDate(result.completedAt) });
    events.push(outboxEvent(ScreeningRiskFlaggedSchema, flagged, at));
  }
  return events;
}
