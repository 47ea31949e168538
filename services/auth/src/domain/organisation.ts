// The clinic's organisation profile (seed step 3: welcome message, contact details, handbook) and
// the rules it obeys. One organisation per clinic. No I/O here.
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
import { InvalidInput, validate } from '@portico/kit/domain';

export interface OrganisationProfile {
  name: string;
  address: PostalAddress | undefined;
  /** E.164, or empty. */
  phone: string;
  email: string;
  openingHours: string[];
  welcomeMessage: string;
  /** Where patients log in; the welcome email links to it. */
  portalUrl: string;
  /** IANA name, e.g. Europe/London. */
  timeZone: string;
}

/** A file in the object store; the key changes with every upload so caches never serve an old one. */
export interface StoredFile {
  objectKey: string;
  contentType: string;
  sizeBytes: number;
  fileName: string;
  uploadedAt: Date;
}

export interface Organisation {
  clinicId: string;
  profile: OrganisationProfile;
  logo: StoredFile | undefined;
  handbook: StoredFile | undefined;
  updatedAt: Date;
  /** 0 for a clinic whose profile was never saved. */
  version: number;
}

/** What staff submit; the phone may be national when a region is given. */
export interface OrganisationSubmission extends OrganisationProfile {
  phoneRegion: string;
}

export const emptyProfile = (): OrganisationProfile => ({
  name: '',
  address: undefined,
  phone: '',
  email: '',
  openingHours: [],
  welcomeMessage: '',
  portalUrl: '',
  timeZone: 'UTC',
});

/** The organisation of a clinic that has not saved a profile yet. */
export const newOrganisation = (clinicId: string, now: Date): Organisation => ({
  clinicId,
  profile: emptyProfile(),
  logo: undefined,
  handbook: undefined,
  updatedAt: now,
  version: 0,
});

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const submissionSchema = z.object({
  name: boundedText(200).min(1, 'is required'),
  address: postalAddress.optional(),
  phone: phoneText,
  phoneRegion: regionCode,
  email: optionalEmail,
  openingHours: z.array(boundedText(200)).max(14, 'must be at most 14 lines'),
  welcomeMessage: boundedText(4000, { multiline: true }),
  portalUrl: z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
      } catch {
        return false;
      }
    }, 'must be an http(s) URL'),
  timeZone: z.string().trim().refine(isTimeZone, 'must be an IANA time zone, e.g. America/New_York'),
});

/** Checks a submitted profile against every rule at once and returns the profile to store. */
export function validateOrganisationProfile(submission: OrganisationSubmission): OrganisationProfile {
  const value = validate(submissionSchema, submission, 'organisation', { whole: 'profile' });
  const phone = phoneOrViolation(value.phone, value.phoneRegion, 'phone_region');
  if (typeof phone !== 'string') throw new InvalidInput('organisation', [phone]);
  const address = nonEmptyAddress(value.address);
  // Canonical spelling (e.g. "europe/london" is accepted by Intl but stored as Europe/London).
  const timeZone = new Intl.DateTimeFormat('en', { timeZone: value.timeZone }).resolvedOptions().timeZone;
  return {
    name: value.name,
    address,
    phone,
    email: value.email.toLowerCase(),
    openingHours: value.openingHours.filter((line) => line !== ''),
    welcomeMessage: value.welcomeMessage,
    portalUrl: new URL(value.portalUrl).href,
    timeZone,
  };
}

/** Names of the profile fields whose value differs, for OrganisationUpdated. */
export function changedProfileFields(before: OrganisationProfile, after: OrganisationProfile): string[] {
  return (Object.keys(after) as (keyof OrganisationProfile)[]).filter(
    (field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null),
  );
}

/** A clinic can invite once patients have a clinic name to recognise and a portal to go to. */
export function canInvite(organisation: Organisation | undefined): organisation is Organisation {
  return Boolean(organisation?.profile.name && organisation.profile.portalUrl);
}
