// The contact form's values, how they become the API's body (trimmed, empty optional fields left
// out), the checks worth making before asking the gateway, and where the gateway's field
// problems (`body.email`, `body.address.postalCode`, `phone`…) belong in the form.
import type { ProblemFieldError } from '../../app/api';
import type { Contact, ContactInput, Purpose } from './contactsApi';

export interface ContactFormValues {
  name: string;
  relationship: string;
  phone: string;
  phoneRegion: string;
  email: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  countryCode: string;
  purposes: Purpose[];
  notes: string;
}

export type ContactField = keyof ContactFormValues;
export type FieldErrors = Partial<Record<ContactField, string>>;

/** The order of the fields on screen: the first one with a problem gets focus. */
export const fieldOrder: ContactField[] = [
  'name',
  'relationship',
  'phone',
  'phoneRegion',
  'email',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'countryCode',
  'purposes',
  'notes',
];

export function emptyContact(defaultRegion: string): ContactFormValues {
  return {
    name: '',
    relationship: '',
    phone: '',
    phoneRegion: defaultRegion,
    email: '',
    line1: '',
    line2: '',
    city: '',
    region: '',
    postalCode: '',
    countryCode: '',
    purposes: [],
    notes: '',
  };
}

export function valuesOf(contact: Contact, defaultRegion: string): ContactFormValues {
  const address = contact.address ?? {};
  return {
    name: contact.name,
    relationship: contact.relationship ?? '',
    phone: contact.phone ?? '',
    // Stored numbers are international (+…), so the region only matters for a new national number.
    phoneRegion: defaultRegion,
    email: contact.email ?? '',
    line1: address.line1 ?? '',
    line2: address.line2 ?? '',
    city: address.city ?? '',
    region: address.region ?? '',
    postalCode: address.postalCode ?? '',
    countryCode: address.countryCode ?? '',
    purposes: [...contact.purposes],
    notes: contact.notes ?? '',
  };
}

export function inputOf(values: ContactFormValues): ContactInput {
  const t = (s: string) => s.trim();
  const input: ContactInput = { name: t(values.name), purposes: [...values.purposes] };
  if (t(values.relationship)) input.relationship = t(values.relationship);
  if (t(values.phone)) {
    input.phone = t(values.phone);
    if (values.phoneRegion) input.phoneRegion = values.phoneRegion;
  }
  if (t(values.email)) input.email = t(values.email);
  const address = {
    line1: t(values.line1),
    line2: t(values.line2),
    city: t(values.city),
    region: t(values.region),
    postalCode: t(values.postalCode),
    countryCode: values.countryCode,
  };
  const filled = Object.fromEntries(Object.entries(address).filter(([, v]) => v));
  if (Object.keys(filled).length > 0) input.address = filled;
  if (t(values.notes)) input.notes = t(values.notes);
  return input;
}

/** Checks that save a round trip; the gateway and the contacts service check everything again. */
export function check(values: ContactFormValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.name.trim()) errors.name = 'Enter the contact’s name.';
  if (values.purposes.length === 0) errors.purposes = 'Choose at least one purpose.';
  // The contacts service's rule, checked here too so the person learns it before sending.
  if (values.purposes.includes('emergency') && !values.phone.trim())
    errors.phone = 'Enter a phone number: the clinic calls emergency contacts.';
  const email = values.email.trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Enter an email address like name@example.org.';
  return errors;
}

const addressFields: Record<string, ContactField> = {
  line1: 'line1',
  line2: 'line2',
  city: 'city',
  region: 'region',
  postalCode: 'postalCode',
  countryCode: 'countryCode',
};

/** Maps one gateway field path to the form's field, or null when the form has no such field. */
export function fieldOf(path: string): ContactField | null {
  const parts = path
    .replace(/^(body|details|contact)\./, '')
    .split('.')
    .filter((p) => !/^\d+$/.test(p));
  const [first, second] = parts;
  if (!first) return null;
  if (first === 'address') return second ? (addressFields[second] ?? null) : 'line1';
  return (fieldOrder as string[]).includes(first) ? (first as ContactField) : null;
}

/** Splits the gateway's field problems into those shown next to a field and the rest. */
export function placeErrors(errors: ProblemFieldError[] = []): { fields: FieldErrors; other: ProblemFieldError[] } {
  const fields: FieldErrors = {};
  const other: ProblemFieldError[] = [];
  for (const error of errors) {
    const field = fieldOf(error.field);
    if (!field) {
      other.push(error);
      continue;
    }
    const message = friendly(field, error.message);
    fields[field] = fields[field] && fields[field] !== message ? `${fields[field]} ${message}` : message;
  }
  return { fields, other };
}

/** The gateway's schema messages ("must match format \"email\"") in the words of the form. */
export function friendly(field: ContactField, message: string): string {
  const longest = /must NOT have more than (\d+) characters/.exec(message);
  if (longest) return `Use at most ${longest[1]} characters.`;
  if (/format "email"/.test(message)) return 'Enter an email address like name@example.org.';
  if (field === 'name' && /fewer than 1|required|missing/i.test(message)) return 'Enter the contact’s name.';
  if (field === 'purposes' && /fewer than 1|required|missing/i.test(message)) return 'Choose at least one purpose.';
  if ((field === 'phoneRegion' || field === 'countryCode') && /pattern/.test(message)) return 'Choose a country from the list.';
  return sentence(message);
}

function sentence(message: string): string {
  const trimmed = message.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
