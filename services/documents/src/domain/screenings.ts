// The PHQ-9 and GAD-7 screenings: the instruments' texts (both are in the public domain, developed
// by Drs Spitzer, Williams, Kroenke and colleagues with an educational grant from Pfizer, no
// permission required to reproduce), their scoring and severity bands, and what a completed
// screening records. No I/O here.
import { InvalidInput, NotAllowedNow, type Violation } from '@portico/kit/domain';

export const INSTRUMENTS = ['phq9', 'gad7'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

export const SEVERITIES = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The four answers every item of both instruments offers, scored 0 to 3. */
export const CHOICES = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' },
] as const;
export const HIGHEST_ANSWER = 3;

export interface Questionnaire {
  title: string;
  question: string;
  items: readonly string[];
  /** Lowest score of each band, highest band first. */
  bands: readonly { from: number; severity: Severity }[];
}

const QUESTION = 'Over the last 2 weeks, how often have you been bothered by any of the following problems?';

export const QUESTIONNAIRES: Record<Instrument, Questionnaire> = {
  phq9: {
    title: 'PHQ-9',
    question: QUESTION,
    items: [
      'Little interest or pleasure in doing things',
      'Feeling down, depressed, or hopeless',
      'Trouble falling or staying asleep, or sleeping too much',
      'Feeling tired or having little energy',
      'Poor appetite or overeating',
      'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
      'Trouble concentrating on things, such as reading the newspaper or watching television',
      'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
      'Thoughts that you would be better off dead or of hurting yourself in some way',
    ],
    bands: [
      { from: 20, severity: 'severe' },
      { from: 15, severity: 'moderately_severe' },
      { from: 10, severity: 'moderate' },
      { from: 5, severity: 'mild' },
      { from: 0, severity: 'minimal' },
    ],
  },
  gad7: {
    title: 'GAD-7',
    question: QUESTION,
    items: [
      'Feeling nervous, anxious, or on edge',
      'Not being able to stop or control worrying',
      'Worrying too much about different things',
      'Trouble relaxing',
      'Being so restless that it is hard to sit still',
      'Becoming easily annoyed or irritable',
      'Feeling afraid as if something awful might happen',
    ],
    bands: [
      { from: 15, severity: 'severe' },
      { from: 10, severity: 'moderate' },
      { from: 5, severity: 'mild' },
      { from: 0, severity: 'minimal' },
    ],
  },
};

/** The PHQ-9's item 9 (thoughts of self-harm), by its position in the answers. */
const SELF_HARM_ITEM = 8;

export const maxScoreOf = (instrument: Instrument) => QUESTIONNAIRES[instrument].items.length * HIGHEST_ANSWER;

export interface ScreeningResult {
  score: number;
  maxScore: number;
  severity: Severity;
  /** A PHQ-9 with item 9 above zero: crisis resources for the patient, the clinic told. */
  needsAttention: boolean;
  completedAt: Date;
}

export interface Screening {
  screeningId: string;
  patientId: string;
  clinicId: string;
  instrument: Instrument;
  assignedBy: string;
  assignedAt: Date;
  /** Kept for the clinical record; never published, never logged. */
  answers: number[] | null;
  result: ScreeningResult | null;
  completedBy: string;
  version: number;
}

/**
 * The answers checked: one for every item, each a whole number from 0 to 3. Every broken rule is
 * named at once, by item number (item_1 … item_9), never repeating the value.
 */
export function checkAnswers(instrument: Instrument, answers: readonly number[]): number[] {
  const count = QUESTIONNAIRES[instrument].items.length;
  const violations: Violation[] = [];
  if (answers.length !== count) violations.push({ field: 'answers', message: `must have one answer for each of the ${count} items` });
  answers.slice(0, count).forEach((answer, index) => {
    if (!Number.isInteger(answer) || answer < 0 || answer > HIGHEST_ANSWER)
      violations.push({ field: `answers.item_${index + 1}`, message: `must be from 0 to ${HIGHEST_ANSWER}` });
  });
  if (violations.length > 0) throw new InvalidInput('screening', violations);
  return [...answers];
}

/** The score, its band and whether the clinic must look at it. */
export function scoreOf(instrument: Instrument, answers: readonly number[], completedAt: Date): ScreeningResult {
  const checked = checkAnswers(instrument, answers);
  const score = checked.reduce((sum, answer) => sum + answer, 0);
  const { severity } = QUESTIONNAIRES[instrument].bands.find((band) => score >= band.from)!;
  const needsAttention = instrument === 'phq9' && checked[SELF_HARM_ITEM]! > 0;
  return { score, maxScore: maxScoreOf(instrument), severity, needsAttention, completedAt };
}

/** The screening completed with these answers; a completed one is never answered again. */
export function complete(screening: Screening, answers: readonly number[], by: string, now: Date): Screening {
  if (screening.result) throw new NotAllowedNow('this screening was completed already');
  const result = scoreOf(screening.instrument, answers, now);
  return { ...screening, answers: [...answers], result, completedBy: by, version: screening.version + 1 };
}
