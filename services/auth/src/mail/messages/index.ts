// The auth service's email words, from one catalog (see @portico/kit/mail emailCatalog).
import i18next from 'i18next';
import { emailCatalog, type CatalogKey } from '@portico/kit/mail';
import { en } from './en.js';

/** A key of the email catalog, e.g. `welcome.subject`. */
export type EmailMessageKey = CatalogKey<typeof en>;

/** The words for `key` with `values` put in. */
export const emailText: (key: EmailMessageKey, values?: Record<string, string>) => string = emailCatalog(i18next, en);
