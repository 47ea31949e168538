import { describe, expect, it } from 'vitest';
import { InvalidInput } from '@portico/kit/domain';
import { changedFields, validateContact, type ContactSubmission } from './contact.js';

const submission = (overrides: Partial<ContactSubmission> = {}): ContactSubmission => ({
  name: 'Maria Lopez',
  relationship: 'Mother',
  phone: '',
  phoneRegion: '',
  email: '',
  address: undefined,
  purposes: ['other'],
  notes: '',
  ...overrides,
});

function violations(overrides: Partial<ContactSubmission>) {
  try {
    validateContact(submission(overrides));
  } catch (error) {
    if (error instanceof InvalidInput) return error.violations;
    throw error;
  }
  return [];
}

describe('a contact', () => {
  it('stores phone numbers in E.164 whether typed internationally or nationally', () => {
    expect(validateContact(submission({ phone: '+44 20 7946 0958' })).phone).toBe('+442079460958');
    expect(validateContact(submission({ phone: '(415) 555-2671', phoneRegion: 'us' })).phone).toBe('+14155552671');
  });

  it('refuses numbers that cannot be dialled and national numbers without a region', () => {
    expect(violations({ phone: '+1 555' })).toEqual([{ field: 'phone', message: 'is not a valid phone number' }]);
    expect(violations({ phone: '415 555 2671' })[0]?.message).toMatch(/international format/);
  });

  it('needs a phone number to be an emergency contact', () => {
    expect(violations({ purposes: ['emergency'] })).toEqual([{ field: 'phone', message: 'is required for an emergency contact' }]);
    expect(validateContact(submission({ purposes: ['emergency', 'emergency'], phone: '+14155552671' })).purposes).toEqual(['emergency']);
  });

  it('lists every problem at once and never repeats the value', () => {
    const found = violations({ name: ' ', email: 'maria(at)example', purposes: [] });
    expect(found.map((v) => v.field).sort()).toEqual(['email', 'name', 'purposes']);
    expect(JSON.stringify(found)).not.toContain('maria(at)example');
  });

  it('drops an address with nothing in it and lower-cases emails', () => {
    const details = validateContact(
      submission({ email: 'Maria@Example.ORG', address: { line1: '', line2: '', city: '', region: '', postalCode: '', countryCode: '' } }),
    );
    expect(details.address).toBeUndefined();
    expect(details.email).toBe('maria@example.org');
  });

  it('names the fields an edit changed', () => {
    const before = validateContact(submission({ phone: '+14155552671' }));
    const after = validateContact(submission({ phone: '+14155552671', notes: 'new note', relationship: 'Aunt' }));
    expect(changedFields(before, after)).toEqual(['relationship', 'notes']);
    expect(changedFields(before, before)).toEqual([]);
  });
});
