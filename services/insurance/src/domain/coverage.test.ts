import { InvalidInput } from '@portico/kit/domain';
import { describe, expect, it } from 'vitest';
import { activeSlotOf, hasEnded, inListOrder, validateCoverage, type Coverage, type CoverageSubmission } from './coverage.js';

const submission = (overrides: Partial<CoverageSubmission> = {}): CoverageSubmission => ({
  payerName: 'Aetna',
  planName: '',
  planType: 'ppo',
  memberId: 'W123',
  groupNumber: '',
  subscriber: { relationship: 'self', name: 'ignored', dateOfBirth: '1990-01-01' },
  priority: 'primary',
  effectiveDate: '2026-01-01',
  endDate: '',
  ...overrides,
});

const violations = (input: CoverageSubmission) => {
  try {
    validateCoverage(input, '2026-12-01');
  } catch (error) {
    if (error instanceof InvalidInput) return error.violations.map((v) => v.field);
    throw error;
  }
  return [];
};

describe('a coverage’s rules', () => {
  it('keeps no name or birth date when the patient holds the policy', () => {
    expect(validateCoverage(submission(), '2026-12-01').subscriber).toEqual({ relationship: 'self', name: '', dateOfBirth: '' });
  });

  it('needs the name and birth date of another subscriber', () => {
    expect(violations(submission({ subscriber: { relationship: 'parent', name: '', dateOfBirth: '' } }))).toEqual([
      'subscriber.name',
      'subscriber.dateOfBirth',
    ]);
  });

  it('refuses an end before the start, a birth tomorrow, a date that does not exist, a made-up currency', () => {
    expect(violations(submission({ effectiveDate: '2026-03-02', endDate: '2026-03-01' }))).toEqual(['endDate']);
    expect(violations(submission({ subscriber: { relationship: 'parent', name: 'A', dateOfBirth: '2026-12-02' } }))).toEqual([
      'subscriber.dateOfBirth',
    ]);
    expect(violations(submission({ effectiveDate: '2026-02-29' }))).toEqual(['effectiveDate']);
    expect(violations(submission({ copay: { amountMinor: 10, currencyCode: 'XYZ' } }))).toEqual(['copay.currencyCode']);
    expect(violations(submission({ copay: { amountMinor: 10.5, currencyCode: 'USD' } }))).toEqual(['copay.amountMinor']);
  });

  it('an end date on the day itself is not ended yet', () => {
    const details = validateCoverage(submission({ endDate: '2026-12-01' }), '2026-12-01');
    expect(hasEnded(details, '2026-12-01')).toBe(false);
    expect(hasEnded(details, '2026-12-02')).toBe(true);
  });

  it('lists active coverages by priority, then inactive ones; only active ones hold their priority', () => {
    const make = (id: string, priority: 'primary' | 'secondary', status: 'active' | 'inactive', updated: number) =>
      ({
        coverageId: id,
        status,
        details: validateCoverage(submission({ priority }), '2026-12-01'),
        updatedAt: new Date(updated),
      }) as Coverage;
    const list = [make('a', 'secondary', 'active', 1), make('b', 'primary', 'inactive', 2), make('c', 'primary', 'active', 3)];
    expect(inListOrder(list).map((c) => c.coverageId)).toEqual(['c', 'a', 'b']);
    expect(list.map(activeSlotOf)).toEqual(['secondary', 'inactive:b', 'primary']);
  });
});
