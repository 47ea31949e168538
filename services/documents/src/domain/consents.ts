// Consents: a versioned text staff assign to a patient, signed once by the patient or a guardian
// with the kit's signature evidence. A release of information also names one of the patient's
// contacts, what may be shared and until when; the patient may revoke it. No I/O here.
import { InvalidInput, NotAllowedNow, type Violation } from '@portico/kit/domain';
import { sha256Hex, type SignatureEvidence, type SignatureMethod, type Stroke } from '@portico/kit/signatures';
import { DateTime } from 'luxon';
import type { ConsentTemplate } from './consent-templates.js';

export const CONSENT_KINDS = ['treatment', 'release_of_information', 'telehealth', 'financial_policy', 'other'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

export const RELEASE_STATES = ['pending', 'active', 'revoked', 'expired'] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

/** Longest scope of a release; it is a line on the consent, not a letter. */
export const SCOPE_MAX_LENGTH = 500;

export interface Release {
  contactId: string;
  scope: string;
  /** The last day the release holds (YYYY-MM-DD), in the clinic's time zone. */
  expiresOn: string;
  /** The clinic's time zone when it was assigned: the day the expiry date ends is the clinic's. */
  timeZone: string;
  revokedAt: Date | null;
  revokedBy: string;
}

export interface ConsentSignature {
  typedName: string;
  method: SignatureMethod;
  /** signature_pad's strokes, kept with the image so the drawing can be replayed. */
  strokes: Stroke[] | null;
  imagePng: Buffer | null;
  evidence: SignatureEvidence;
}

export interface SignedPdf {
  objectKey: string;
  sha256: string;
  sizeBytes: number;
}

export interface Consent {
  consentId: string;
  patientId: string;
  clinicId: string;
  templateId: string;
  templateVersion: number;
  kind: ConsentKind;
  title: string;
  /** The exact text assigned, the one signed. */
  text: string;
  textSha256: string;
  release: Release | null;
  assignedBy: string;
  assignedAt: Date;
  signature: ConsentSignature | null;
  signedAt: Date | null;
  signedPdf: SignedPdf | null;
  version: number;
}

export interface ReleaseRequest {
  contactId: string;
  scope: string;
  expiresOn: string;
}

/** A new consent from a template; a release of information needs its contact, scope and expiry. */
export function assignConsent(
  template: ConsentTemplate,
  ids: { consentId: string; patientId: string; clinicId: string; assignedBy: string },
  release: ReleaseRequest | undefined,
  clinic: { timeZone: string; today: string },
  now: Date,
): Consent {
  const violations: Violation[] = [];
  let kept: Release | null = null;
  if (template.kind === 'release_of_information') {
    if (!release) violations.push({ field: 'release', message: 'is required for a release of information' });
    else {
      const scope = release.scope.trim();
      if (!release.contactId) violations.push({ field: 'release.contact_id', message: 'is required: name one of the patient’s contacts' });
      if (scope === '') violations.push({ field: 'release.scope', message: 'is required: say what may be shared' });
      else if (scope.length > SCOPE_MAX_LENGTH)
        violations.push({ field: 'release.scope', message: `must be at most ${SCOPE_MAX_LENGTH} characters` });
      const expires = DateTime.fromISO(release.expiresOn, { zone: 'utc' });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(release.expiresOn) || !expires.isValid)
        violations.push({ field: 'release.expires_on', message: 'must be a date (YYYY-MM-DD)' });
      else if (release.expiresOn < clinic.today) violations.push({ field: 'release.expires_on', message: 'must not be in the past' });
      kept = {
        contactId: release.contactId,
        scope,
        expiresOn: release.expiresOn,
        timeZone: clinic.timeZone,
        revokedAt: null,
        revokedBy: '',
      };
    }
  } else if (release && (release.contactId || release.scope || release.expiresOn)) {
    violations.push({ field: 'release', message: 'belongs only to a release of information' });
  }
  if (violations.length > 0) throw new InvalidInput('consent', violations);
  return {
    ...ids,
    templateId: template.templateId,
    templateVersion: template.version,
    kind: template.kind,
    title: template.title,
    text: template.text,
    textSha256: sha256Hex(template.text),
    release: kept,
    assignedAt: now,
    signature: null,
    signedAt: null,
    signedPdf: null,
    version: 1,
  };
}

export const isOutstanding = (consent: Consent) => consent.signature === null;

/** The consent signed: refused when it was signed already. */
export function signConsent(consent: Consent, signature: ConsentSignature, pdf: SignedPdf, at: Date): Consent {
  if (!isOutstanding(consent)) throw new NotAllowedNow('this consent was signed already');
  return { ...consent, signature, signedAt: at, signedPdf: pdf, version: consent.version + 1 };
}

/** A signed release revoked: refused for another kind, one not signed yet, or one revoked already. */
export function revokeRelease(consent: Consent, by: string, at: Date): Consent {
  if (!consent.release) throw new NotAllowedNow('only a release of information can be revoked');
  if (isOutstanding(consent)) throw new NotAllowedNow('this release is not signed yet');
  if (consent.release.revokedAt) throw new NotAllowedNow('this release was revoked already');
  return { ...consent, release: { ...consent.release, revokedAt: at, revokedBy: by }, version: consent.version + 1 };
}

/** Where a release stands on `today` (YYYY-MM-DD in the clinic's zone): it holds through its expiry date. */
export function releaseStateOf(release: Release, signed: boolean, today: string): ReleaseState {
  if (release.revokedAt) return 'revoked';
  if (release.expiresOn < today) return 'expired';
  return signed ? 'active' : 'pending';
}

/** Today's date in a time zone (UTC when the zone is unknown). */
export function todayIn(timeZone: string, now: Date): string {
  const local = DateTime.fromJSDate(now).setZone(timeZone || 'utc');
  return (local.isValid ? local : DateTime.fromJSDate(now, { zone: 'utc' })).toISODate()!;
}
