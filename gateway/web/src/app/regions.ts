// Countries and regions for address and phone selects, named in the user's language by the
// browser (Intl.DisplayNames), so the app carries no country list of its own.

export interface Region {
  code: string;
  name: string;
}

// Codes that Intl names but that are not places a person lives or has a phone number.
const NOT_COUNTRIES = new Set([
  'EU',
  'EZ',
  'UN',
  'QO',
  'XA',
  'XB',
  'ZZ',
  'AA',
  'QM',
  'QN',
  'QP',
  'QQ',
  'QR',
  'QS',
  'QT',
  'QU',
  'QV',
  'QW',
  'QX',
  'QY',
  'QZ',
  'XK',
]);

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
      if (NOT_COUNTRIES.has(code)) continue;
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
  return regions().find((r) => r.code === code.toUpperCase())?.name ?? code.toUpperCase();
}
