// The trail's rules that need no server: how long entries stay, and which entries prove a
// patient's clinic.
import { describe, expect, it } from 'vitest';
import { SIX_YEARS_IN_DAYS } from '../config.js';
import { clinicShownBy, retentionCutoff, validateFilter, type RecordAccess } from './record-access.js';

const patientId = '0b7e4a52-6f0e-4b8e-9a43-1f0d6a2b9c11';
const access = (overrides: Partial<RecordAccess>): RecordAccess => ({
  eventId: 'e1',
  actor: { subject: patientId, role: 'patient', clinicId: 'clinic-a' },
  patientId,
  action: 'contacts.list',
  resourceType: 'contact',
  resourceId: '',
  outcome: 'allowed',
  occurredAt: new Date('2026-03-01T10:00:00Z'),
  sourceIp: '127.0.0.1',
  requestId: 'r1',
  keptAt: new Date('2026-03-01T10:00:01Z'),
  ...overrides,
});

describe('retention', () => {
  it('keeps six calendar years by default: an access of 1 March 2026 stays until 1 March 2032', () => {
    const cutoff = retentionCutoff(new Date('2032-03-01T10:00:00Z'), SIX_YEARS_IN_DAYS);
    expect(cutoff.toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });
});

describe('the clinic an entry shows', () => {
  it('is the patient’s own, or their guardian’s, when they were let in', () => {
    expect(clinicShownBy(access({}))).toBe('clinic-a');
    expect(clinicShownBy(access({ actor: { subject: 'g', role: 'guardian', clinicId: 'clinic-a' } }))).toBe('clinic-a');
  });

  it('is not shown by staff, by a refusal, or by another patient', () => {
    expect(clinicShownBy(access({ actor: { subject: 's', role: 'staff', clinicId: 'clinic-b' } }))).toBeUndefined();
    expect(clinicShownBy(access({ outcome: 'denied' }))).toBeUndefined();
    expect(clinicShownBy(access({ actor: { subject: 'other', role: 'patient', clinicId: 'clinic-b' } }))).toBeUndefined();
  });
});

describe('the staff filter', () => {
  it('refuses a range that ends before it starts, and a person id that is not one', () => {
    const from = new Date('2026-03-02T00:00:00Z');
    expect(() => validateFilter({ patientId, from, before: new Date('2026-03-01T00:00:00Z') })).toThrow();
    expect(() => validateFilter({ patientId, actorSubject: 'someone' })).toThrow();
    expect(validateFilter({ patientId, from })).toEqual({ patientId, from });
  });
});
