// The rules of forms without servers: what a definition must be to be published, which answers a
// draft and a submission accept (the example intake questionnaire's own rules), stale copies and
// submitted forms refused, and the answers as a person reads them.
import { readFileSync } from 'node:fs';
import { InvalidInput, NotAllowedNow } from '@portico/kit/domain';
import { describe, expect, it } from 'vitest';
import { answerLines, checkAnswers, checkDefinition, newForm, saveDraft, STALE_COPY, submit, surveyFormId } from './forms.js';

const intake = readFileSync(new URL('../../../../deploy/local/forms/intake.json', import.meta.url), 'utf8');
const complete = { reason: 'Trouble sleeping since spring', previousCare: 'no', consentToContact: true };

const violations = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    if (error instanceof InvalidInput) return error.violations;
    throw error;
  }
  throw new Error('no violation');
};

const form = () =>
  newForm(
    { clinicId: 'clinic-a', key: 'intake', definitionVersion: 1, title: 'Intake questionnaire' },
    { formId: 'f', patientId: 'p', optional: false, assignedBy: 'staff', assignedAt: new Date(0) },
  );

describe('a form definition', () => {
  it('is published with its title when SurveyJS reads it', () => {
    expect(checkDefinition('intake', intake).title).toBe('Intake questionnaire');
  });

  it('is refused with every problem named: a bad key, no title, an unknown element type, a repeated or unusable name', () => {
    const json = JSON.stringify({
      pages: [
        {
          elements: [
            { type: 'text', name: 'age' },
            { type: 'text', name: 'age' },
            { type: 'text', name: 'a.b' },
          ],
        },
      ],
    });
    expect(violations(() => checkDefinition('Intake Form', json))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'key' }),
        expect.objectContaining({ field: 'survey_json.title' }),
        expect.objectContaining({ field: 'survey_json.age', message: 'is the name of two questions' }),
        expect.objectContaining({ field: 'survey_json.a.b' }),
      ]),
    );
    expect(violations(() => checkDefinition('x', '{"title":"X","pages":[{"elements":[{"type":"nosuch","name":"q"}]}]}'))).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'survey_json' })]),
    );
    expect(violations(() => checkDefinition('x', '[1]'))).toEqual([{ field: 'survey_json', message: 'must be a JSON object' }]);
  });
});

describe('answers', () => {
  it('of a draft may be incomplete, but only for questions of the form', () => {
    expect(JSON.parse(checkAnswers(intake, '{"reason":"Sleep"}', false))).toEqual({ reason: 'Sleep' });
    expect(violations(() => checkAnswers(intake, '{"reason":"Sleep","shoeSize":42}', false))).toEqual([
      { field: 'answers.shoeSize', message: 'is not a question of this form' },
    ]);
  });

  it('of a submission must answer every required question, each missing one named', () => {
    const missing = violations(() => checkAnswers(intake, JSON.stringify({ previousCare: 'no' }), true));
    expect(missing.map((v) => v.field).sort()).toEqual(['answers.consentToContact', 'answers.reason']);
    expect(missing[0]!.message).toMatch(/required/i);
    expect(() => checkAnswers(intake, JSON.stringify(complete), true)).not.toThrow();
    // The model is kept between checks: nothing of one form's answers carries over to the next.
    expect(
      violations(() => checkAnswers(intake, JSON.stringify({ previousCare: 'yes' }), true))
        .map((v) => v.field)
        .sort(),
    ).toEqual(['answers.consentToContact', 'answers.reason']);
  });

  it('of a question hidden by an earlier answer are not required, and a choice must be one offered', () => {
    // previousCareDetails shows only after "yes" and is optional anyway; a radio answer outside the choices is refused.
    expect(violations(() => checkAnswers(intake, JSON.stringify({ ...complete, previousCare: 'maybe' }), true))).toEqual([
      expect.objectContaining({ field: 'answers.previousCare' }),
    ]);
  });
});

describe('a form', () => {
  it('saves a draft from its current revision, refuses a stale copy, and is read-only once submitted', () => {
    const draft = saveDraft(form(), intake, '{"reason":"Sleep"}', 1, new Date(1));
    expect(draft).toMatchObject({ state: 'draft', version: 2, draftSavedAt: new Date(1) });
    expect(() => saveDraft(draft, intake, '{"reason":"Old"}', 1, new Date(2))).toThrow(new NotAllowedNow(STALE_COPY));
    const done = submit(draft, intake, JSON.stringify(complete), 2, 'patient', new Date(3));
    expect(done).toMatchObject({ state: 'submitted', submittedBy: 'patient', version: 3 });
    expect(() => saveDraft(done, intake, '{}', 3, new Date(4))).toThrow(/submitted already/);
    expect(() => submit(done, intake, JSON.stringify(complete), 3, 'patient', new Date(4))).toThrow(/submitted already/);
  });

  it('reads back as questions and answers, choices by their text', () => {
    const lines = answerLines(intake, JSON.stringify({ ...complete, concerns: ['sleep', 'anxiety'] }));
    expect(lines).toContainEqual({ question: 'What brings you to the clinic?', answer: 'Trouble sleeping since spring' });
    expect(lines).toContainEqual({ question: 'Have you seen a counsellor, therapist or psychiatrist before?', answer: 'No' });
    expect(lines).toContainEqual({ question: 'Which of these have troubled you recently?', answer: 'Sleep, Worry or anxiety' });
  });

  it('of an offered survey has one id per patient, clinic and survey', () => {
    const id = surveyFormId('p1', 'c', 'demographics');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(surveyFormId('p1', 'c', 'demographics')).toBe(id);
    expect(surveyFormId('p2', 'c', 'demographics')).not.toBe(id);
  });
});
