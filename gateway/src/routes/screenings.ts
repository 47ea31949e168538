// Screenings (seed step 6, Resources): the PHQ-9 and GAD-7. The patient, a guardian for their
// patient, or staff of the patient's clinic list a patient's screenings and read one with its
// questions, result and trend; the patient or a guardian submits the answers. Staff (in the staff
// scope) assign one. Scores and bands come from the documents service, never from the browser.
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import {
  ScreeningInstrumentSchema,
  ScreeningSeveritySchema,
  type Screening,
  type ScreeningTrendPoint,
} from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
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
import { callMetadata } from './call-metadata.js';
import type { DocumentsClient } from './documents.js';

const instrumentNames = ['phq9', 'gad7'] as const;
const severityNames = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'] as const;
const instrument = enumMapping(ScreeningInstrumentSchema, instrumentNames);
const severity = enumMapping(ScreeningSeveritySchema, severityNames);

const Instant = Type.String({ format: 'date-time' });
const Severity = StringEnum(severityNames, { description: 'The severity band of the score' });

export const ScreeningView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    instrument: StringEnum(instrumentNames, { description: 'phq9: PHQ-9 (depression, 0–27); gad7: GAD-7 (anxiety, 0–21)' }),
    assignedAt: Instant,
    result: Nullable(
      Type.Object({
        score: Type.Integer(),
        maxScore: Type.Integer(),
        severity: Severity,
        needsAttention: Type.Boolean({ description: 'A PHQ-9 item 9 answered above zero: show crisis resources at once' }),
        completedAt: Instant,
      }),
    ),
  },
  { $id: 'Screening', description: 'A PHQ-9 or GAD-7 assigned to the patient; its result once completed' },
);

export const ScreeningTrendView = Type.Object(
  { screeningId: Uuid, score: Type.Integer(), severity: Severity, completedAt: Instant },
  { $id: 'ScreeningTrendPoint', description: 'A completed screening of the same instrument' },
);

export const ScreeningQuestionnaireView = Type.Object(
  {
    title: Type.String(),
    question: Type.String(),
    items: Type.Array(Type.String()),
    choices: Type.Array(Type.Object({ value: Type.Integer(), label: Type.String() })),
  },
  { $id: 'ScreeningQuestionnaire', description: 'The instrument’s items and the answer choices every item offers' },
);

export const ScreeningAnswers = Type.Object(
  { answers: Type.Array(Type.Integer(), { maxItems: 20, description: 'One per item, in order, each 0 to 3' }) },
  { $id: 'ScreeningAnswers', additionalProperties: false },
);

export const screeningSchemas = [ScreeningView, ScreeningTrendView, ScreeningQuestionnaireView, ScreeningAnswers];

const iso = (t: Timestamp | undefined) => (t ? timestampDate(t).toISOString() : '');

export function screeningJson(s: Screening): Static<typeof ScreeningView> {
  return {
    id: s.screeningId,
    patientId: s.patientId,
    instrument: instrument.fromProto(s.instrument) ?? 'phq9',
    assignedAt: iso(s.assignedAt),
    result: s.result
      ? {
          score: s.result.score,
          maxScore: s.result.maxScore,
          severity: severity.fromProto(s.result.severity) ?? 'minimal',
          needsAttention: s.result.needsAttention,
          completedAt: iso(s.result.completedAt),
        }
      : null,
  };
}

const trendJson = (t: ScreeningTrendPoint): Static<typeof ScreeningTrendView> => ({
  screeningId: t.screeningId,
  score: t.score,
  severity: severity.fromProto(t.severity) ?? 'minimal',
  completedAt: iso(t.completedAt),
});

const tags = ['Screenings'];
const errors = problemResponses(400, 404);
const ScreeningParams = Type.Object({ patientId: Uuid, screeningId: Uuid }, { additionalProperties: false });
const Outcome = Type.Object({ screening: ref(ScreeningView), trend: Type.Array(ref(ScreeningTrendView)) });

/** The routes of a patient's screenings, for the patient, their guardian, or staff of their clinic. */
export function screeningRoutes(app: FastifyInstance, client: DocumentsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/patients/:patientId/screenings';

  api.get(
    base,
    {
      schema: {
        tags,
        summary: 'The patient’s screenings, assigned and completed, newest first, paged',
        params: PatientParams,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: Type.Object({ screenings: Type.Array(ref(ScreeningView)), nextPageToken: NextPageToken }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listScreenings(
        { patientId: request.params.patientId, page: pageRequest(request.query) },
        { metadata: callMetadata(request) },
      );
      return { screenings: response.screenings.map(screeningJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );
  api.get(
    `${base}/:screeningId`,
    {
      schema: {
        tags,
        summary: 'A screening with its questions, its result once completed, and the trend over earlier ones of its kind',
        params: ScreeningParams,
        response: {
          200: Type.Object({
            screening: ref(ScreeningView),
            questionnaire: ref(ScreeningQuestionnaireView),
            trend: Type.Array(ref(ScreeningTrendView), { description: 'Completed ones of the same instrument, oldest first' }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const response = await client.getScreening(request.params, { metadata: callMetadata(request) });
      const q = response.questionnaire;
      return {
        screening: screeningJson(response.screening!),
        questionnaire: { title: q?.title ?? '', question: q?.question ?? '', items: q?.items ?? [], choices: q?.choices ?? [] },
        trend: response.trend.map(trendJson),
      };
    },
  );
  api.post(
    `${base}/:screeningId/answers`,
    {
      schema: {
        tags,
        summary: 'Submit the answers (patient or guardian), once; the result and the trend come back',
        description:
          'Every item is required and each answer is 0 to 3; anything else is refused by item and nothing is kept. A second submission is refused (412, saying it was completed already).',
        params: ScreeningParams,
        body: ref(ScreeningAnswers),
        response: { 200: Outcome, ...problemResponses(400, 403, 404, 412) },
      },
    },
    async (request) => {
      const response = await client.submitScreening(
        { ...request.params, answers: request.body.answers },
        { metadata: callMetadata(request) },
      );
      return { screening: screeningJson(response.screening!), trend: response.trend.map(trendJson) };
    },
  );
}

/** Staff routes, registered in the staff scope: patients and guardians are refused (403). */
export function staffScreeningRoutes(app: FastifyInstance, client: DocumentsClient): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/api/v1/staff/patients/:patientId/screenings',
    {
      schema: {
        tags: ['Staff', ...tags],
        summary: 'Assign a PHQ-9 or GAD-7 to a patient of the clinic',
        params: PatientParams,
        body: Type.Object({ instrument: StringEnum(instrumentNames) }, { additionalProperties: false }),
        response: { 201: Type.Object({ screening: ref(ScreeningView) }), ...errors },
      },
    },
    async (request, reply) => {
      const response = await client.assignScreening(
        { patientId: request.params.patientId, instrument: instrument.toProto(request.body.instrument) },
        { metadata: callMetadata(request) },
      );
      return reply.code(201).send({ screening: screeningJson(response.screening!) });
    },
  );
}
