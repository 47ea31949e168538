// The words of a service's emails from one i18next catalog (as the web app's pages), so another
// language is a translation of the service's messages/en.ts, not a change to its emails. The
// service hands in its own i18next: the kit does not depend on it, so services that send no
// email (and their images) carry neither i18next nor the TypeScript it lists as an optional peer.

/** The part of i18next the catalog uses. */
export interface I18next {
  createInstance(): { init(options: Record<string, unknown>): unknown; t: unknown };
}

/** The dotted keys of a nested catalog: `welcome.subject`. */
export type CatalogKey<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : CatalogKey<T[K], `${P}${K}.`>;
}[keyof T & string];

/**
 * The catalog's lookup: the words for `key` with `values` put in; `context` picks a variant kept
 * as `<key>_<context>` (e.g. a guardian's wording) where there is one.
 */
export function emailCatalog<T extends object>(i18next: I18next, en: T) {
  const catalog = i18next.createInstance();
  void catalog.init({
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: ['en'],
    resources: { en: { translation: en as Record<string, unknown> } },
    // The catalog is in the code: nothing to load, so translations are ready at once.
    initAsync: false,
    // The HTML email escapes every value itself; the plain text must not show "&amp;".
    interpolation: { escapeValue: false },
  });
  // i18next types its keys against a global catalog; ours is typed by CatalogKey<T> instead.
  const translate = catalog.t as unknown as (key: string, options: Record<string, string>) => string;
  return (key: CatalogKey<T>, values: Record<string, string> = {}, context?: string): string =>
    translate(key, { ...values, ...(context ? { context } : {}) });
}

/** What a service renders for one email before the mailer sends it. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A value put into an email's HTML, with the five characters HTML gives meaning escaped. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
