// Screenings through the gateway, with real Keycloak tokens and the real documents service: staff
// assign a PHQ-9, the patient reads its questions and submits known answers, and gets the score,
// band and trend; bad answers get a problem naming the item and store nothing; a second
// submission and callers outside the patient's circle are refused.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let platform: RunningPlatform;
let staff: TestUser;
let otherStaff: TestUser;
let patient: TestUser;
let guardian: TestUser;
const tokens = { staff: '', otherStaff: '', patient: '', guardian: '' };
type Who = keyof typeof tokens;

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'documents'] });
  [staff, otherStaff, patient] = await Promise.all([
    createUser({ roles: ['staff'], clinicId }),
    createUser({ roles: ['staff'], clinicId: `clinic-${randomUUID().slice(0, 8)}` }),
    createUser({ roles: ['patient'], clinicId }),
  ]);
  guardian = await createUser({ roles: ['guardian'], patients: [patient.id], clinicId });
  for (const [who, user] of Object.entries({ staff, otherStaff, patient, guardian })) tokens[who as Who] = await passwordGrant(user);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([staff, otherStaff, patient, guardian].filter(Boolean).map((u) => deleteUser(u!)));
});

function call(who: Who, path: string, body?: unknown) {
  return fetch(`${platform.gatewayUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const assign = async (instrument: string) => {
  const response = await call('staff', `/api/v1/staff/patients/${patient.id}/screenings`, { instrument });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { screening: { id: string } }).screening;
};

const stored = () => platform.db('documents').collection('screenings').find({ patientId: patient.id }).toArray();

describe('a PHQ-9 through the gateway', () => {
  it('staff assign it; the patient reads its questions, answers, and sees the score, band and trend', async () => {
    const { id } = await assign('phq9');
    const listed = (await (await call('patient', `/api/v1/patients/${patient.id}/screenings`)).json()) as {
      screenings: { id: string; instrument: string; result: unknown }[];
    };
    expect(listed.screenings).toEqual([expect.objectContaining({ id, instrument: 'phq9', result: null })]);

    const opened = (await (await call('guardian', `/api/v1/patients/${patient.id}/screenings/${id}`)).json()) as {
      questionnaire: { title: string; items: string[]; choices: { value: number; label: string }[] };
    };
    expect(opened.questionnaire.title).toBe('PHQ-9');
    expect(opened.questionnaire.items).toHaveLength(9);
    expect(opened.questionnaire.choices.map((c) => c.value)).toEqual([0, 1, 2, 3]);

    const answered = await call('patient', `/api/v1/patients/${patient.id}/screenings/${id}/answers`, {
      answers: [3, 3, 2, 2, 2, 1, 1, 1, 2],
    });
    expect(answered.status, await answered.clone().text()).toBe(200);
    const outcome = (await answered.json()) as { screening: { result: Record<string, unknown> }; trend: { score: number }[] };
    expect(outcome.screening.result).toMatchObject({ score: 17, maxScore: 27, severity: 'moderately_severe', needsAttention: true });
    expect(outcome.trend.map((t) => t.score)).toEqual([17]);

    const again = await call('patient', `/api/v1/patients/${patient.id}/screenings/${id}/answers`, {
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(again.status).toBe(412);
    expect(((await again.json()) as { detail: string }).detail).toBe('this screening was completed already');

    // Staff of the clinic read the result.
    const seen = (await (await call('staff', `/api/v1/patients/${patient.id}/screenings/${id}`)).json()) as {
      screening: { result: { score: number } };
    };
    expect(seen.screening.result.score).toBe(17);
  });

  it('an answer out of range or missing is refused by item, and nothing is stored', async () => {
    const { id } = await assign('gad7');
    const outOfRange = await call('patient', `/api/v1/patients/${patient.id}/screenings/${id}/answers`, { answers: [0, 0, 0, 7, 0, 0, 0] });
    expect(outOfRange.status).toBe(400);
    expect(await outOfRange.json()).toMatchObject({ errors: [{ field: 'answers.item_4', message: 'must be from 0 to 3' }] });
    const missing = await call('patient', `/api/v1/patients/${patient.id}/screenings/${id}/answers`, { answers: [] });
    expect(await missing.json()).toMatchObject({ errors: [{ field: 'answers', message: 'must have one answer for each of the 7 items' }] });
    expect((await stored()).find((s) => s._id === (id as never))).toMatchObject({ result: null, answers: null });
  });

  it('staff of another clinic, and patients assigning, are refused', async () => {
    const { id } = await assign('gad7');
    expect((await call('otherStaff', `/api/v1/patients/${patient.id}/screenings/${id}`)).status).toBe(404);
    expect((await call('otherStaff', `/api/v1/staff/patients/${patient.id}/screenings`, { instrument: 'phq9' })).status).toBe(404);
    expect((await call('patient', `/api/v1/staff/patients/${patient.id}/screenings`, { instrument: 'phq9' })).status).toBe(403);
    expect((await call('staff', `/api/v1/staff/patients/${patient.id}/screenings`, { instrument: 'phq10' })).status).toBe(400);
  });
});
