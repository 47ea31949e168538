// The facts forms publish on `portico.documents.v1`, keyed by patient id: ids, the definition's key
// and version, the draft's revision. Never a title, a question or an answer.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  FormAssignedSchema,
  FormDraftSavedSchema,
  FormSubmittedSchema,
} from '@portico/contracts/gen/portico/events/documents/v1/form_events_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Form } from '../domain/forms.js';
import { DOCUMENTS_TOPIC, type Acting } from './document-events.js';

const idsOf = (who: Acting, form: Form) => ({
  formId: form.formId,
  patientId: form.patientId,
  clinicId: form.clinicId,
  actor: actorOf(who.principal, who.actingAs),
});
const target = (form: Form, occurredAt: Date) => ({ topic: DOCUMENTS_TOPIC, key: form.patientId, occurredAt });

export function formAssigned(who: Acting, form: Form): OutboxEntry {
  const event = create(FormAssignedSchema, {
    ...idsOf(who, form),
    definitionKey: form.definitionKey,
    definitionVersion: form.definitionVersion,
    optional: form.optional,
    occurredAt: timestampFromDate(form.assignedAt),
  });
  return outboxEvent(FormAssignedSchema, event, target(form, form.assignedAt));
}

export function formDraftSaved(who: Acting, form: Form): OutboxEntry {
  const at = form.draftSavedAt!;
  const event = create(FormDraftSavedSchema, { ...idsOf(who, form), revision: form.version, occurredAt: timestampFromDate(at) });
  return outboxEvent(FormDraftSavedSchema, event, target(form, at));
}

export function formSubmitted(who: Acting, form: Form): OutboxEntry {
  const at = form.submittedAt!;
  const event = create(FormSubmittedSchema, { ...idsOf(who, form), occurredAt: timestampFromDate(at) });
  return outboxEvent(FormSubmittedSchema, event, target(form, at));
}
