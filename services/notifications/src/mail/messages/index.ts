// One message catalog for every email the notifications service sends (i18next, as the auth
// service's and the web app's), so another language is a translation of messages/en.ts.
import i18next from 'i18next';
import { en } from './en.js';

const catalog = i18next.createInstance();
void catalog.init({
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['en'],
  resources: { en: { translation: en } },
  // The catalog is in the code: nothing to load, so translations are ready at once.
  initAsync: false,
  // The HTML email escapes every value itself; the plain text must not show "&amp;".
  interpolation: { escapeValue: false },
});

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** A key of the email catalog without its context, e.g. `appointment.subject.scheduled`. */
export type EmailMessageKey = Exclude<Leaves<typeof en>, `${string}_guardian`>;

/** The words for `key` with `values` put in; `context` 'guardian' picks the guardian's wording where there is one. */
export function emailText(key: EmailMessageKey, values: Record<string, string> = {}, context?: 'guardian'): string {
  return catalog.t(key, { ...values, ...(context ? { context } : {}) });
}
