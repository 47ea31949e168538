// Forms and surveys: a clinic's SurveyJS definitions, versioned by key, and the forms assigned to
// patients with their draft and submitted answers. The answers are checked with the same
// definition the browser renders (survey-core runs here without a page), so a required answer is
// required whoever calls the service. No I/O here.
import { createHash } from 'node:crypto';
import { InvalidInput, NotAllowedNow, type Violation } from '@portico/kit/domain';
import { Model, type Question } from 'survey-core';

export const FORM_STATES = ['to_do', 'draft', 'submitted'] as const;
export type FormState = (typeof FORM_STATES)[number];

/** "intake", "demographics": what staff and the seed name a definition by. */
export const FORM_KEY = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** A definition or a set of answers larger than this is refused: forms are questionnaires, not files. */
export const MAX_JSON_BYTES = 256 * 1024;

export interface FormDefinition {
  clinicId: string;
  key: string;
  definitionVersion: number;
  title: string;
  /** The SurveyJS JSON as published (normalised: parsed and written again). */
  surveyJson: string;
  publishedBy: string;
  publishedAt: Date;
}

/** A survey the clinic offers to every patient, pinned to the version it was offered at. */
export interface SurveyOffer {
  clinicId: string;
  definitionKey: string;
  definitionVersion: number;
  title: string;
  offeredBy: string;
  offeredAt: Date;
}

export interface Form {
  formId: string;
  patientId: string;
  clinicId: string;
  definitionKey: string;
  /** The version it was assigned with: later versions of the definition do not change it. */
  definitionVersion: number;
  title: string;
  /** Started by the patient from Additional Surveys rather than assigned by staff. */
  optional: boolean;
  state: FormState;
  /** The answers so far, a JSON object by question name ("{}" before any). */
  answersJson: string;
  assignedBy: string;
  assignedAt: Date;
  draftSavedAt: Date | null;
  submittedBy: string;
  submittedAt: Date | null;
  /** Grows with every change; the revision a client saves from must be this one. */
  version: number;
}

/** What a stale copy is told: clear enough for a person to know what to do. */
export const STALE_COPY =
  'These answers come from an older copy of the form: they were saved since from another tab or device. Reload the form to continue from the latest answers.';
export const ALREADY_SUBMITTED = 'this form was submitted already and can no longer be changed';

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

function parseObject(json: string, field: string, what: string): Record<string, unknown> {
  if (byteLength(json) > MAX_JSON_BYTES) throw new InvalidInput(what, [{ field, message: `must be at most ${MAX_JSON_BYTES / 1024} KiB` }]);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new InvalidInput(what, [{ field, message: 'must be JSON' }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidInput(what, [{ field, message: 'must be a JSON object' }]);
  return value as Record<string, unknown>;
}

/**
 * Models of the definitions in use, newest use last. Building one costs survey-core ~20 ms (a
 * draft save would spend most of its time there); a published version never changes, and a model
 * is only used synchronously (data set, validated, read, in one go), so one per definition serves
 * every request.
 */
const models = new Map<string, Model>();
const MODELS_KEPT = 50;

/** The survey model of a published definition, with no answers in it. */
function surveyOf(surveyJson: string): Model {
  let survey = models.get(surveyJson);
  if (survey) models.delete(surveyJson);
  else survey = new Model(JSON.parse(surveyJson));
  models.set(surveyJson, survey);
  if (models.size > MODELS_KEPT) models.delete(models.keys().next().value!);
  survey.clear(true, true);
  return survey;
}

/**
 * A definition checked before it is published: a known key, JSON SurveyJS reads without error, a
 * title, at least one question, and question names that are unique and usable as answer keys.
 */
export function checkDefinition(key: string, surveyJson: string): { title: string; surveyJson: string } {
  const violations: Violation[] = [];
  if (!FORM_KEY.test(key)) violations.push({ field: 'key', message: 'must be lower case letters, digits and dashes (at most 40)' });
  const json = parseObject(surveyJson, 'survey_json', 'form definition');
  const survey = new Model(json);
  for (const error of survey.jsonErrors ?? []) violations.push({ field: 'survey_json', message: error.message });
  const title = typeof json.title === 'string' ? json.title.trim() : '';
  if (!title) violations.push({ field: 'survey_json.title', message: 'is required: patients see it in their list' });
  const names = survey.getAllQuestions().map((q) => q.getValueName());
  if (names.length === 0) violations.push({ field: 'survey_json', message: 'must hold at least one question' });
  const seen = new Set<string>();
  for (const name of names) {
    // Stored answers are keys of a JSON object kept in MongoDB: no dots, no leading $.
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,79}$/.test(name))
      violations.push({ field: `survey_json.${name}`, message: 'question names must be letters, digits, _ and - (at most 80)' });
    if (seen.has(name)) violations.push({ field: `survey_json.${name}`, message: 'is the name of two questions' });
    seen.add(name);
  }
  if (violations.length) throw new InvalidInput('form definition', violations);
  return { title, surveyJson: JSON.stringify(json) };
}

/** Answer keys a definition allows: each question's name, and the comment SurveyJS keeps beside a choice question's "Other". */
function allowedKeys(survey: Model): Set<string> {
  const keys = new Set<string>();
  for (const question of survey.getAllQuestions()) {
    keys.add(question.getValueName());
    keys.add(`${question.getValueName()}${survey.commentSuffix}`);
  }
  return keys;
}

/**
 * The answers parsed and checked against the definition. Every answer must belong to a question;
 * when `complete`, every visible question must also pass its own rules (required, validators),
 * each broken one named by question. Returns the answers as they will be stored.
 */
export function checkAnswers(surveyJson: string, answersJson: string, complete: boolean): string {
  const answers = parseObject(answersJson, 'answers_json', 'answers');
  const survey = surveyOf(surveyJson);
  const allowed = allowedKeys(survey);
  const violations: Violation[] = Object.keys(answers)
    .filter((key) => !allowed.has(key))
    .map((key) => ({ field: `answers.${key.slice(0, 80)}`, message: 'is not a question of this form' }));
  if (complete && violations.length === 0) {
    survey.data = answers;
    for (const question of survey.getAllQuestions(true) as Question[]) {
      if (question.validate(true)) continue;
      const message = question.errors.map((e) => e.getText()).join(' ') || 'is not valid';
      violations.push({ field: `answers.${question.getValueName()}`, message });
    }
  }
  if (violations.length) throw new InvalidInput('answers', violations);
  return JSON.stringify(answers);
}

function assertOpen(form: Form, revision: number) {
  if (form.state === 'submitted') throw new NotAllowedNow(ALREADY_SUBMITTED);
  if (revision !== form.version) throw new NotAllowedNow(STALE_COPY);
}

/** The form with its answers so far kept as its draft. */
export function saveDraft(form: Form, surveyJson: string, answersJson: string, revision: number, at: Date): Form {
  assertOpen(form, revision);
  const answers = checkAnswers(surveyJson, answersJson, false);
  return { ...form, state: 'draft', answersJson: answers, draftSavedAt: at, version: form.version + 1 };
}

/** The form submitted: complete answers, read-only from now on. */
export function submit(form: Form, surveyJson: string, answersJson: string, revision: number, by: string, at: Date): Form {
  assertOpen(form, revision);
  const answers = checkAnswers(surveyJson, answersJson, true);
  return { ...form, state: 'submitted', answersJson: answers, submittedBy: by, submittedAt: at, version: form.version + 1 };
}

/** A question and the patient's answer as a person reads it, in the definition's order. */
export interface AnswerLine {
  question: string;
  answer: string;
}

function displayOf(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.map(displayOf).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The answers with each question's title and the choice texts rather than their values. */
export function answerLines(surveyJson: string, answersJson: string): AnswerLine[] {
  const survey = surveyOf(surveyJson);
  survey.data = JSON.parse(answersJson);
  return survey.getPlainData({ includeEmpty: true }).map((item) => ({
    question: String(item.title || item.name),
    answer: displayOf(item.displayValue),
  }));
}

/**
 * The one form a patient has of an offered survey: its id follows from the patient, clinic and
 * key, so starting a survey twice (two devices at once) finds the same form.
 */
export function surveyFormId(patientId: string, clinicId: string, key: string): string {
  const hex = createHash('sha256').update(`survey:${clinicId}:${key}:${patientId}`).digest('hex');
  // Shaped as a version 8 (custom) UUID, like every other id of the service.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A new form of `definition` for a patient, nothing answered yet. */
export function newForm(
  definition: Pick<FormDefinition, 'clinicId' | 'key' | 'definitionVersion' | 'title'>,
  fields: { formId: string; patientId: string; optional: boolean; assignedBy: string; assignedAt: Date },
): Form {
  return {
    ...fields,
    clinicId: definition.clinicId,
    definitionKey: definition.key,
    definitionVersion: definition.definitionVersion,
    title: definition.title,
    state: 'to_do',
    answersJson: '{}',
    draftSavedAt: null,
    submittedBy: '',
    submittedAt: null,
    version: 1,
  };
}
