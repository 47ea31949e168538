// The contact form's values (the address as `address.*`, like the API), how they become the API's
// body (trimmed, empty optional fields left out), and the contact form's own words for problems.
import { addressFields, addressInput, addressValues, emptyAddress, type AddressValues } from '../../components/AddressFields';
import type { FieldPath } from 'react-hook-form';
import type { FieldWords } from '../../app/formErrors';
import { t } from '../../app/i18n';
import type { Contact, ContactInput, Purpose } from './contactsApi';

export interface ContactFormValues {
  name: string;
  relationship: string;
  phone: string;
  phoneRegion: string;
  email: string;
  address: AddressValues;
  purposes: Purpose[];
  notes: string;
}

/** The order of the fields on screen: the first one with a problem gets focus. */
export const fieldOrder = [
  'name',
  'relationship',
  'phone',
  'phoneRegion',
  'email',
  ...addressFields,
  'purposes',
  'notes',
] as const satisfies readonly FieldPath<ContactFormValues>[];

export function emptyContact(defaultRegion: string): ContactFormValues {
  return {
    name: '',
    relationship: '',
    phone: '',
    phoneRegion: defaultRegion,
    email: '',
    address: { ...emptyAddress },
    purposes: [],
    notes: '',
  };
}

export function valuesOf(contact: Contact, defaultRegion: string): ContactFormValues {
  return {
    name: contact.name,
    relationship: contact.relationship ?? '',
    phone: contact.phone ?? '',
    // Stored numbers are international (+…), so the region only matters for a new national number.
    phoneRegion: defaultRegion,
    email: contact.email ?? '',
    address: addressValues(contact.address),
    purposes: [...contact.purposes],
    notes: contact.notes ?? '',
  };
}

export function inputOf(values: ContactFormValues): ContactInput {
  const trim = (s: string) => s.trim();
  const input: ContactInput = { name: trim(values.name), purposes: [...values.purposes] };
  if (trim(values.relationship)) input.relationship = trim(values.relationship);
  if (trim(values.phone)) {
    input.phone = trim(values.phone);
    if (values.phoneRegion) input.phoneRegion = values.phoneRegion;
  }
  if (trim(values.email)) input.email = trim(values.email);
  const address = addressInput(values.address, true);
  if (Object.keys(address).length > 0) input.address = address;
  if (trim(values.notes)) input.notes = trim(values.notes);
  return input;
}

/** The gateway's schema messages in the words of this form, where they are more helpful. */
export const contactWords: FieldWords<ContactFormValues> = (field, message) => {
  if (field === 'name' && /fewer than 1|required|missing/i.test(message)) return t('contacts.form.nameRequired');
  if (field === 'purposes' && /fewer than 1|required|missing/i.test(message)) return t('contacts.form.purposeRequired');
  if ((field === 'phoneRegion' || field === 'address.countryCode') && /pattern/.test(message)) return t('contacts.form.chooseCountry');
  return undefined;
};
