// The facts consents publish on `portico.documents.v1`, keyed by patient id: ids and the actor,
// never a title, a text, a typed name, a contact or a release's scope.
import { create, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ConsentAssignedSchema,
  ConsentRevokedSchema,
  ConsentSignedSchema,
} from '@portico/contracts/gen/portico/events/documents/v1/consent_events_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Consent } from '../domain/consents.js';
import { DOCUMENTS_TOPIC, type Acting } from './document-events.js';

type ConsentFact = typeof ConsentAssignedSchema | typeof ConsentSignedSchema | typeof ConsentRevokedSchema;

function consentFact<S extends ConsentFact & DescMessage>(schema: S, who: Acting, consent: Consent, at: Date): OutboxEntry {
  const init = {
    consentId: consent.consentId,
    patientId: consent.patientId,
    clinicId: consent.clinicId,
    actor: actorOf(who.principal, who.actingAs),
    occurredAt: timestampFromDate(at),
  } as MessageInitShape<S>;
  return outboxEvent(schema, create(schema, init), { topic: DOCUMENTS_TOPIC, key: consent.patientId, occurredAt: at });
}

export const consentAssigned = (who: Acting, consent: Consent) => consentFact(ConsentAssignedSchema, who, consent, consent.assignedAt);
export const consentSigned = (who: Acting, consent: Consent) => consentFact(ConsentSignedSchema, who, consent, consent.signedAt!);
export const consentRevoked = (who: Acting, consent: Consent) =>
  consentFact(ConsentRevokedSchema, who, consent, consent.release!.revokedAt!);
