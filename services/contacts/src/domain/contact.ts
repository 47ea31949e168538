// What a Contact is and the rules it obeys. No I/O here: the store and the gRPC handlers call in.
import { InvalidInput, validate, type Violation } from '@portico/kit/domain';
import { normalisePhoneNumber } from '@portico/kit/phone';
import { z } from 'zod';

export const CONTACT_PURPOSES = ['emergency', 'release_of_information', 'other'] as const;
export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];
export type ContactStatus = 'active' | 'inactive';

export interface PostalAddress {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  countryCode: string;
}

export interface ContactDetails {
  name: string;
  relationship: string;
  /** E.164, or empty. */
  phone: string;
  email: string;
  address: PostalAddress | undefined;
  purposes: ContactPurpose[];
  notes: string;
}

export interface Contact {
  contactId: string;
  patientId: string;
  clinicId: string;
  details: ContactDetails;
  status: ContactStatus;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** What a caller submits; the phone may be national when a region is given. */
export interface ContactSubmission extends Omit<ContactDetails, 'phone'> {
  phone: string;
  phoneRegion: string;
}

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const addressSchema = z.object({
  line1: text(200),
  line2: text(200),
  city: text(100),
  region: text(100),
  postalCode: text(20),
  countryCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{2})?$/, 'must be an ISO 3166-1 alpha-2 code'),
});
const submissionSchema = z.object({
  name: text(200).min(1, 'is required'),
  relationship: text(100),
  phone: text(40),
  phoneRegion: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{2})?$/, 'must be an ISO 3166-1 alpha-2 code'),
  email: z.union([z.literal(''), z.email('must be an email address').max(254)]),
  address: addressSchema.optional(),
  purposes: z.array(z.enum(CONTACT_PURPOSES)).min(1, 'needs at least one purpose'),
  notes: text(2000),
});

function normalisePhone(phone: string, region: string): string | Violation {
  const reading = normalisePhoneNumber(phone, region, 'phoneRegion');
  return 'e164' in reading ? reading.e164 : { field: 'phone', message: reading.problem };
}

/** Checks a submission against every rule at once and returns the details to store. */
export function validateContact(submission: ContactSubmission): ContactDetails {
  const value = validate(submissionSchema, submission, 'contact');
  const violations: Violation[] = [];
  const phone = normalisePhone(value.phone, value.phoneRegion);
  if (typeof phone !== 'string') violations.push(phone);
  const purposes = [...new Set(value.purposes)];
  // Someone to call in an emergency is no use without a number to call.
  if (purposes.includes('emergency') && value.phone === '')
    violations.push({ field: 'phone', message: 'is required for an emergency contact' });
  if (violations.length) throw new InvalidInput('contact', violations);
  const address = value.address && Object.values(value.address).some((part) => part !== '') ? value.address : undefined;
  return {
    name: value.name,
    relationship: value.relationship,
    phone: phone as string,
    email: value.email.toLowerCase(),
    address,
    purposes,
    notes: value.notes,
  };
}

/** Names of the detail fields whose value differs, for ContactUpdated. */
export function changedFields(before: ContactDetails, after: ContactDetails): string[] {
  return (Object.keys(after) as (keyof ContactDetails)[]).filter(
    (field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null),
  );
}
