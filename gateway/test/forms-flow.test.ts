// Forms through the gateway, with real Keycloak tokens and the real documents service: staff
// publish the example intake questionnaire and assign it; the patient keeps a draft, a stale copy
// is refused with a message saying what to do, a submission missing a required answer is refused
// by question, then the form is submitted; staff download the answers as a PDF. Callers outside
// the patient's circle or clinic are refused.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createUser, deleteUser, passwordGrant, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const intake = JSON.parse(readFileSync(new URL('../../deploy/local/forms/intake.json', import.meta.url), 'utf8')) as object;
const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let platform: RunningPlatform;
let staff: TestUser;
let otherStaff: TestUser;
let patient: TestUser;
let otherPatient: TestUser;
const tokens = { staff: '', otherStaff: '', patient: '', otherPatient: '' };
type Who = keyof typeof tokens;

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'documents'] });
  [staff, otherStaff, patient, otherPatient] = await Promise.all([
    createUser({ roles: ['staff'], clinicId }),
    createUser({ roles: ['staff'], clinicId: `clinic-${randomUUID().slice(0, 8)}` }),
    createUser({ roles: ['patient'], clinicId }),
    createUser({ roles: ['patient'], clinicId }),
  ]);
  for (const [who, user] of Object.entries({ staff, otherStaff, patient, otherPatient })) tokens[who as Who] = await passwordGrant(user);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([staff, otherStaff, patient, otherPatient].filter(Boolean).map((u) => deleteUser(u!)));
});

function call(who: Who, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  return fetch(`${platform.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const json = async <T>(response: Response, expected = 200): Promise<T> => {
  expect(response.status, await response.clone().text()).toBe(expected);
  return (await response.json()) as T;
};

type FormJson = { id: string; state: string; revision: number; definitionVersion: number };

describe('the intake questionnaire through the gateway', () => {
  it('is published, assigned, drafted, refused when stale or incomplete, submitted, and downloaded by staff as a PDF', async () => {
    const { definition } = await json<{ definition: { key: string; version: number; title: string } }>(
      await call('staff', '/api/v1/staff/forms/definitions/intake', { survey: intake }, 'PUT'),
    );
    expect(definition).toMatchObject({ key: 'intake', version: 1, title: 'Intake questionnaire' });
    const { form } = await json<{ form: FormJson }>(
      await call('staff', `/api/v1/staff/patients/${patient.id}/forms`, { definitionKey: 'intake' }),
      201,
    );
    expect(form).toMatchObject({ state: 'to_do', revision: 1, definitionVersion: 1 });
    const base = `/api/v1/patients/${patient.id}/forms/${form.id}`;

    const opened = await json<{ survey: { title: string }; answers: object }>(await call('patient', base));
    expect(opened.survey.title).toBe('Intake questionnaire');
    expect(opened.answers).toEqual({});

    const draft = await json<{ form: FormJson }>(
      await call('patient', `${base}/draft`, { answers: { reason: 'Sleep' }, revision: 1 }, 'PUT'),
    );
    expect(draft.form).toMatchObject({ state: 'draft', revision: 2 });
    const stale = await call('patient', `${base}/draft`, { answers: { reason: 'Old tab' }, revision: 1 }, 'PUT');
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { detail: string }).detail).toMatch(/older copy of the form/);

    const incomplete = await call('patient', `${base}/submission`, { answers: { reason: 'Sleep' }, revision: 2 });
    expect(incomplete.status).toBe(400);
    const problem = (await incomplete.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['answers.consentToContact', 'answers.previousCare']);
    expect((await json<{ answers: object }>(await call('patient', base))).answers).toEqual({ reason: 'Sleep' });

    const answers = { reason: 'Sleep, mostly', previousCare: 'yes', previousCareDetails: 'Dr Ames, 2023', consentToContact: false };
    const done = await json<{ form: FormJson & { submittedAt: string } }>(
      await call('patient', `${base}/submission`, { answers, revision: 2 }),
    );
    expect(done.form).toMatchObject({ state: 'submitted', revision: 3 });

    const listed = await json<{ forms: FormJson[] }>(await call('staff', `/api/v1/patients/${patient.id}/forms`));
    expect(listed.forms.map((f) => [f.id, f.state])).toEqual([[form.id, 'submitted']]);
    expect((await json<{ answers: object }>(await call('staff', base))).answers).toEqual(answers);
    const pdf = await call('staff', `${base}/answers.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename="intake-\d{4}-\d{2}-\d{2}\.pdf"/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('offers a survey to every patient, who start their own copy', async () => {
    await json(await call('staff', '/api/v1/staff/forms/definitions/intake', { survey: intake }, 'PUT'));
    await json(await call('staff', '/api/v1/staff/forms/definitions/intake/offer', {}));
    const { surveys } = await json<{ surveys: { definitionKey: string; form: unknown }[] }>(
      await call('otherPatient', `/api/v1/patients/${otherPatient.id}/surveys`),
    );
    expect(surveys).toEqual([expect.objectContaining({ definitionKey: 'intake', form: null })]);
    const started = await json<{ form: FormJson & { optional: boolean } }>(
      await call('otherPatient', `/api/v1/patients/${otherPatient.id}/surveys/intake/start`, {}),
    );
    expect(started.form).toMatchObject({ optional: true, state: 'to_do' });
  });

  it('refuses another patient, another clinic’s staff, patients acting as staff, and bad bodies', async () => {
    const { form } = await json<{ form: FormJson }>(
      await call('staff', `/api/v1/staff/patients/${patient.id}/forms`, { definitionKey: 'intake' }),
      201,
    );
    const base = `/api/v1/patients/${patient.id}/forms/${form.id}`;
    expect((await call('otherPatient', base)).status).toBe(404);
    expect((await call('otherStaff', base)).status).toBe(404);
    expect((await call('otherPatient', `${base}/draft`, { answers: {}, revision: 1 }, 'PUT')).status).toBe(404);
    expect((await call('patient', `/api/v1/staff/patients/${patient.id}/forms`, { definitionKey: 'intake' })).status).toBe(403);
    expect((await call('patient', '/api/v1/staff/forms/definitions/intake', { survey: intake }, 'PUT')).status).toBe(403);
    expect((await call('patient', `${base}/draft`, { answers: [], revision: 1 }, 'PUT')).status).toBe(400);
    expect((await call('patient', `${base}/answers.pdf`)).status).toBe(412);
    const stored = await platform
      .db('documents')
      .collection('forms')
      .findOne({ _id: form.id as never });
    expect(stored).toMatchObject({ state: 'to_do', version: 1, answersJson: '{}' });
  });
});
