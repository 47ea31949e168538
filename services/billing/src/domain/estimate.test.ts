// The rules of Good Faith Estimates without servers: the NPI's check digit, every broken field
// listed at once, the $400 rule at its boundary with the dispute deadline, and who may decide when.
import { InvalidInput, NotAllowedNow } from '@portico/kit/domain';
import { describe, expect, it } from 'vitest';
import {
  checkDecision,
  contentSha256,
  DISCLAIMERS,
  DISPUTE_INSTRUCTIONS,
  exceededNotices,
  unrecordedNotices,
  validateEstimate,
  type Estimate,
  type EstimateSubmission,
} from './estimate.js';
import type { Invoice } from './ledger.js';
import { isNpi } from './superbill.js';

const DR_RIVERA = '1992753883';
const LAB = '1234567893';
const location = { line1: '12 Harbour Street', line2: '', city: 'Portland', region: 'ME', postalCode: '04101', countryCode: 'US' };

const submission = (): EstimateSubmission => ({
  patientName: 'Riley Morgan',
  patientDateOfBirth: '2009-04-17',
  primaryService: 'Outpatient psychotherapy, 12 weekly sessions',
  primaryServiceDate: '2027-01-05',
  providers: [
    { name: 'Alex Rivera, LCSW', npi: DR_RIVERA, taxId: '12-3456789', location },
    { name: 'Harbour Lab', npi: LAB, taxId: '98-7654321', location },
  ],
  items: [
    {
      providerNpi: DR_RIVERA,
      serviceCode: '90834',
      modifiers: [],
      description: 'Psychotherapy, 45 minutes',
      diagnosisCodes: ['F41.1'],
      units: 12,
      unitChargeMinor: 15_000,
      currency: 'USD',
    },
    {
      providerNpi: LAB,
      serviceCode: '80305',
      modifiers: [],
      description: 'Drug screen',
      diagnosisCodes: ['F41.1'],
      units: 1,
      unitChargeMinor: 5_000,
      currency: 'USD',
    },
  ],
});

function estimateOf(s = submission()): Estimate {
  const content = validateEstimate(s, { currency: 'USD', today: '2026-12-01' });
  const fields = {
    version: 1,
    issuedAt: new Date('2026-12-01T15:00:00Z'),
    ...content,
    disclaimers: [...DISCLAIMERS],
    disputeInstructions: DISPUTE_INSTRUCTIONS,
  };
  return {
    estimateId: 'e0000000-0000-4000-8000-000000000001',
    patientId: 'p',
    clinicId: 'c',
    clinicName: 'Harbour Clinic',
    timeZone: 'America/New_York',
    currency: 'USD',
    versions: [{ ...fields, issuedBy: 's', idempotencyKey: 'k', contentSha256: contentSha256('e', 'USD', fields) }],
    decisions: [],
    exceeded: [],
    version: 1,
    createdAt: fields.issuedAt,
    updatedAt: fields.issuedAt,
  };
}

/** An invoice of the estimate: `amounts` billed by `npi`, issued at `issuedAt`. */
const invoice = (id: string, issuedAt: string, npi: string, amounts: number[], estimateId = estimateOf().estimateId): Invoice => ({
  invoiceId: id,
  patientId: 'p',
  clinicId: 'c',
  clinicName: '',
  timeZone: 'America/New_York',
  number: id,
  currency: 'USD',
  issuedAt: new Date(issuedAt),
  dueOn: '2027-03-01',
  lines: amounts.map((amountMinor) => ({
    dateOfService: '2027-01-05',
    procedureCode: '90834',
    modifiers: [],
    description: 'x',
    units: 1,
    unitPriceMinor: amountMinor,
    amountMinor,
    renderingProviderNpi: npi,
    estimateId,
  })),
  totalMinor: amounts.reduce((a, b) => a + b, 0),
  adjustments: [],
  version: 1,
  createdAt: new Date(issuedAt),
  updatedAt: new Date(issuedAt),
});

describe('the NPI check digit', () => {
  it('accepts NPIs whose Luhn digit over 80840 and the first nine is right, and refuses one digit off', () => {
    expect(isNpi(DR_RIVERA)).toBe(true);
    expect(isNpi(LAB)).toBe(true);
    expect(isNpi('1992753884')).toBe(false);
    expect(isNpi('1234567890')).toBe(false);
    expect(isNpi('123456789')).toBe(false);
  });
});

describe('what staff submit', () => {
  it('adds up each item and the estimate in minor units', () => {
    const content = validateEstimate(submission(), { currency: 'USD', today: '2026-12-01' });
    expect(content.items.map((i) => i.chargeMinor)).toEqual([180_000, 5_000]);
    expect(content.totalMinor).toBe(185_000);
  });

  it('lists every missing or wrong field at once: NPI, codes, charges, an item of no listed provider', () => {
    const s = submission();
    s.providers[0]!.npi = '';
    s.providers[1]!.npi = '1234567890';
    s.items[0] = { ...s.items[0]!, serviceCode: '9083', diagnosisCodes: ['41.1'], unitChargeMinor: 0 };
    s.items[1] = { ...s.items[1]!, unitChargeMinor: -500, providerNpi: '1111111111', modifiers: ['GTX'] };
    let error: unknown;
    try {
      validateEstimate(s, { currency: 'USD', today: '2026-12-01' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).violations.map((v) => v.field)).toEqual([
      'providers[0].npi',
      'providers[1].npi',
      'items[0].provider_npi',
      'items[0].service_code',
      'items[0].diagnosis_codes[0]',
      'items[0].unit_charge',
      'items[1].provider_npi',
      'items[1].modifiers[0]',
      'items[1].unit_charge',
    ]);
  });

  it('refuses a fraction of a cent and a charge in another currency', () => {
    const s = submission();
    s.items[0] = { ...s.items[0]!, unitChargeMinor: 150.5 };
    s.items[1] = { ...s.items[1]!, currency: 'EUR' };
    expect(() => validateEstimate(s, { currency: 'USD', today: '2026-12-01' })).toThrow(
      /unit_charge must be more than zero.*currency_code must be USD/,
    );
  });
});

describe('the $400 rule', () => {
  // Dr Rivera was estimated at $1,800.00: $2,199.99 billed is $399.99 over, $2,200.00 is $400 over.
  it('gives no notice at $399.99 over the provider’s estimate', () => {
    const bills = [invoice('i1', '2027-01-10T15:00:00Z', DR_RIVERA, [150_000]), invoice('i2', '2027-02-10T15:00:00Z', DR_RIVERA, [69_999])];
    expect(exceededNotices(estimateOf(), bills)).toEqual([]);
  });

  it('gives the notice at $400.00 over, dated by the bill that went over, with 120 days to dispute', () => {
    const bills = [invoice('i1', '2027-01-10T15:00:00Z', DR_RIVERA, [150_000]), invoice('i2', '2027-02-10T03:00:00Z', DR_RIVERA, [70_000])];
    expect(exceededNotices(estimateOf(), bills)).toEqual([
      {
        version: 1,
        providerNpi: DR_RIVERA,
        estimatedMinor: 180_000,
        billedMinor: 220_000,
        // 03:00 UTC on 10 February is still 9 February in New York.
        billDate: '2027-02-09',
        disputeDeadline: '2027-06-09',
        invoiceIds: ['i1', 'i2'],
      },
    ]);
  });

  it('compares each provider with their own estimate, not the estimate’s total', () => {
    // The lab was estimated at $50: $450 billed is $400 over even though the whole is under $1,850.
    const bills = [invoice('i1', '2027-01-10T15:00:00Z', LAB, [45_000])];
    expect(exceededNotices(estimateOf(), bills).map((n) => n.providerNpi)).toEqual([LAB]);
  });

  it('counts only lines that name the estimate and the provider', () => {
    const bills = [
      invoice('i1', '2027-01-10T15:00:00Z', DR_RIVERA, [300_000], 'another-estimate'),
      invoice('i2', '2027-01-10T15:00:00Z', LAB, [300_000], 'another-estimate'),
    ];
    expect(exceededNotices(estimateOf(), bills)).toEqual([]);
  });

  it('records each notice once per version and provider', () => {
    const estimate = estimateOf();
    const notices = exceededNotices(estimate, [invoice('i1', '2027-01-10T15:00:00Z', LAB, [45_000])]);
    expect(unrecordedNotices(estimate, notices)).toHaveLength(1);
    expect(unrecordedNotices({ ...estimate, exceeded: notices }, notices)).toEqual([]);
  });
});

describe('a decision', () => {
  const signed = {
    version: 1,
    kind: 'approve' as const,
    intentStatement: 'I approve this estimate',
    disclosureVersion: 'd1',
    disclosureAccepted: true,
  };

  it('needs the decision’s own statement of intent and the disclosure in force, accepted', () => {
    expect(() => checkDecision(estimateOf(), signed, 'd1')).not.toThrow();
    expect(() => checkDecision(estimateOf(), { ...signed, intentStatement: 'I decline this estimate' }, 'd1')).toThrow(InvalidInput);
    expect(() => checkDecision(estimateOf(), { ...signed, disclosureAccepted: false }, 'd1')).toThrow(/disclosure must be accepted/);
    expect(() => checkDecision(estimateOf(), signed, 'd2')).toThrow(/not the disclosure in force/);
  });

  it('is refused on a version that is not the current one, and a second time', () => {
    expect(() => checkDecision(estimateOf(), { ...signed, version: 2 }, 'd1')).toThrow(NotAllowedNow);
    const decided = { ...estimateOf(), decisions: [{ kind: 'approve' as const, version: 1, intentStatement: '', evidence: {} as never }] };
    expect(() => checkDecision(decided, { ...signed, kind: 'decline', intentStatement: 'I decline this estimate' }, 'd1')).toThrow(
      /already approved or declined/,
    );
  });
});
