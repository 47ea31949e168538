// The evidence kept with every electronic signature: who signed, for whom, how they had signed
// in, when, from where, which electronic-records disclosure they had accepted, and the SHA-256 of
// the exact document version they signed. It is what a signed PDF's certificate page shows and
// what lets anyone later show that the signature belongs to that text and no other.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const signatureEvidenceSchema = z.object({
  /** The Keycloak user id of the person who signed. */
  signerUserId: z.string().min(1),
  /** The full name they typed to sign. */
  signerTypedName: z.string().min(1).max(200),
  /** The patient the signature is for; the signer themself when relationship is 'self'. */
  actingFor: z.object({
    patientId: z.string().min(1),
    relationship: z.enum(['self', 'guardian']),
  }),
  /** How the signer had signed in to the portal for this session. */
  login: z.object({
    /** In words, e.g. "Portico sign-in with password" or "... with password and one-time code". */
    method: z.string().min(1).max(200),
    /** When that sign-in happened (the token's auth_time), if known. */
    authenticatedAt: z.iso.datetime().optional(),
  }),
  signedAt: z.iso.datetime(),
  /** Where the signature came from, as the gateway saw it. */
  ipAddress: z.string().min(1).max(64),
  userAgent: z.string().max(512),
  /** The version of the electronic-records disclosure the signer had accepted. */
  disclosureVersion: z.string().min(1).max(64),
  /** SHA-256 (hex) of the exact document version signed. */
  documentSha256: z.string().regex(SHA256_HEX, 'is not a SHA-256 in hex'),
  signatureMethod: z.enum(['typed-name', 'typed-name-and-drawing']),
});

export type SignatureEvidence = z.infer<typeof signatureEvidenceSchema>;

/** SHA-256 in lower-case hex, of text (as UTF-8) or bytes. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** True when `value` reads as a SHA-256 in hex (either case). */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value.toLowerCase());
}

/** What an access token says about how its holder signed in (OIDC acr, amr, auth_time). */
export interface SignInClaims {
  acr?: unknown;
  amr?: unknown;
  auth_time?: unknown;
}

const AMR_WORDS: Record<string, string> = {
  pwd: 'password',
  otp: 'one-time code',
  mfa: 'a second factor',
  hwk: 'a security key',
  swk: 'a passkey',
  sms: 'a code by text message',
};

/** The login part of the evidence, from the verified token's claims. */
export function loginFromClaims(claims: SignInClaims): SignatureEvidence['login'] {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [];
  const words = amr.map((m) => AMR_WORDS[m] ?? m);
  const level = typeof claims.acr === 'string' && claims.acr !== '' ? ` (assurance level ${claims.acr})` : '';
  const method = `Portico sign-in${words.length > 0 ? ` with ${words.join(' and ')}` : ''}${level}`;
  const authenticatedAt =
    typeof claims.auth_time === 'number' && Number.isFinite(claims.auth_time) ? new Date(claims.auth_time * 1000).toISOString() : undefined;
  return authenticatedAt ? { method, authenticatedAt } : { method };
}

/**
 * The certificate's lines (label and value), as a signed PDF prints them: the time in UTC and in
 * the clinic's zone, so a reader at the clinic and an auditor elsewhere both read it plainly.
 */
export function certificateFields(
  evidence: SignatureEvidence,
  clinicTimeZone: string,
  names: { signer?: string; patient?: string } = {},
): Array<{ label: string; value: string }> {
  const signedAt = DateTime.fromISO(evidence.signedAt, { zone: 'utc' });
  const local = signedAt.setZone(clinicTimeZone);
  const zoned = local.isValid ? `${local.toFormat('yyyy-LL-dd HH:mm:ss ZZZZ')} (${clinicTimeZone})` : 'clinic time zone unknown';
  const who = names.signer ? `${names.signer} (typed: ${evidence.signerTypedName})` : evidence.signerTypedName;
  const forWhom =
    evidence.actingFor.relationship === 'self'
      ? 'Themself (the patient)'
      : `Patient ${names.patient ?? evidence.actingFor.patientId}, as their guardian`;
  return [
    { label: 'Signer', value: `${who}; user id ${evidence.signerUserId}` },
    { label: 'Acting for', value: forWhom },
    { label: 'Signed by', value: evidence.signatureMethod === 'typed-name' ? 'Typed full name' : 'Typed full name and drawn signature' },
    {
      label: 'Logged in by',
      value: evidence.login.method + (evidence.login.authenticatedAt ? `, at ${evidence.login.authenticatedAt}` : ''),
    },
    { label: 'Signed at (UTC)', value: signedAt.toFormat("yyyy-LL-dd HH:mm:ss 'UTC'") },
    { label: 'Signed at (clinic time)', value: zoned },
    { label: 'IP address', value: evidence.ipAddress },
    { label: 'User agent', value: evidence.userAgent || 'not sent' },
    { label: 'Electronic records disclosure', value: `version ${evidence.disclosureVersion}, accepted` },
    { label: 'Document SHA-256', value: evidence.documentSha256 },
  ];
}
