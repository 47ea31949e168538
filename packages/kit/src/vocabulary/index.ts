// One vocabulary for what every service takes in: bounded free text that refuses control
// characters (a NUL byte or an escape sequence is never a name or a note), email addresses,
// region codes, postal addresses (portico.common.v1.PostalAddress), and the mapping between a
// protobuf enum and the domain's names for its values, read from the contract itself.
import type { DescEnum } from '@bufbuild/protobuf';
import { z } from 'zod';

// Line breaks and tabs are text in a note; every other control character is not.
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LINE_BREAKS = /[^\P{Cc}\n\r\t]/u;

/** Trimmed text of at most `max` characters without control characters; `multiline` lets line breaks and tabs through. */
export const boundedText = (max: number, options: { multiline?: boolean } = {}) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((text) => !(options.multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(text), 'must not contain control characters');

// ISO 3166-1 codes that name no country: user-assigned ones (AA, QM–QZ, XA–XZ, ZZ) and the
// exceptionally reserved EU, EZ and UN, which ICU names but nobody lives or has a phone in.
const NOT_A_COUNTRY = /^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/;

/**
 * The current ISO 3166-1 alpha-2 code for `code`: a withdrawn or reserved code with one successor
 * becomes it (UK → GB, SU → RU, YU → RS, ZR → CD, FX → FR: ICU's region aliases, from CLDR);
 * undefined when it names no country.
 */
export function currentCountryCode(code: string): string | undefined {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper) || NOT_A_COUNTRY.test(upper)) return undefined;
  const current = Intl.getCanonicalLocales(`und-${upper}`)[0]?.slice(4) ?? '';
  const named = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(current);
  return named && named !== current ? current : undefined;
}

/** Every withdrawn or reserved code that has a successor, with it (UK → GB and the like). */
export function withdrawnCountryCodes(): Map<string, string> {
  const withdrawn = new Map<string, string>();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const current = currentCountryCode(code);
      if (current && current !== code) withdrawn.set(code, current);
    }
  }
  return withdrawn;
}

/** A current ISO 3166-1 alpha-2 code in upper case (withdrawn ones read as their successor), or empty. */
export const regionCode = z
  .string()
  .trim()
  .transform((code, context) => {
    if (code === '') return '';
    const current = currentCountryCode(code);
    if (!current) context.addIssue({ code: 'custom', message: 'must be an ISO 3166-1 alpha-2 country code' });
    return current ?? code;
  });

/** An email address, or empty; lower-case it when storing. */
export const optionalEmail = z.union([z.literal(''), z.email('must be an email address').max(254, 'must be at most 254 characters')]);

/** Phone numbers are read as text here and normalised to E.164 by @portico/kit/phone. */
export const phoneText = boundedText(40);

export interface PostalAddress {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  countryCode: string;
}

export const postalAddress = z.object({
  line1: boundedText(200),
  line2: boundedText(200),
  city: boundedText(100),
  region: boundedText(100),
  postalCode: boundedText(20),
  countryCode: regionCode,
});

/** The address from the wire (absent stays absent), with only its six fields. */
export function addressOf(message: PostalAddress | undefined): PostalAddress | undefined {
  if (!message) return undefined;
  const { line1, line2, city, region, postalCode, countryCode } = message;
  return { line1, line2, city, region, postalCode, countryCode };
}

/** An address with nothing in it is no address. */
export const nonEmptyAddress = (address: PostalAddress | undefined): PostalAddress | undefined =>
  address && Object.values(address).some((part) => part !== '') ? address : undefined;

export interface EnumMapping<N extends string, V extends number> {
  toProto(name: N): V;
  /** The domain's name, or undefined for UNSPECIFIED and numbers the contract does not have. */
  fromProto(value: V): N | undefined;
}

/**
 * Maps the domain's names to a protobuf enum's values by the values' own names: `emergency` is
 * CONTACT_PURPOSE_EMERGENCY. Fails at start-up when a name has no value, so contract and domain
 * cannot drift apart unnoticed.
 */
export function enumMapping<N extends string, V extends number>(
  schema: Pick<DescEnum, 'typeName' | 'values'>,
  names: readonly N[],
): EnumMapping<N, V> {
  const byName = new Map<N, V>();
  for (const name of names) {
    const value = schema.values.find((v) => v.localName.toLowerCase() === name);
    if (!value) throw new Error(`${schema.typeName} has no value for ${name}`);
    byName.set(name, value.number as V);
  }
  const byValue = new Map([...byName].map(([name, value]) => [value, name]));
  return { toProto: (name) => byName.get(name)!, fromProto: (value) => byValue.get(value) };
}
