import { ContactPurpose, ContactPurposeSchema } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { describe, expect, it } from 'vitest';
import { boundedText, enumMapping } from './index.js';

describe('the shared vocabulary', () => {
  it('free text refuses control characters; multi-line text keeps line breaks and tabs', () => {
    expect(boundedText(20).safeParse('Maria\u0000').success).toBe(false);
    expect(boundedText(20).safeParse('line\nbreak').success).toBe(false);
    expect(boundedText(40, { multiline: true }).parse('  Call after 6pm.\n\tWeekends.  ')).toBe('Call after 6pm.\n\tWeekends.');
    expect(boundedText(40, { multiline: true }).safeParse('bell\u0007').success).toBe(false);
    expect(boundedText(3).safeParse('four').error?.issues[0]?.message).toBe('must be at most 3 characters');
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
