import { InvalidInput, NotAllowedNow } from '@portico/kit/domain';
import { describe, expect, it } from 'vitest';
import { complete, scoreOf, type Screening } from './screenings.js';

const now = new Date('2026-12-07T10:00:00Z');
const phq9 = (...answers: number[]) => scoreOf('phq9', answers, now);
const gad7 = (...answers: number[]) => scoreOf('gad7', answers, now);

describe('PHQ-9 scoring', () => {
  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 'minimal'],
    [[1, 1, 1, 1, 0, 0, 0, 0, 0], 4, 'minimal'],
    [[1, 1, 1, 1, 1, 0, 0, 0, 0], 5, 'mild'],
    [[2, 2, 2, 2, 1, 0, 0, 0, 0], 9, 'mild'],
    [[2, 2, 2, 2, 2, 0, 0, 0, 0], 10, 'moderate'],
    [[3, 3, 3, 3, 2, 0, 0, 0, 0], 14, 'moderate'],
    [[3, 3, 3, 3, 3, 0, 0, 0, 0], 15, 'moderately_severe'],
    [[3, 3, 3, 3, 3, 3, 1, 0, 0], 19, 'moderately_severe'],
    [[3, 3, 3, 3, 3, 3, 2, 0, 0], 20, 'severe'],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3], 27, 'severe'],
  ])('%j scores %i, %s', (answers, score, severity) => {
    expect(phq9(...answers)).toMatchObject({ score, severity, maxScore: 27 });
  });

  it('flags item 9 above zero whatever the score, and nothing else', () => {
    expect(phq9(0, 0, 0, 0, 0, 0, 0, 0, 1)).toMatchObject({ score: 1, severity: 'minimal', needsAttention: true });
    expect(phq9(3, 3, 3, 3, 3, 3, 3, 3, 0).needsAttention).toBe(false);
  });
});

describe('GAD-7 scoring', () => {
  it.each([
    [[0, 0, 0, 0, 0, 0, 0], 0, 'minimal'],
    [[1, 1, 1, 1, 0, 0, 0], 4, 'minimal'],
    [[1, 1, 1, 1, 1, 0, 0], 5, 'mild'],
    [[2, 2, 2, 2, 1, 0, 0], 9, 'mild'],
    [[2, 2, 2, 2, 2, 0, 0], 10, 'moderate'],
    [[3, 3, 3, 3, 2, 0, 0], 14, 'moderate'],
    [[3, 3, 3, 3, 3, 0, 0], 15, 'severe'],
    [[3, 3, 3, 3, 3, 3, 3], 21, 'severe'],
  ])('%j scores %i, %s', (answers, score, severity) => {
    expect(gad7(...answers)).toMatchObject({ score, severity, maxScore: 21, needsAttention: false });
  });
});

describe('answers', () => {
  const refused = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInput);
      return (error as InvalidInput).violations;
    }
    throw new Error('accepted');
  };

  it('refuses a missing item, naming the count', () => {
    expect(refused(() => gad7(0, 1, 2, 3, 0, 1))).toEqual([{ field: 'answers', message: 'must have one answer for each of the 7 items' }]);
  });

  it('refuses an answer out of range by item number', () => {
    expect(refused(() => gad7(0, 4, 2, -1, 0, 1, 1.5))).toEqual([
      { field: 'answers.item_2', message: 'must be from 0 to 3' },
      { field: 'answers.item_4', message: 'must be from 0 to 3' },
      { field: 'answers.item_7', message: 'must be from 0 to 3' },
    ]);
  });

  it('are taken once per screening', () => {
    const assigned: Screening = {
      screeningId: 's',
      patientId: 'p',
      clinicId: 'c',
      instrument: 'gad7',
      assignedBy: 'staff',
      assignedAt: now,
      answers: null,
      result: null,
      completedBy: '',
      version: 1,
    };
    const done = complete(assigned, [1, 1, 1, 1, 1, 1, 1], 'patient', now);
    expect(done).toMatchObject({ result: { score: 7, severity: 'mild' }, completedBy: 'patient', version: 2 });
    expect(() => complete(done, [0, 0, 0, 0, 0, 0, 0], 'patient', now)).toThrow(NotAllowedNow);
  });
});
