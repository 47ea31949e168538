// The notifications service's email words, from one catalog (see @portico/kit/mail emailCatalog).
import i18next from 'i18next';
import { emailCatalog, type CatalogKey } from '@portico/kit/mail';
import { en } from './en.js';

/** A key of the email catalog without its context, e.g. `appointment.subject.scheduled`. */
export type EmailMessageKey = Exclude<CatalogKey<typeof en>, `${string}_guardian`>;

const lookUp = emailCatalog(i18next, en);

/** The words for `key` with `values` put in; `context` 'guardian' picks the guardian's wording where there is one. */
export const emailText = (key: EmailMessageKey, values: Record<string, string> = {}, context?: 'guardian'): string =>
  lookUp(key, values, context);
