// PHQ-9 and GAD-7 screenings against the real servers: staff assign, the patient (or a guardian)
// answers once, the service scores and bands it, with the trend over earlier ones; bad answers
// store nothing; a PHQ-9 item 9 above zero is flagged to the clinic by ids only; every read is
// audited and nobody outside the patient's circle or clinic sees anything.
import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { ScreeningInstrument, ScreeningSeverity } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import {
  ScreeningAssignedSchema,
  ScreeningCompletedSchema,
  ScreeningRiskFlaggedSchema,
} from '@portico/contracts/gen/portico/events/documents/v1/document_events_pb';
import { recordTopics } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, failure, ofType, startWorld, violationsOf, type Clinic, type Person, type World } from './harness.js';

let world: World;
let riverside: Clinic;
let hillside: Clinic;
let patient: Person;
let guardian: Person;
let otherPatient: Person;
let topics: Awaited<ReturnType<typeof recordTopics>>;

beforeAll(async () => {
  topics = await recordTopics(['portico.documents.v1', 'portico.audit.v1'], { fromNow: true });
  world = await startWorld();
  [riverside, hillside] = await Promise.all([world.clinic(), world.clinic()]);
  [patient, otherPatient] = await Promise.all([world.person(['patient'], riverside), world.person(['patient'], riverside)]);
  guardian = await world.person(['guardian'], riverside, [patient.id]);
});

afterAll(async () => {
  await topics?.stop();
  await world?.stop();
});

const assign = async (patientId: string, instrument: ScreeningInstrument, by: Person = riverside.staff) =>
  (await world.documents.assignScreening({ patientId, instrument }, await as(by))).screening!;

const submit = async (by: Person, patientId: string, screeningId: string, answers: number[]) =>
  world.documents.submitScreening({ patientId, screeningId, answers }, await as(by));

const stored = (screeningId: string) => world.db.collection('screenings').findOne({ _id: screeningId as never });

describe('a PHQ-9 assigned by staff and completed by the patient', () => {
  it('is listed to do, shows its questions, and once answered its score, band and trend', async () => {
    const screening = await assign(patient.id, ScreeningInstrument.PHQ9);
    const listed = await world.documents.listScreenings({ patientId: patient.id }, await as(patient));
    expect(listed.screenings.map((s) => [s.screeningId, s.result])).toEqual([[screening.screeningId, undefined]]);

    const opened = await world.documents.getScreening({ patientId: patient.id, screeningId: screening.screeningId }, await as(patient));
    expect(opened.questionnaire?.title).toBe('PHQ-9');
    expect(opened.questionnaire?.items).toHaveLength(9);
    expect(opened.questionnaire?.items[8]).toMatch(/better off dead/);
    expect(opened.questionnaire?.choices.map((c) => c.label)).toEqual([
      'Not at all',
      'Several days',
      'More than half the days',
      'Nearly every day',
    ]);
    expect(opened.trend).toEqual([]);

    // 2+2+1+2+1+1+2+1+0 = 12: moderate, nothing flagged.
    const done = await submit(patient, patient.id, screening.screeningId, [2, 2, 1, 2, 1, 1, 2, 1, 0]);
    expect(done.screening?.result).toMatchObject({ score: 12, maxScore: 27, severity: ScreeningSeverity.MODERATE, needsAttention: false });
    expect(done.trend.map((t) => t.score)).toEqual([12]);

    // A later one shows the way it went.
    const next = await assign(patient.id, ScreeningInstrument.PHQ9);
    const better = await submit(guardian, patient.id, next.screeningId, [1, 1, 0, 1, 0, 0, 1, 0, 0]);
    expect(better.screening?.result).toMatchObject({ score: 4, severity: ScreeningSeverity.MINIMAL });
    expect(better.trend.map((t) => [t.score, t.severity])).toEqual([
      [12, ScreeningSeverity.MODERATE],
      [4, ScreeningSeverity.MINIMAL],
    ]);

    // Staff of the clinic see the results; the events carry score and band, never the answers.
    const seenByStaff = await world.documents.getScreening(
      { patientId: patient.id, screeningId: next.screeningId },
      await as(riverside.staff),
    );
    expect(seenByStaff.screening?.result?.score).toBe(4);
    expect(seenByStaff.trend).toHaveLength(2);
    await topics.waitFor((records) => ofType(ScreeningCompletedSchema)(records).some((e) => e.value.screeningId === next.screeningId));
    const completed = ofType(ScreeningCompletedSchema)(topics.records).find((e) => e.value.screeningId === screening.screeningId)!;
    expect(completed.value).toMatchObject({
      patientId: patient.id,
      clinicId: riverside.id,
      score: 12,
      severity: ScreeningSeverity.MODERATE,
      instrument: ScreeningInstrument.PHQ9,
    });
    expect(Object.keys(completed.value)).not.toContain('answers');
    expect(ofType(ScreeningAssignedSchema)(topics.records).some((e) => e.value.screeningId === screening.screeningId)).toBe(true);
    expect(ofType(ScreeningRiskFlaggedSchema)(topics.records).some((e) => e.value.patientId === patient.id)).toBe(false);
  });

  it('is answered once: a second submission is refused and the first result stays', async () => {
    const screening = await assign(patient.id, ScreeningInstrument.GAD7);
    await submit(patient, patient.id, screening.screeningId, [3, 3, 3, 3, 3, 0, 0]);
    const again = await failure(submit(patient, patient.id, screening.screeningId, [0, 0, 0, 0, 0, 0, 0]));
    expect(again.code).toBe(status.FAILED_PRECONDITION);
    expect(again.details).toBe('this screening was completed already');
    expect(await stored(screening.screeningId)).toMatchObject({
      result: { score: 15, severity: 'severe' },
      answers: [3, 3, 3, 3, 3, 0, 0],
    });
  });
});

describe('bad answers', () => {
  it('an answer out of range or an item missing is refused by item, and nothing is stored', async () => {
    const screening = await assign(patient.id, ScreeningInstrument.PHQ9);
    const outOfRange = await failure(submit(patient, patient.id, screening.screeningId, [0, 0, 4, 0, 0, 0, 0, 0, 0]));
    expect(outOfRange.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(outOfRange)).toEqual([{ field: 'answers.item_3', message: 'must be from 0 to 3' }]);
    const missing = await failure(submit(patient, patient.id, screening.screeningId, [0, 0, 0]));
    expect(violationsOf(missing)).toEqual([{ field: 'answers', message: 'must have one answer for each of the 9 items' }]);
    expect(await stored(screening.screeningId)).toMatchObject({ result: null, answers: null, version: 1 });
    // Still open: a correct submission afterwards is taken.
    expect((await submit(patient, patient.id, screening.screeningId, [0, 0, 0, 0, 0, 0, 0, 0, 0])).screening?.result?.score).toBe(0);
  });

  it('a screening without a known instrument is not assigned', async () => {
    const refused = await failure(world.documents.assignScreening({ patientId: patient.id, instrument: 0 }, await as(riverside.staff)));
    expect(violationsOf(refused)).toEqual([{ field: 'instrument', message: 'must be PHQ-9 or GAD-7' }]);
  });
});

describe('a PHQ-9 with item 9 above zero', () => {
  it('is flagged for the clinic by ids only, once', async () => {
    const screening = await assign(otherPatient.id, ScreeningInstrument.PHQ9);
    const done = await submit(otherPatient, otherPatient.id, screening.screeningId, [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(done.screening?.result).toMatchObject({ score: 1, severity: ScreeningSeverity.MINIMAL, needsAttention: true });
    const flaggedOf = () => ofType(ScreeningRiskFlaggedSchema)(topics.records).filter((e) => e.value.screeningId === screening.screeningId);
    await topics.waitFor(() => flaggedOf().length > 0);
    const [flagged] = flaggedOf();
    expect(flagged!.value).toMatchObject({ screeningId: screening.screeningId, patientId: otherPatient.id, clinicId: riverside.id });
    await topics.caughtUp();
    expect(flaggedOf()).toHaveLength(1);
  });
});

describe('who may', () => {
  it('staff of another clinic, another patient and staff answering are refused; every read is audited', async () => {
    const screening = await assign(patient.id, ScreeningInstrument.GAD7);
    const read = { patientId: patient.id, screeningId: screening.screeningId };
    expect((await failure(world.documents.getScreening(read, await as(hillside.staff)))).code).toBe(status.NOT_FOUND);
    expect((await failure(world.documents.listScreenings({ patientId: patient.id }, await as(otherPatient)))).code).toBe(status.NOT_FOUND);
    expect((await failure(assign(patient.id, ScreeningInstrument.PHQ9, hillside.staff))).code).toBe(status.NOT_FOUND);
    expect((await failure(assign(patient.id, ScreeningInstrument.PHQ9, otherPatient))).code).not.toBe(status.OK);
    expect((await failure(submit(riverside.staff, patient.id, screening.screeningId, [0, 0, 0, 0, 0, 0, 0]))).code).toBe(
      status.PERMISSION_DENIED,
    );
    expect(await stored(screening.screeningId)).toMatchObject({ result: null });

    await world.documents.getScreening(read, await as(riverside.staff));
    const audited = () =>
      topics.records
        .filter((r) => r.topic === 'portico.audit.v1' && r.key === patient.id)
        .map((r) => fromBinary(PatientRecordAccessedSchema, r.value))
        .map((a) => `${a.action}${a.outcome === AccessOutcome.DENIED ? ' (denied)' : ''}`);
    const expected = ['screenings.assign', 'screenings.list', 'screenings.read', 'screenings.submit', 'screenings.read (denied)'];
    await topics.waitFor(() => expected.every((action) => audited().includes(action)));
  });
});
