import { ContactPurpose, ContactPurposeSchema } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { describe, expect, it } from 'vitest';
import { boundedText, currentCountryCode, enumMapping, regionCode } from './index.js';

describe('the shared vocabulary', () => {
  it('free text refuses control characters; multi-line text keeps line breaks and tabs', () => {
    expect(boundedText(20).safeParse('Maria\u0000').success).toBe(false);
    expect(boundedText(20).safeParse('line\nbreak').success).toBe(false);
    expect(boundedText(40, { multiline: true }).parse('  Call after 6pm.\n\tWeekends.  ')).toBe('Call after 6pm.\n\tWeekends.');
    expect(boundedText(40, { multiline: true }).safeParse('bell\u0007').success).toBe(false);
    expect(boundedText(3).safeParse('four').error?.issues[0]?.message).toBe('must be at most 3 characters');
  });

  it('country codes are current ISO 3166-1 codes: withdrawn ones read as their successor, the rest refused', () => {
    expect(regionCode.parse(' gb ')).toBe('GB');
    expect(regionCode.parse('')).toBe('');
    // A contact stored with "UK" (withdrawn from ISO 3166-1, reserved for the United Kingdom).
    expect(regionCode.parse('UK')).toBe('GB');
    expect(['SU', 'YU', 'ZR', 'FX', 'TP'].map(currentCountryCode)).toEqual(['RU', 'RS', 'CD', 'FR', 'TL']);
    for (const notACountry of ['ZZ', 'EU', 'UN', 'XA', 'QO', 'AA', 'U1', 'USA', 'JQ']) {
      expect(regionCode.safeParse(notACountry).error?.issues[0]?.message, notACountry).toBe('must be an ISO 3166-1 alpha-2 country code');
    }
  });

  it('maps a protobuf enum to the domain names by the values of the contract itself', () => {
    const purposes = enumMapping(ContactPurposeSchema, ['emergency', 'release_of_information', 'other']);
    expect(purposes.toProto('release_of_information')).toBe(ContactPurpose.RELEASE_OF_INFORMATION);
    expect(purposes.fromProto(ContactPurpose.EMERGENCY)).toBe('emergency');
    expect(purposes.fromProto(ContactPurpose.UNSPECIFIED)).toBeUndefined();
    expect(purposes.fromProto(99 as ContactPurpose)).toBeUndefined();
    expect(() => enumMapping(ContactPurposeSchema, ['emergency', 'pen_pal'])).toThrow(/no value for pen_pal/);
  });
});
