// Turns the documents topic's facts into "something new was shared" notices: a clinical document
// shared with a patient, or a resource shared with one patient; and a screening flagged for the
// clinic's attention into a notice for the clinic's designated address. (A resource for every patient of
// the clinic is not emailed to each of them: it is there for whoever opens Documents.) The event's
// id is the notice's id, so a redelivery adds nothing; the delivery job sends.
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { ResourceAudience } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import {
  DocumentSharedSchema,
  ResourceSharedSchema,
  ScreeningRiskFlaggedSchema,
} from '@portico/contracts/gen/portico/events/documents/v1/document_events_pb';
import { ConsentAssignedSchema } from '@portico/contracts/gen/portico/events/documents/v1/consent_events_pb';
import { FormAssignedSchema } from '@portico/contracts/gen/portico/events/documents/v1/form_events_pb';
import { UUID_PATTERN } from '@portico/kit/domain';
import { EventConsumer, on, PoisonMessageError, type ConsumerStart, type ReceivedEvent } from '@portico/kit/eventing';
import type { PeriodicJob } from '@portico/kit/jobs';
import type { Platform } from '@portico/kit/runtime';
import type { Timestamp } from '@bufbuild/protobuf/wkt';
import type { NotificationRepositories } from '../store/notification-store.js';

export const DOCUMENTS_TOPIC = 'portico.documents.v1';

export function documentConsumer(
  { kafka, connection, logger, clock }: Pick<Platform, 'kafka' | 'connection' | 'logger' | 'clock'>,
  deps: Pick<NotificationRepositories, 'notices'> & { groupId: string; start: ConsumerStart; delivery: PeriodicJob },
): EventConsumer {
  async function notice(
    kind: 'shared' | 'screening_flagged' | 'consent_assigned' | 'form_assigned',
    itemId: string,
    patientId: string,
    clinicId: string,
    occurredAt: Timestamp | undefined,
    envelope: ReceivedEvent,
  ) {
    if (!UUID_PATTERN.test(patientId) || !itemId) throw new PoisonMessageError(`${kind} event without patient or item`);
    if (kind === 'screening_flagged' && !clinicId) throw new PoisonMessageError('screening_flagged event without clinic');
    const now = clock();
    await deps.notices.add({
      noticeId: envelope.id,
      kind,
      appointmentId: itemId,
      patientId: patientId.toLowerCase(),
      clinicId,
      startsAt: occurredAt ? timestampDate(occurredAt) : envelope.time,
      previousStartsAt: undefined,
      timeZone: '',
      mode: 'unspecified',
      reminderId: undefined,
      createdAt: now,
    });
    deps.delivery.wake();
  }

  return new EventConsumer({
    kafka,
    connection,
    logger,
    // Its own group: the documents topic is read apart from the appointments topic.
    groupId: `${deps.groupId}-documents`,
    startAt: deps.start,
    topics: [DOCUMENTS_TOPIC],
    handlers: [
      on(DocumentSharedSchema, (event, envelope) =>
        notice('shared', event.documentId, event.patientId, event.clinicId, event.occurredAt, envelope),
      ),
      on(ResourceSharedSchema, async (event, envelope) => {
        if (event.audience !== ResourceAudience.PATIENT) return;
        await notice('shared', event.resourceId, event.patientId, event.clinicId, event.occurredAt, envelope);
      }),
      // A form staff assigned; one the patient started from Additional Surveys needs no email.
      on(FormAssignedSchema, async (event, envelope) => {
        if (event.optional) return;
        await notice('form_assigned', event.formId, event.patientId, event.clinicId, event.occurredAt, envelope);
      }),
      // The clinic is told, once per event (its id is the notice's), at its designated address.
      on(ScreeningRiskFlaggedSchema, (event, envelope) =>
        notice('screening_flagged', event.screeningId, event.patientId, event.clinicId, event.occurredAt, envelope),
      ),
      // A consent to sign: the patient and each guardian are told, with a link to Consents.
      on(ConsentAssignedSchema, (event, envelope) =>
        notice('consent_assigned', event.consentId, event.patientId, event.clinicId, event.occurredAt, envelope),
      ),
    ],
  });
}
