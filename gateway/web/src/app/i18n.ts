// Every word a patient or guardian reads comes from one message catalog (i18next with
// react-i18next): English now, in messages/en.json; another language is another catalog of the
// same keys, not a change to the screens. Emails are written by the auth service, not here.
// Server messages that no key matches (a service's own words) are shown as they come.
import i18next, { type ParseKeys } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './messages/en.json';

export const defaultNamespace = 'translation';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: typeof defaultNamespace;
    resources: { translation: typeof en };
  }
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['en'],
  resources: { en: { translation: en } },
  defaultNS: defaultNamespace,
  // The catalog is bundled, so there is nothing to wait for: screens render translated at once.
  initAsync: false,
  // React escapes what it renders; escaping here too would show "&amp;" in a clinic's name.
  interpolation: { escapeValue: false },
});

/** For code outside components (the API client, form helpers). */
export const t = i18n.t;

/** A key of the catalog, for tables that name their label before it is translated. */
export type MessageKey = ParseKeys;
