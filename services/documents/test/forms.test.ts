// Forms and surveys against the real servers: staff publish the example definitions and assign the
// intake questionnaire; the patient keeps a draft and submits it, checked by the same SurveyJS
// definition; a new version leaves assigned forms on theirs; offered surveys are started once per
// patient; staff read the answers and download them as a PDF. Refused with nothing stored: a
// required answer missing (through the API), a draft from a stale copy, a form of another patient,
// another clinic's staff. Events carry ids only; every read is audited.
import { readFileSync } from 'node:fs';
import { fromBinary, type DescMessage } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { FormsService, FormState } from '@portico/contracts/gen/portico/documents/v1/forms_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import {
  FormAssignedSchema,
  FormDraftSavedSchema,
  FormSubmittedSchema,
} from '@portico/contracts/gen/portico/events/documents/v1/form_events_pb';
import { connectService, type ServiceClient } from '@portico/kit/grpc';
import { recordTopics } from '@portico/testing';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, failure, ofType, startWorld, violationsOf, type Clinic, type Person, type World } from './harness.js';

const example = (name: string) => readFileSync(new URL(`../../../deploy/local/forms/${name}.json`, import.meta.url), 'utf8');
const intake = example('intake');
const demographics = example('demographics');
const answered = { reason: 'Trouble sleeping since the spring', previousCare: 'no', consentToContact: true };

let world: World;
let forms: ServiceClient<(typeof FormsService)['method']>;
let riverside: Clinic;
let hillside: Clinic;
let patient: Person;
let guardian: Person;
let otherPatient: Person;
let topics: Awaited<ReturnType<typeof recordTopics>>;

beforeAll(async () => {
  topics = await recordTopics(['portico.documents.v1', 'portico.audit.v1'], { fromNow: true });
  world = await startWorld();
  forms = connectService(FormsService, world.address, { defaultTimeoutMs: 60_000 });
  [riverside, hillside] = await Promise.all([world.clinic(), world.clinic()]);
  [patient, otherPatient] = await Promise.all([world.person(['patient'], riverside), world.person(['patient'], riverside)]);
  guardian = await world.person(['guardian'], riverside, [patient.id]);
  for (const clinic of [riverside, hillside]) {
    await forms.publishFormDefinition({ key: 'intake', surveyJson: intake }, await as(clinic.staff));
    await forms.publishFormDefinition({ key: 'demographics', surveyJson: demographics }, await as(clinic.staff));
  }
});

afterAll(async () => {
  forms?.close();
  await topics?.stop();
  await world?.stop();
});

const assign = async (patientId: string, definitionKey = 'intake', by: Person = riverside.staff) =>
  (await forms.assignForm({ patientId, definitionKey }, await as(by))).form!;
const save = async (by: Person, patientId: string, formId: string, answers: object, revision: number) =>
  forms.saveFormDraft({ patientId, formId, answersJson: JSON.stringify(answers), revision }, await as(by));
const send = async (by: Person, patientId: string, formId: string, answers: object, revision: number) =>
  forms.submitForm({ patientId, formId, answersJson: JSON.stringify(answers), revision }, await as(by));
const stored = (formId: string) => world.db.collection('forms').findOne({ _id: formId as never });

describe('the intake questionnaire assigned by staff', () => {
  it('is to do, keeps a draft whatever the device, is submitted once, and staff read it and download the PDF', async () => {
    const form = await assign(patient.id);
    expect(form).toMatchObject({ title: 'Intake questionnaire', state: FormState.TO_DO, definitionVersion: 1, revision: 1 });
    const listed = await forms.listForms({ patientId: patient.id }, await as(patient));
    expect(listed.forms.map((f) => [f.formId, f.state])).toEqual([[form.formId, FormState.TO_DO]]);

    const opened = await forms.getForm({ patientId: patient.id, formId: form.formId }, await as(patient));
    expect(JSON.parse(opened.surveyJson).title).toBe('Intake questionnaire');
    expect(opened.answersJson).toBe('{}');

    // A draft saved from the patient's phone is what the guardian's laptop opens.
    const draft = await save(patient, patient.id, form.formId, { reason: 'Trouble sleeping' }, 1);
    expect(draft.form).toMatchObject({ state: FormState.DRAFT, revision: 2 });
    const elsewhere = await forms.getForm({ patientId: patient.id, formId: form.formId }, await as(guardian));
    expect(JSON.parse(elsewhere.answersJson)).toEqual({ reason: 'Trouble sleeping' });
    expect(elsewhere.form?.revision).toBe(2);
    // The draft is the patient's until submitted: staff see the form's state, not its answers.
    const byStaff = await forms.getForm({ patientId: patient.id, formId: form.formId }, await as(riverside.staff));
    expect([byStaff.form?.state, byStaff.answersJson]).toEqual([FormState.DRAFT, '{}']);

    const done = await send(guardian, patient.id, form.formId, answered, 2);
    expect(done.form).toMatchObject({ state: FormState.SUBMITTED, revision: 3 });
    expect(done.form?.submittedAt).toBeDefined();

    // Read-only from now on.
    const late = await failure(save(patient, patient.id, form.formId, { reason: 'changed my mind' }, 3));
    expect(late.code).toBe(status.FAILED_PRECONDITION);
    expect(late.details).toBe('this form was submitted already and can no longer be changed');
    expect(await stored(form.formId)).toMatchObject({ state: 'submitted', version: 3, answersJson: JSON.stringify(answered) });

    const read = await forms.getForm({ patientId: patient.id, formId: form.formId }, await as(riverside.staff));
    expect(JSON.parse(read.answersJson)).toEqual(answered);
    const pdf = await forms.renderFormAnswers({ patientId: patient.id, formId: form.formId }, await as(riverside.staff));
    expect(pdf.fileName).toMatch(/^intake-\d{4}-\d{2}-\d{2}\.pdf$/);
    const { text } = await extractText(new Uint8Array(pdf.pdf), { mergePages: true });
    expect(text).toContain('Intake questionnaire');
    expect(text).toContain('What brings you to the clinic?');
    expect(text).toContain('Trouble sleeping since the spring');

    // Events: ids and numbers only, never an answer or a title.
    const events = (schema: DescMessage) =>
      ofType(schema)(topics.records).filter((e) => (e.value as unknown as { formId: string }).formId === form.formId);
    await topics.waitFor(() => events(FormSubmittedSchema).length > 0);
    expect(events(FormAssignedSchema)[0]!.value).toMatchObject({
      formId: form.formId,
      patientId: patient.id,
      clinicId: riverside.id,
      definitionKey: 'intake',
      definitionVersion: 1,
      optional: false,
    });
    expect(events(FormDraftSavedSchema).map((e) => (e.value as unknown as { revision: number }).revision)).toEqual([2]);
    for (const schema of [FormAssignedSchema, FormDraftSavedSchema, FormSubmittedSchema])
      for (const { raw } of events(schema)) expect(raw.toString('utf8')).not.toMatch(/sleeping|Intake questionnaire/);
  });

  it('keeps the version it was assigned with when the clinic publishes a new one', async () => {
    const form = await assign(otherPatient.id);
    const changed = JSON.parse(intake);
    changed.pages[0].elements.push({ type: 'text', name: 'referredBy', title: 'Who referred you?', isRequired: true });
    const published = await forms.publishFormDefinition({ key: 'intake', surveyJson: JSON.stringify(changed) }, await as(riverside.staff));
    expect(published.definition?.version).toBe(2);
    // The same JSON again is the version that holds.
    const again = await forms.publishFormDefinition({ key: 'intake', surveyJson: JSON.stringify(changed) }, await as(riverside.staff));
    expect(again.definition?.version).toBe(2);

    // The earlier form is still version 1: the new required question does not apply to it.
    const opened = await forms.getForm({ patientId: otherPatient.id, formId: form.formId }, await as(otherPatient));
    expect(opened.form?.definitionVersion).toBe(1);
    expect(opened.surveyJson).not.toContain('referredBy');
    expect((await send(otherPatient, otherPatient.id, form.formId, answered, 1)).form?.state).toBe(FormState.SUBMITTED);
    // A form assigned now is version 2, and requires the new answer.
    const newer = await assign(otherPatient.id);
    expect(newer.definitionVersion).toBe(2);
    const refused = await failure(send(otherPatient, otherPatient.id, newer.formId, answered, 1));
    expect(violationsOf(refused).map((v) => v.field)).toEqual(['answers.referredBy']);
    // Put the example back for the other tests.
    await forms.publishFormDefinition({ key: 'intake', surveyJson: intake }, await as(riverside.staff));
  });
});

describe('refused, with nothing stored', () => {
  it('a submission with a required answer missing, named by question', async () => {
    const form = await assign(patient.id);
    const refused = await failure(send(patient, patient.id, form.formId, { previousCare: 'no' }, 1));
    expect(refused.code).toBe(status.INVALID_ARGUMENT);
    expect(
      violationsOf(refused)
        .map((v) => v.field)
        .sort(),
    ).toEqual(['answers.consentToContact', 'answers.reason']);
    expect(violationsOf(refused)[0]!.message).toMatch(/required/i);
    expect(await stored(form.formId)).toMatchObject({ state: 'to_do', answersJson: '{}', version: 1 });
    const unknown = await failure(save(patient, patient.id, form.formId, { shoeSize: 42 }, 1));
    expect(violationsOf(unknown)).toEqual([{ field: 'answers.shoeSize', message: 'is not a question of this form' }]);
    const notJson = await failure(
      forms.saveFormDraft({ patientId: patient.id, formId: form.formId, answersJson: '{"reason":', revision: 1 }, await as(patient)),
    );
    expect(violationsOf(notJson)).toEqual([{ field: 'answers_json', message: 'must be JSON' }]);
    expect(await stored(form.formId)).toMatchObject({ state: 'to_do', answersJson: '{}', version: 1 });
  });

  it('a draft saved from a stale copy, with a message saying what to do', async () => {
    const form = await assign(patient.id);
    await save(patient, patient.id, form.formId, { reason: 'From the phone' }, 1);
    // The laptop still holds revision 1.
    const stale = await failure(save(guardian, patient.id, form.formId, { reason: 'From the laptop' }, 1));
    expect(stale.code).toBe(status.FAILED_PRECONDITION);
    expect(stale.details).toMatch(/older copy of the form.*Reload the form/);
    const staleSubmit = await failure(send(guardian, patient.id, form.formId, answered, 1));
    expect(staleSubmit.details).toMatch(/older copy/);
    expect(await stored(form.formId)).toMatchObject({
      state: 'draft',
      version: 2,
      answersJson: JSON.stringify({ reason: 'From the phone' }),
    });
  });

  it('a form of another patient, another clinic’s staff, staff answering, and a patient assigning', async () => {
    const form = await assign(patient.id);
    const read = { patientId: patient.id, formId: form.formId };
    expect((await failure(forms.getForm(read, await as(hillside.staff)))).code).toBe(status.NOT_FOUND);
    expect((await failure(forms.getForm(read, await as(otherPatient)))).code).toBe(status.NOT_FOUND);
    // Another patient naming themself but this form: not theirs, so not found.
    expect((await failure(forms.getForm({ patientId: otherPatient.id, formId: form.formId }, await as(otherPatient)))).code).toBe(
      status.NOT_FOUND,
    );
    expect((await failure(save(otherPatient, otherPatient.id, form.formId, { reason: 'x' }, 1))).code).toBe(status.NOT_FOUND);
    expect((await failure(send(hillside.staff, patient.id, form.formId, answered, 1))).code).toBe(status.NOT_FOUND);
    expect((await failure(send(riverside.staff, patient.id, form.formId, answered, 1))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(assign(patient.id, 'intake', hillside.staff))).code).toBe(status.NOT_FOUND);
    expect((await failure(assign(patient.id, 'intake', patient))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(forms.publishFormDefinition({ key: 'intake', surveyJson: intake }, await as(patient)))).code).toBe(
      status.PERMISSION_DENIED,
    );
    expect(await stored(form.formId)).toMatchObject({ state: 'to_do', answersJson: '{}', version: 1 });
    expect(await world.db.collection('forms').countDocuments({ clinicId: hillside.id })).toBe(0);

    const audited = () =>
      topics.records
        .filter((r) => r.topic === 'portico.audit.v1' && r.key === patient.id)
        .map((r) => fromBinary(PatientRecordAccessedSchema, r.value))
        .map((a) => `${a.action}${a.outcome === AccessOutcome.DENIED ? ' (denied)' : ''}`);
    const expected = [
      'forms.assign',
      'forms.list',
      'forms.read',
      'forms.save_draft',
      'forms.submit',
      'forms.read (denied)',
      'forms.download',
    ];
    await topics.waitFor(() => expected.every((action) => audited().includes(action)));
  });

  it('a definition SurveyJS cannot read, or with a bad key', async () => {
    const refused = await failure(
      forms.publishFormDefinition({ key: 'Bad Key', surveyJson: '{"title":"X","pages":[]}' }, await as(riverside.staff)),
    );
    expect(violationsOf(refused).map((v) => v.field)).toEqual(['key', 'survey_json']);
    expect(await world.db.collection('form_definitions').countDocuments({ clinicId: riverside.id, key: 'Bad Key' })).toBe(0);
  });
});

describe('additional surveys', () => {
  it('staff offer one to every patient; each patient starts their own copy once', async () => {
    const before = await forms.listOfferedSurveys({ patientId: otherPatient.id }, await as(otherPatient));
    expect(before.surveys).toEqual([]);
    const offered = await forms.offerSurvey({ definitionKey: 'demographics' }, await as(riverside.staff));
    expect(offered.definition).toMatchObject({ key: 'demographics', offered: true });
    const listed = await forms.listFormDefinitions({}, await as(riverside.staff));
    expect(listed.definitions.map((d) => [d.key, d.offered])).toEqual([
      ['demographics', true],
      ['intake', false],
    ]);

    const surveys = await forms.listOfferedSurveys({ patientId: otherPatient.id }, await as(otherPatient));
    expect(surveys.surveys.map((s) => [s.title, s.form])).toEqual([['Demographics', undefined]]);
    const [first, second] = await Promise.all([
      forms.startSurvey({ patientId: otherPatient.id, definitionKey: 'demographics' }, await as(otherPatient)),
      forms.startSurvey({ patientId: otherPatient.id, definitionKey: 'demographics' }, await as(otherPatient)),
    ]);
    expect(second.form?.formId).toBe(first.form?.formId);
    expect(first.form).toMatchObject({ optional: true, state: FormState.TO_DO });
    const after = await forms.listOfferedSurveys({ patientId: otherPatient.id }, await as(otherPatient));
    expect(after.surveys[0]?.form?.formId).toBe(first.form?.formId);
    // Another clinic's patients are not offered it.
    const hillsidePatient = await world.person(['patient'], hillside);
    expect((await forms.listOfferedSurveys({ patientId: hillsidePatient.id }, await as(hillsidePatient))).surveys).toEqual([]);
    expect(
      (await failure(forms.startSurvey({ patientId: hillsidePatient.id, definitionKey: 'demographics' }, await as(hillsidePatient)))).code,
    ).toBe(status.NOT_FOUND);
  });
});
