// Forms and surveys (seed step 6, Documents → Forms and Surveys, Additional Surveys). The patient, a
// guardian for their patient, or staff of the patient's clinic list and read a patient's forms;
// the patient or a guardian keeps a draft and submits; staff (in the staff scope) publish the
// clinic's SurveyJS definitions, assign a form and offer a survey to every patient. The documents
// service checks the answers against the definition: the browser's checks are a convenience.
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import {
  FormStateSchema,
  type Form,
  type FormDefinition,
  type FormsService,
  type OfferedSurvey,
} from '@portico/contracts/gen/portico/documents/v1/forms_pb';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceClient } from '@portico/kit/grpc';
import { enumMapping } from '@portico/kit/vocabulary';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import {
  NextPageToken,
  Nullable,
  PageQuery,
  pageRequest,
  PatientParams,
  problemResponses,
  ref,
  StringEnum,
  Uuid,
} from '../http/schemas.js';
import { sendPdf } from './billing.js';
import { callMetadata } from './call-metadata.js';
import { fileResponse } from './organisation.js';

export type FormsClient = ServiceClient<(typeof FormsService)['method']>;

const stateNames = ['to_do', 'draft', 'submitted'] as const;
const state = enumMapping(FormStateSchema, stateNames);

const Instant = Type.String({ format: 'date-time' });
const FormKey = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'The definition’s key, e.g. "intake"' });
/** A JSON object of the clinic's own shape (a SurveyJS definition, answers by question name). */
const JsonObject = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

export const FormView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    definitionKey: Type.String(),
    definitionVersion: Type.Integer({ description: 'The version it was assigned with' }),
    title: Type.String(),
    state: StringEnum(stateNames, { description: 'to_do: nothing saved; draft: answers saved, not submitted; submitted: read-only' }),
    optional: Type.Boolean({ description: 'Started by the patient from Additional Surveys' }),
    revision: Type.Integer({ description: 'Name it when saving: a save from an older revision is refused (412)' }),
    assignedAt: Instant,
    draftSavedAt: Nullable(Instant),
    submittedAt: Nullable(Instant),
  },
  { $id: 'Form', description: 'A form or survey of the patient, with its state' },
);

export const FormDefinitionView = Type.Object(
  {
    key: Type.String(),
    version: Type.Integer(),
    title: Type.String(),
    publishedAt: Instant,
    offered: Type.Boolean({ description: 'Offered to every patient of the clinic (Additional Surveys)' }),
  },
  { $id: 'FormDefinition', description: 'The latest version of one of the clinic’s form definitions' },
);

export const OfferedSurveyView = Type.Object(
  {
    definitionKey: Type.String(),
    title: Type.String(),
    offeredAt: Instant,
    form: Nullable(ref(FormView)),
  },
  { $id: 'OfferedSurvey', description: 'An optional survey the clinic offers to all its patients' },
);

export const FormAnswers = Type.Object(
  {
    answers: JsonObject('The answers so far, by question name'),
    revision: Type.Integer({ minimum: 1, description: 'The form’s revision the answers were made from' }),
  },
  { $id: 'FormAnswers', additionalProperties: false },
);

export const formSchemas = [FormView, FormDefinitionView, OfferedSurveyView, FormAnswers];

const iso = (t: Timestamp | undefined) => (t ? timestampDate(t).toISOString() : null);

export function formJson(f: Form | undefined): Static<typeof FormView> {
  if (!f) throw new Error('service answered without a form');
  return {
    id: f.formId,
    patientId: f.patientId,
    definitionKey: f.definitionKey,
    definitionVersion: f.definitionVersion,
    title: f.title,
    state: state.fromProto(f.state) ?? 'to_do',
    optional: f.optional,
    revision: f.revision,
    assignedAt: iso(f.assignedAt) ?? '',
    draftSavedAt: iso(f.draftSavedAt),
    submittedAt: iso(f.submittedAt),
  };
}

const definitionJson = (d: FormDefinition | undefined): Static<typeof FormDefinitionView> => {
  if (!d) throw new Error('service answered without a definition');
  return { key: d.key, version: d.version, title: d.title, publishedAt: iso(d.publishedAt) ?? '', offered: d.offered };
};

const surveyJson = (s: OfferedSurvey): Static<typeof OfferedSurveyView> => ({
  definitionKey: s.definitionKey,
  title: s.title,
  offeredAt: iso(s.offeredAt) ?? '',
  form: s.form ? formJson(s.form) : null,
});

const tags = ['Forms and surveys'];
const errors = problemResponses(400, 404);
const FormParams = Type.Object({ patientId: Uuid, formId: Uuid }, { additionalProperties: false });
const SurveyParams = Type.Object({ patientId: Uuid, definitionKey: FormKey }, { additionalProperties: false });
const OneForm = Type.Object({ form: ref(FormView) });

/** The routes of a patient's forms and surveys, for the patient, their guardian, or staff of their clinic. */
export function formRoutes(app: FastifyInstance, client: FormsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/patients/:patientId/forms';

  api.get(
    base,
    {
      schema: {
        tags,
        summary: 'The patient’s forms (assigned, and surveys they started), newest first, paged',
        params: PatientParams,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: Type.Object({ forms: Type.Array(ref(FormView)), nextPageToken: NextPageToken }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listForms(
        { patientId: request.params.patientId, page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { forms: response.forms.map(formJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );
  api.get(
    `${base}/:formId`,
    {
      schema: {
        tags,
        summary: 'A form with its SurveyJS definition (the version it was assigned with) and its answers so far',
        params: FormParams,
        response: {
          200: Type.Object({ form: ref(FormView), survey: JsonObject('The SurveyJS definition'), answers: JsonObject('By question name') }),
          ...errors,
        },
      },
    },
    async (request) => {
      const response = await client.getForm(request.params, { metadata: callMetadata(request) });
      return {
        form: formJson(response.form),
        survey: JSON.parse(response.surveyJson) as Record<string, unknown>,
        answers: JSON.parse(response.answersJson || '{}') as Record<string, unknown>,
      };
    },
  );
  api.put(
    `${base}/:formId/draft`,
    {
      schema: {
        tags,
        summary: 'Keep the answers so far as the form’s draft (patient or guardian)',
        description:
          'One draft per form, whatever the device. A save made from an older revision (another tab or device saved since) is refused with 412 and changes nothing; so is a save of a submitted form.',
        params: FormParams,
        body: ref(FormAnswers),
        response: { 200: OneForm, ...problemResponses(400, 403, 404, 412) },
      },
    },
    async (request) => {
      const { answers, revision } = request.body;
      const response = await client.saveFormDraft(
        { ...request.params, answersJson: JSON.stringify(answers), revision },
        { metadata: callMetadata(request) },
      );
      return { form: formJson(response.form) };
    },
  );
  api.post(
    `${base}/:formId/submission`,
    {
      schema: {
        tags,
        summary: 'Submit the answers (patient or guardian), once; the form is read-only afterwards',
        description:
          'The answers are checked against the form’s definition: a required answer missing or an invalid one is refused (400, by question) and nothing is kept. A stale revision or a second submission is refused (412).',
        params: FormParams,
        body: ref(FormAnswers),
        response: { 200: OneForm, ...problemResponses(400, 403, 404, 412) },
      },
    },
    async (request) => {
      const { answers, revision } = request.body;
      const response = await client.submitForm(
        { ...request.params, answersJson: JSON.stringify(answers), revision },
        { metadata: callMetadata(request) },
      );
      return { form: formJson(response.form) };
    },
  );
  api.get(
    `${base}/:formId/answers.pdf`,
    {
      schema: {
        tags,
        summary: 'A submitted form’s questions and answers as a PDF',
        params: FormParams,
        response: { 200: fileResponse('The answers, as an attachment', ['application/pdf']), ...problemResponses(400, 404, 412) },
      },
    },
    async (request, reply) => {
      const response = await client.renderFormAnswers(request.params, { metadata: callMetadata(request) });
      return sendPdf(reply, { fileName: response.fileName, content: response.pdf });
    },
  );

  api.get(
    '/api/v1/patients/:patientId/surveys',
    {
      schema: {
        tags,
        summary: 'The optional surveys the patient’s clinic offers, each with the patient’s copy once started',
        params: PatientParams,
        response: { 200: Type.Object({ surveys: Type.Array(ref(OfferedSurveyView)) }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listOfferedSurveys(request.params, { metadata: callMetadata(request) });
      return { surveys: response.surveys.map(surveyJson) };
    },
  );
  api.post(
    '/api/v1/patients/:patientId/surveys/:definitionKey/start',
    {
      schema: {
        tags,
        summary:
          'Start an offered survey (patient or guardian): it becomes one of the patient’s forms; starting again answers the same form',
        params: SurveyParams,
        response: { 200: OneForm, ...problemResponses(400, 403, 404) },
      },
    },
    async (request) => {
      const response = await client.startSurvey(request.params, { metadata: callMetadata(request) });
      return { form: formJson(response.form) };
    },
  );
}

/** Staff routes, registered in the staff scope: patients and guardians are refused (403). */
export function staffFormRoutes(app: FastifyInstance, client: FormsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffTags = ['Staff', ...tags];
  const DefinitionParams = Type.Object({ key: FormKey }, { additionalProperties: false });

  api.get(
    '/api/v1/staff/forms/definitions',
    {
      schema: {
        tags: staffTags,
        summary: 'The latest version of each of the clinic’s form definitions',
        response: { 200: Type.Object({ definitions: Type.Array(ref(FormDefinitionView)) }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listFormDefinitions({}, { metadata: callMetadata(request) });
      return { definitions: response.definitions.map(definitionJson) };
    },
  );
  api.put(
    '/api/v1/staff/forms/definitions/:key',
    {
      schema: {
        tags: staffTags,
        summary: 'Publish a SurveyJS definition under a key: a changed one becomes the next version, the same one changes nothing',
        description: 'Forms already assigned keep the version they were assigned with.',
        params: DefinitionParams,
        body: Type.Object({ survey: JsonObject('The SurveyJS definition (JSON)') }, { additionalProperties: false }),
        response: { 200: Type.Object({ definition: ref(FormDefinitionView) }), ...errors },
      },
    },
    async (request) => {
      const response = await client.publishFormDefinition(
        { key: request.params.key, surveyJson: JSON.stringify(request.body.survey) },
        { metadata: callMetadata(request) },
      );
      return { definition: definitionJson(response.definition) };
    },
  );
  api.post(
    '/api/v1/staff/forms/definitions/:key/offer',
    {
      schema: {
        tags: staffTags,
        summary: 'Offer a survey to every patient of the clinic (Additional Surveys)',
        params: DefinitionParams,
        response: { 200: Type.Object({ definition: ref(FormDefinitionView) }), ...errors },
      },
    },
    async (request) => {
      const response = await client.offerSurvey({ definitionKey: request.params.key }, { metadata: callMetadata(request) });
      return { definition: definitionJson(response.definition) };
    },
  );
  api.post(
    '/api/v1/staff/patients/:patientId/forms',
    {
      schema: {
        tags: staffTags,
        summary: 'Assign the latest version of a form to a patient of the clinic',
        params: PatientParams,
        body: Type.Object({ definitionKey: FormKey }, { additionalProperties: false }),
        response: { 201: OneForm, ...errors },
      },
    },
    async (request, reply) => {
      const response = await client.assignForm(
        { patientId: request.params.patientId, definitionKey: request.body.definitionKey },
        { metadata: callMetadata(request) },
      );
      return reply.code(201).send({ form: formJson(response.form) });
    },
  );
}
