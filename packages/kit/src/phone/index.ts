// Phone numbers as every Portico service keeps them: E.164, read with libphonenumber-js's full
// metadata, so "(415) 555-2671" with region US and "+1 415 555 2671" are the same number.
import { parsePhoneNumberFromString, parsePhoneNumberWithError, ParseError } from 'libphonenumber-js/max';

export type PhoneReading = { e164: string } | { problem: string };

/**
 * The E.164 form of `phone` (empty stays empty), or why it cannot be read. `regionField` names the
 * field that carries the region, for the message a person sees when a national number lacks one.
 */
export function normalisePhoneNumber(phone: string, region: string, regionField: string): PhoneReading {
  if (phone === '') return { e164: '' };
  try {
    const parsed = parsePhoneNumberWithError(phone, region ? { defaultCountry: region as never } : undefined);
    return parsed.isValid() ? { e164: parsed.number } : { problem: 'is not a valid phone number' };
  } catch (error) {
    if (error instanceof ParseError) {
      return { problem: region ? 'is not a valid phone number' : `must be in international format (+...) or come with ${regionField}` };
    }
    throw error;
  }
}

/** The E.164 form, or the violation a person sees on `phone`. */
export function phoneOrViolation(phone: string, region: string, regionField: string): string | { field: 'phone'; message: string } {
  const reading = normalisePhoneNumber(phone, region, regionField);
  return 'e164' in reading ? reading.e164 : { field: 'phone', message: reading.problem };
}

/** A stored (E.164) number as people write it: "+44 117 496 0123"; empty when there is none. */
export function readablePhoneNumber(e164: string): string {
  return e164 ? (parsePhoneNumberFromString(e164)?.formatInternational() ?? e164) : '';
}
