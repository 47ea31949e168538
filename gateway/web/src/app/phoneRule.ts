// A phone number checked in the browser by the services' own rule (the kit's, bundled from its
// source): what the contacts or auth service would refuse is refused here, with the same words,
// before anything is sent. Kept out of phone.ts so only the forms' chunks carry the full metadata.
import { normalisePhoneNumber } from '@portico/kit/phone';
import { readable } from './formErrors';

/** Why `phone` would be refused read with `region` (ISO 3166 code or empty), or true when it would not. */
export function phoneAccepted(phone: string, region: string, regionField = 'phone_region'): string | true {
  const reading = normalisePhoneNumber(phone.trim(), region, regionField);
  return 'problem' in reading ? readable(reading.problem) : true;
}
