// Phone numbers come back from the services in E.164 (+12185550175); people read them grouped.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

export function formatPhone(value: string): string {
  if (!value) return '';
  const parsed = parsePhoneNumberFromString(value);
  return parsed?.isValid() ? parsed.formatInternational() : value;
}

/** The href of a phone link: digits and the leading + only. */
export function telHref(value: string): string {
  return `tel:${value.replace(/[^\d+]/g, '')}`;
}
