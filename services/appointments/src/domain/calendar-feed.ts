// A patient's private calendar feed: an address with a secret in it that a calendar program polls
// without logging in. The secret is shown once; the service keeps only its SHA-256 digest, so its
// database (or a backup of it) gives nobody a working address.
import { createHash, randomBytes } from 'node:crypto';

export interface CalendarFeed {
  feedId: string;
  patientId: string;
  clinicId: string;
  tokenDigest: string;
  createdAt: Date;
  /** Set once revoked, or replaced by a newer feed; a revoked feed answers nobody. */
  revokedAt: Date | undefined;
}

const TOKEN_BYTES = 32;
/** 32 random bytes in base64url without padding: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new feed secret: 256 random bits, as it goes into the address. */
export const newFeedToken = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

/** What is stored of a feed secret. */
export const feedTokenDigest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** True when `token` could be one this service gave out; anything else is answered like an unknown token. */
export const isFeedTokenShaped = (token: string): boolean => TOKEN_PATTERN.test(token);
