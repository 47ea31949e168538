// The FormsService handlers. Staff publish the clinic's definitions, assign a form to a patient of
// their clinic and offer surveys to all its patients; the patient or a guardian starts an offered
// survey, keeps a draft and submits once; whoever may act for the patient reads the form (every
// read audited) and a submitted one's answers as a PDF. Anyone else gets NOT_FOUND.
import { randomUUID } from 'node:crypto';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { FormStateSchema, type FormsService, type FormState as FormStateProto } from '@portico/contracts/gen/portico/documents/v1/forms_pb';
import { auditEvent } from '@portico/kit/audit';
import { InvalidInput, NotAllowedNow, NotFound, NotPermitted, requireUuid, VersionConflict, type Clock } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import {
  auditRead,
  authorisePatient,
  authoriseStaff,
  authoriseStaffFor,
  patientScope,
  type Caller,
  type RequestContext,
} from '@portico/kit/requests';
import { enumMapping } from '@portico/kit/vocabulary';
import {
  ALREADY_SUBMITTED,
  answerLines,
  checkDefinition,
  FORM_KEY,
  FORM_STATES,
  newForm,
  saveDraft,
  STALE_COPY,
  submit,
  surveyFormId,
  type Form,
  type FormDefinition,
  type FormState,
} from '../domain/forms.js';
import { formAssigned, formDraftSaved, formSubmitted } from '../events/form-events.js';
import { renderFormAnswersPdf } from '../files/form-answers-pdf.js';
import type { FormDefinitionRepository, FormRepository, SurveyOfferRepository } from '../store/form-store.js';
import { clinicOfPatient } from './handler-deps.js';

type Methods = (typeof FormsService)['method'];

export const FORM = 'form';
const FORM_DEFINITION = 'form_definition';

export interface FormHandlerDeps {
  forms: FormRepository;
  definitions: FormDefinitionRepository;
  offers: SurveyOfferRepository;
  clock: Clock;
}

const states = enumMapping<FormState, FormStateProto>(FormStateSchema, FORM_STATES);

export const formMessage = (f: Form) => ({
  formId: f.formId,
  patientId: f.patientId,
  definitionKey: f.definitionKey,
  definitionVersion: f.definitionVersion,
  title: f.title,
  state: states.toProto(f.state),
  optional: f.optional,
  revision: f.version,
  assignedAt: timestampFromDate(f.assignedAt),
  ...(f.draftSavedAt ? { draftSavedAt: timestampFromDate(f.draftSavedAt) } : {}),
  ...(f.submittedAt ? { submittedAt: timestampFromDate(f.submittedAt) } : {}),
});

const definitionMessage = (d: FormDefinition, offered: boolean) => ({
  key: d.key,
  version: d.definitionVersion,
  title: d.title,
  surveyJson: d.surveyJson,
  publishedAt: timestampFromDate(d.publishedAt),
  offered,
});

const requireKey = (key: string, field = 'definition_key') => {
  if (!FORM_KEY.test(key)) throw new InvalidInput('request', [{ field, message: 'must be a form key such as "intake"' }]);
  return key;
};

export function formsHandlers(deps: FormHandlerDeps): ServiceHandlers<Methods> {
  const { forms, definitions, offers, clock } = deps;
  const attempt = (action: string, resourceType = FORM) => ({ action, resourceType });

  async function latestDefinition(clinicId: string, key: string) {
    const definition = await definitions.latest(clinicId, requireKey(key));
    if (!definition) throw new NotFound('form definition not found');
    return definition;
  }

  async function formOf(caller: Caller, formId: string) {
    const form = await forms.find(patientScope(caller), requireUuid(formId, 'form_id'));
    if (!form) throw new NotFound('form not found');
    const definition = await definitions.version(form.clinicId, form.definitionKey, form.definitionVersion);
    // A form always refers to a published version; its absence is a broken store, not the caller's fault.
    if (!definition) throw new Error('the definition version of a form is missing');
    return { form, definition };
  }

  /** The caller filling the form in: the patient or a guardian, never staff (the answers are the patient's). */
  async function answerer(ctx: RequestContext, patientId: string, action: string) {
    const caller = await authorisePatient(ctx, patientId, attempt(action));
    if (caller.actingAs === 'staff') throw new NotPermitted('only the patient or a guardian fills a form in');
    return caller;
  }

  /** Writes a change of an open form; a writer who lost the race is told why, by what is stored now. */
  async function change(caller: Caller, form: Form, next: Form, events: Parameters<FormRepository['replace']>[2]) {
    try {
      return await forms.replace(form, next, events, { state: { $ne: 'submitted' } });
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      const now = await forms.find(patientScope(caller), form.formId);
      throw new NotAllowedNow(now?.state === 'submitted' ? ALREADY_SUBMITTED : STALE_COPY);
    }
  }

  return {
    async publishFormDefinition(request, ctx) {
      const staff = await authoriseStaff(ctx, attempt('forms.publish', FORM_DEFINITION));
      const { title, surveyJson } = checkDefinition(request.key, request.surveyJson);
      for (;;) {
        const latest = await definitions.latest(staff.clinicId, request.key);
        const offered = !!(await offers.find(staff.clinicId, request.key));
        // The same JSON again (a retried publish, the seed run twice) is the version that holds.
        if (latest?.surveyJson === surveyJson) return { definition: definitionMessage(latest, offered) };
        const definition: FormDefinition = {
          clinicId: staff.clinicId,
          key: request.key,
          definitionVersion: (latest?.definitionVersion ?? 0) + 1,
          title,
          surveyJson,
          publishedBy: staff.principal.subject,
          publishedAt: clock(),
        };
        if (await definitions.tryAdd(definition)) return { definition: definitionMessage(definition, offered) };
        // Another publish took this version number: look again.
      }
    },

    async listFormDefinitions(_request, ctx) {
      const staff = await authoriseStaff(ctx, attempt('forms.definitions', FORM_DEFINITION));
      const [latest, offered] = await Promise.all([definitions.latestOfClinic(staff.clinicId), offers.ofClinic(staff.clinicId)]);
      const offeredKeys = new Set(offered.map((o) => o.definitionKey));
      return { definitions: latest.map((d) => definitionMessage(d, offeredKeys.has(d.key))) };
    },

    async assignForm(request, ctx) {
      const action = 'forms.assign';
      const caller = await authoriseStaffFor(ctx, request.patientId, attempt(action));
      const definition = await latestDefinition(caller.principal.clinicId ?? '', request.definitionKey);
      const form = newForm(definition, {
        formId: randomUUID(),
        patientId: caller.patientId,
        optional: false,
        assignedBy: caller.principal.subject,
        assignedAt: clock(),
      });
      await forms.add(form, [formAssigned(caller, form), auditEvent(caller, { ...attempt(action), resourceId: form.formId })]);
      return { form: formMessage(form) };
    },

    async offerSurvey(request, ctx) {
      const staff = await authoriseStaff(ctx, attempt('forms.offer', FORM_DEFINITION));
      const definition = await latestDefinition(staff.clinicId, request.definitionKey);
      const offer = await offers.offer({
        clinicId: staff.clinicId,
        definitionKey: definition.key,
        definitionVersion: definition.definitionVersion,
        title: definition.title,
        offeredBy: staff.principal.subject,
        offeredAt: clock(),
      });
      const offeredVersion = await definitions.version(staff.clinicId, offer.definitionKey, offer.definitionVersion);
      return { definition: definitionMessage(offeredVersion ?? definition, true) };
    },

    async listForms(request, ctx) {
      const action = 'forms.list';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const page = pageOf(request.page);
      const found = await forms.list(patientScope(caller), page);
      await auditRead(ctx, caller, attempt(action));
      return { forms: found.map(formMessage), page: { nextPageToken: nextPageToken(page, found.length) } };
    },

    async listOfferedSurveys(request, ctx) {
      const action = 'forms.surveys';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const clinicId = await clinicOfPatient(ctx, caller);
      const offered = clinicId ? await offers.ofClinic(clinicId) : [];
      const copies = await forms.surveyCopies(
        patientScope(caller),
        offered.map((o) => surveyFormId(caller.patientId, clinicId, o.definitionKey)),
      );
      const copyOf = new Map(copies.map((f) => [f.formId, f]));
      await auditRead(ctx, caller, attempt(action));
      return {
        surveys: offered.map((o) => {
          const copy = copyOf.get(surveyFormId(caller.patientId, clinicId, o.definitionKey));
          return {
            definitionKey: o.definitionKey,
            definitionVersion: o.definitionVersion,
            title: o.title,
            offeredAt: timestampFromDate(o.offeredAt),
            ...(copy ? { form: formMessage(copy) } : {}),
          };
        }),
      };
    },

    async startSurvey(request, ctx) {
      const action = 'forms.start';
      const caller = await answerer(ctx, request.patientId, action);
      const clinicId = await clinicOfPatient(ctx, caller);
      const offer = await offers.find(clinicId, requireKey(request.definitionKey));
      if (!offer) throw new NotFound('survey not offered');
      const definition = await definitions.version(clinicId, offer.definitionKey, offer.definitionVersion);
      if (!definition) throw new Error('the definition version of an offer is missing');
      const form = newForm(definition, {
        formId: surveyFormId(caller.patientId, clinicId, offer.definitionKey),
        patientId: caller.patientId,
        optional: true,
        assignedBy: caller.principal.subject,
        assignedAt: clock(),
      });
      const audit = auditEvent(caller, { ...attempt(action), resourceId: form.formId });
      if (await forms.tryAdd(form, [formAssigned(caller, form), audit])) return { form: formMessage(form) };
      // Started before (or from another device at the same time): the one form there is.
      const existing = await forms.find(patientScope(caller), form.formId);
      if (!existing) throw new VersionConflict('form');
      return { form: formMessage(existing) };
    },

    async getForm(request, ctx) {
      const action = 'forms.read';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const { form, definition } = await formOf(caller, request.formId);
      await auditRead(ctx, caller, { ...attempt(action), resourceId: form.formId });
      // A draft is the patient's work in progress: the clinic reads the answers once they are submitted.
      const answersJson = caller.actingAs === 'staff' && form.state !== 'submitted' ? '{}' : form.answersJson;
      return { form: formMessage(form), surveyJson: definition.surveyJson, answersJson };
    },

    async saveFormDraft(request, ctx) {
      const action = 'forms.save_draft';
      const caller = await answerer(ctx, request.patientId, action);
      const { form, definition } = await formOf(caller, request.formId);
      const next = saveDraft(form, definition.surveyJson, request.answersJson, request.revision, clock());
      const events = [formDraftSaved(caller, next), auditEvent(caller, { ...attempt(action), resourceId: form.formId })];
      return { form: formMessage(await change(caller, form, next, events)) };
    },

    async submitForm(request, ctx) {
      const action = 'forms.submit';
      const caller = await answerer(ctx, request.patientId, action);
      const { form, definition } = await formOf(caller, request.formId);
      const next = submit(form, definition.surveyJson, request.answersJson, request.revision, caller.principal.subject, clock());
      const events = [formSubmitted(caller, next), auditEvent(caller, { ...attempt(action), resourceId: form.formId })];
      return { form: formMessage(await change(caller, form, next, events)) };
    },

    async renderFormAnswers(request, ctx) {
      const action = 'forms.download';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const { form, definition } = await formOf(caller, request.formId);
      if (form.state !== 'submitted') throw new NotAllowedNow('this form has not been submitted yet');
      const submittedAt = form.submittedAt!;
      const pdf = await renderFormAnswersPdf({
        title: form.title,
        about: [
          `Submitted ${submittedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
          `Form "${form.definitionKey}", version ${form.definitionVersion}`,
        ],
        answers: answerLines(definition.surveyJson, form.answersJson),
      });
      await auditRead(ctx, caller, { ...attempt(action), resourceId: form.formId });
      return { fileName: `${form.definitionKey}-${submittedAt.toISOString().slice(0, 10)}.pdf`, pdf };
    },
  };
}
