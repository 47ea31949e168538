// What a Contact is and the rules it obeys. No I/O here: the store and the gRPC handlers call in.
import { InvalidInput, validate, type Violation } from '@portico/kit/domain';
import { phoneOrViolation } from '@portico/kit/phone';
import {
  boundedText,
  nonEmptyAddress,
  optionalEmail,
  phoneText,
  postalAddress,
  regionCode,
  type PostalAddress,
} from '@portico/kit/vocabulary';
import { z } from 'zod';

export const CONTACT_PURPOSES = ['emergency', 'release_of_information', 'other'] as const;
export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];
export type ContactStatus = 'active' | 'inactive';

export type { PostalAddress };

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

const submissionSchema = z.object({
  name: boundedText(200).min(1, 'is required'),
  relationship: boundedText(100),
  phone: phoneText,
  phoneRegion: regionCode,
  email: optionalEmail,
  address: postalAddress.optional(),
  purposes: z.array(z.enum(CONTACT_PURPOSES)).min(1, 'needs at least one purpose'),
  notes: boundedText(2000, { multiline: true }),
});

/** Checks a submission against every rule at once and returns the details to store. */
export function validateContact(submission: ContactSubmission): ContactDetails {
  const value = validate(submissionSchema, submission, 'contact');
  const violations: Violation[] = [];
  const phone = phoneOrViolation(value.phone, value.phoneRegion, 'phoneRegion');
  if (typeof phone !== 'string') violations.push(phone);
  const purposes = [...new Set(value.purposes)];
  // Someone to call in an emergency is no use without a number to call.
  if (purposes.includes('emergency') && value.phone === '')
    violations.push({ field: 'phone', message: 'is required for an emergency contact' });
  if (violations.length) throw new InvalidInput('contact', violations);
  const address = nonEmptyAddress(value.address);
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
