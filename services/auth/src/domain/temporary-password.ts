// The temporary password of a welcome email: random (crypto), 20 characters with upper and lower
// case letters, digits and symbols, so it meets the realm's policy (length 12, not the username)
// and any composition rule a clinic may add. It exists only in memory, in Keycloak (hashed) and
// in the email: never in the database, a log line or an event.
import { randomInt } from 'node:crypto';

// Without look-alikes (0/O, 1/l/I) people mistype when copying from an email.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '-_.!@#%+=';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

export const TEMPORARY_PASSWORD_LENGTH = 20;

const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;

export function temporaryPassword(length = TEMPORARY_PASSWORD_LENGTH): string {
  const characters = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (characters.length < length) characters.push(pick(ALL));
  // Fisher–Yates, so the guaranteed classes are not always in front.
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j]!, characters[i]!];
  }
  return characters.join('');
}
