// Countries and regions for address and phone selects, named in the user's language by the
// browser (Intl.DisplayNames), so the app carries no country list of its own.

export interface Region {
  code: string;
  name: string;
}

// ISO 3166-1 codes that name no country: user-assigned ones (AA, QM–QZ, XA–XZ, ZZ) and the
// exceptionally reserved EU, EZ and UN. The services refuse them too (@portico/kit/vocabulary).
const NOT_A_COUNTRY = /^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/;

/** Withdrawn codes (UK, SU, YU, ZR, FX…) are aliases of a current one in ICU's data: only current codes are offered. */
const isCurrent = (code: string) => Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`;

let cached: Region[] | null = null;

export function regions(): Region[] {
  if (cached) return cached;
  const language = typeof navigator !== 'undefined' ? navigator.language : 'en';
  let names: Intl.DisplayNames;
  try {
    names = new Intl.DisplayNames([language, 'en'], { type: 'region', fallback: 'none' });
  } catch {
    names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  }
  const list: Region[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_A_COUNTRY.test(code) || !isCurrent(code)) continue;
      const name = names.of(code);
      if (name && name !== code) list.push({ code, name });
    }
  }
  list.sort((x, y) => x.name.localeCompare(y.name, language));
  cached = list;
  return list;
}

export function regionName(code: string | undefined): string {
  if (!code) return '';
  const upper = code.toUpperCase();
  const current = Intl.getCanonicalLocales(`und-${upper}`)[0]?.slice(4) ?? upper;
  return regions().find((r) => r.code === current)?.name ?? upper;
}
