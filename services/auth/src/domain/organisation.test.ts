import { describe, expect, it } from 'vitest';
import { changedProfileFields, validateOrganisationProfile, type OrganisationSubmission } from './organisation.js';
import { InvalidInput } from '@portico/kit/domain';

const submission = (overrides: Partial<OrganisationSubmission> = {}): OrganisationSubmission => ({
  name: 'Riverside Family Clinic',
  address: undefined,
  phone: '',
  phoneRegion: '',
  email: '',
  openingHours: [],
  welcomeMessage: '',
  portalUrl: 'https://portal.riverside.example',
  timeZone: 'America/New_York',
  ...overrides,
});

function violations(overrides: Partial<OrganisationSubmission>) {
  try {
    validateOrganisationProfile(submission(overrides));
  } catch (error) {
    if (error instanceof InvalidInput) return error.violations;
    throw error;
  }
  return [];
}

describe('an organisation profile', () => {
  it('keeps phone numbers in E.164 and time zones in their canonical spelling', () => {
    const profile = validateOrganisationProfile(submission({ phone: '(415) 555-2671', phoneRegion: 'us', timeZone: 'europe/london' }));
    expect(profile.phone).toBe('+14155552671');
    expect(profile.timeZone).toBe('Europe/London');
  });

  it('refuses a phone number that cannot be dialled, an unknown time zone and a portal that is not a web address', () => {
    expect(violations({ phone: '+1 555' })).toEqual([{ field: 'phone', message: 'is not a valid phone number' }]);
    expect(violations({ timeZone: 'Mars/Olympus_Mons' })[0]).toMatchObject({ field: 'timeZone' });
    expect(violations({ portalUrl: 'javascript:alert(1)' })[0]).toMatchObject({ field: 'portalUrl' });
    expect(violations({ portalUrl: 'https://user:pw@portal.example' })[0]).toMatchObject({ field: 'portalUrl' });
  });

  it('lists every problem at once and never repeats the value', () => {
    const found = violations({ name: ' ', email: 'front-desk(at)clinic', timeZone: 'Nowhere/Land' });
    expect(found.map((v) => v.field).sort()).toEqual(['email', 'name', 'timeZone']);
    expect(JSON.stringify(found)).not.toContain('front-desk(at)clinic');
  });

  it('drops empty opening-hours lines and an empty address', () => {
    const profile = validateOrganisationProfile(
      submission({
        openingHours: ['Mon–Fri 8:00–18:00', ' ', 'Sat 9:00–12:00'],
        address: { line1: '', line2: '', city: '', region: '', postalCode: '', countryCode: '' },
      }),
    );
    expect(profile.openingHours).toEqual(['Mon–Fri 8:00–18:00', 'Sat 9:00–12:00']);
    expect(profile.address).toBeUndefined();
  });

  it('names the fields an edit changed', () => {
    const before = validateOrganisationProfile(submission());
    const after = validateOrganisationProfile(submission({ welcomeMessage: 'Welcome!', phone: '+442079460958' }));
    expect(changedProfileFields(before, after)).toEqual(['phone', 'welcomeMessage']);
  });
});
