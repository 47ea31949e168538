import { InvalidInput, NotAllowedNow } from '@portico/kit/domain';
import { describe, expect, it } from 'vitest';
import {
  instalmentDates,
  instalmentsToCharge,
  instalmentViews,
  progressOf,
  remainderOf,
  scheduleOf,
  splitIntoInstalments,
  type PaymentPlan,
} from './payment-plan.js';

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('splitting a plan’s total into instalments', () => {
  it('adds up exactly to the total, the left-over cents going one each to the first instalments', () => {
    expect(splitIntoInstalments(100_00, 3)).toEqual([33_34, 33_33, 33_33]);
    expect(splitIntoInstalments(101, 3)).toEqual([34, 34, 33]);
    expect(splitIntoInstalments(90_00, 3)).toEqual([30_00, 30_00, 30_00]);
    for (const [total, count] of [
      [1, 1],
      [99_999, 7],
      [1_000_000_000, 36],
      [37, 36],
    ] as const) {
      const parts = splitIntoInstalments(total, count);
      expect(sum(parts)).toBe(total);
      expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      expect(parts.every(Number.isInteger)).toBe(true);
    }
  });
});

describe('the dates of a plan', () => {
  it('steps weekly, every two weeks, or monthly from the first date, keeping the day of the month where it exists', () => {
    expect(instalmentDates('2026-12-28', 3, 'weekly')).toEqual(['2026-12-28', '2027-01-04', '2027-01-11']);
    expect(instalmentDates('2026-12-28', 2, 'every_two_weeks')).toEqual(['2026-12-28', '2027-01-11']);
    expect(instalmentDates('2027-01-31', 4, 'monthly')).toEqual(['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30']);
  });

  it('refuses a plan that starts in the past or too far ahead, has too few or too many instalments, or no frequency, naming each', () => {
    const refused = (terms: Parameters<typeof scheduleOf>[0]) => {
      try {
        scheduleOf(terms, '2026-12-01');
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInput);
        return (error as InvalidInput).violations.map((v) => v.field);
      }
      throw new Error('accepted');
    };
    expect(refused({ totalMinor: 300_00, instalmentCount: 1, frequency: undefined, firstDueOn: '2026-11-30' })).toEqual([
      'instalment_count',
      'frequency',
      'first_due_on',
    ]);
    expect(refused({ totalMinor: 300_00, instalmentCount: 37, frequency: 'monthly', firstDueOn: '2028-01-01' })).toEqual([
      'instalment_count',
      'first_due_on',
    ]);
    expect(refused({ totalMinor: 3, instalmentCount: 4, frequency: 'monthly', firstDueOn: '2026-12-01' })).toEqual(['instalment_count']);
    expect(refused({ totalMinor: 300_00, instalmentCount: 3, frequency: 'monthly', firstDueOn: '2026-02-30' })).toEqual(['first_due_on']);
  });

  it('starts today at the earliest and schedules every instalment uncharged', () => {
    const schedule = scheduleOf({ totalMinor: 250_00, instalmentCount: 3, frequency: 'monthly', firstDueOn: '2026-12-01' }, '2026-12-01');
    expect(schedule).toEqual([
      { number: 1, dueOn: '2026-12-01', amountMinor: 83_34, invoiceId: '' },
      { number: 2, dueOn: '2027-01-01', amountMinor: 83_33, invoiceId: '' },
      { number: 3, dueOn: '2027-02-01', amountMinor: 83_33, invoiceId: '' },
    ]);
  });
});

describe('what is paid of a plan and what comes next', () => {
  const plan = {
    instalments: [
      { number: 1, dueOn: '2026-12-01', amountMinor: 100, invoiceId: 'a' },
      { number: 2, dueOn: '2027-01-01', amountMinor: 100, invoiceId: 'b' },
      { number: 3, dueOn: '2027-02-01', amountMinor: 100, invoiceId: '' },
    ],
  } as PaymentPlan;
  const settlements = new Map([
    ['a', { paidMinor: 100, adjustedMinor: 0, dueMinor: 0 }],
    ['b', { paidMinor: 30, adjustedMinor: 0, dueMinor: 70 }],
  ]);

  it('counts a charged instalment’s settlement, nothing of one not charged, and names the first not paid as next', () => {
    const views = instalmentViews(plan, settlements, '2027-01-05');
    expect(views.map((v) => [v.status, v.paidMinor, v.remainingMinor])).toEqual([
      ['paid', 100, 0],
      ['overdue', 30, 70],
      ['scheduled', 0, 100],
    ]);
    const progress = progressOf(views);
    expect(progress).toMatchObject({ paidMinor: 130, remainingMinor: 170, completed: false });
    expect(progress.next?.number).toBe(2);
    expect(instalmentViews(plan, settlements, '2027-01-01')[1]!.status).toBe('due');
  });

  it('once cancelled: the instalments not charged are cancelled and owe nothing on the plan, and nothing comes next', () => {
    const cancelled = {
      ...plan,
      cancellation: { cancelledAt: new Date(), returnedMinor: 100, remainderInvoiceId: 'r', remainderCharged: true },
    };
    const views = instalmentViews(cancelled, settlements, '2027-03-01');
    expect(views.map((v) => [v.status, v.remainingMinor])).toEqual([
      ['paid', 0],
      ['overdue', 70],
      ['cancelled', 0],
    ]);
    expect(progressOf(views, true)).toMatchObject({ paidMinor: 130, remainingMinor: 70, next: undefined, completed: false });
    expect(instalmentsToCharge(cancelled, '2027-03-01')).toEqual([]);
    expect(instalmentsToCharge(plan, '2027-03-01').map((i) => i.number)).toEqual([3]);
  });
});

describe('what cancelling a plan returns to the balance', () => {
  const plan = {
    totalMinor: 300,
    instalments: [
      { number: 1, dueOn: '2026-12-01', amountMinor: 100, invoiceId: 'a' },
      { number: 2, dueOn: '2027-01-01', amountMinor: 100, invoiceId: '' },
      { number: 3, dueOn: '2027-02-01', amountMinor: 100, invoiceId: '' },
    ],
  } as PaymentPlan;

  it('is what the instalments not charged would have covered, never more than the plan moved and did not charge back', () => {
    expect(remainderOf(plan, 300)).toEqual({ returnedMinor: 200, cancelled: [2, 3] });
    // A plan finished after a crash moved only 250 of its 300: 150 is left to return, not 200.
    expect(remainderOf(plan, 250)).toEqual({ returnedMinor: 150, cancelled: [2, 3] });
    expect(remainderOf(plan, 50).returnedMinor).toBe(0);
  });

  it('is refused once every instalment is charged', () => {
    const charged = { ...plan, instalments: plan.instalments.map((i) => ({ ...i, invoiceId: `inv-${i.number}` })) };
    expect(() => remainderOf(charged, 300)).toThrow(NotAllowedNow);
  });
});
