// The email that tells a patient (and each guardian) that the clinic shared something new in
// Documents: a clinical document or a resource. It says only that, and links to Documents: the
// title, the kind and the file stay in the portal, since an email can be read by anyone who sees
// the inbox. HTML and text say the same, from the catalog (messages/).
import { escapeHtml, type RenderedEmail } from '@portico/kit/mail';
import type { Recipient } from '../domain/appointment-notice.js';
import { emailPage, portalPage } from './appointment-email.js';
import { emailText, type EmailMessageKey } from './messages/index.js';

export interface SharedEmailContent {
  clinic: { name: string; portalUrl: string };
  recipient: Pick<Recipient, 'kind' | 'givenName'>;
  /** The patient's given name, for a guardian's email. */
  patientName: string;
  hasLogo: boolean;
}

/** Which news: something shared (`shared`), or a form the clinic asks to be filled in (`formAssigned`). */
type News = 'shared' | 'formAssigned';
const pageOf: Record<News, string> = { shared: 'documents', formAssigned: 'documents/forms' };

export function sharedEmail(content: SharedEmailContent, news: News = 'shared'): RenderedEmail {
  const { clinic, recipient } = content;
  const words: Record<string, string> = { clinicName: clinic.name, recipientName: recipient.givenName, patientName: content.patientName };
  const context = recipient.kind === 'guardian' && content.patientName ? 'guardian' : undefined;
  const t = (key: EmailMessageKey, values = words) => emailText(key, values, context);
  const escaped = Object.fromEntries(Object.entries(words).map(([name, value]) => [name, escapeHtml(value)]));
  const h = (key: EmailMessageKey) => t(key, escaped);
  const greeting: EmailMessageKey = recipient.givenName ? 'appointment.greeting' : 'appointment.greetingNoName';
  const page = portalPage(clinic.portalUrl, pageOf[news]);
  const subject = t(`${news}.subject` as const);

  const text = [
    t(greeting),
    '',
    t(`${news}.what` as const),
    '',
    ...(page ? [`${t(`${news}.seeDocuments` as const)} ${page}`, ''] : []),
    t(`${news}.why` as const),
    '',
  ].join('\n');
  const html = emailPage({
    subject,
    logoAlt: content.hasLogo ? clinic.name : undefined,
    paragraphs: [h(greeting), `<strong>${h(`${news}.what` as const)}</strong>`],
    link: page ? { href: page, label: h(`${news}.openDocuments` as const), lead: h(`${news}.seeDocuments` as const) } : undefined,
    after: [],
    footer: h(`${news}.why` as const),
  });
  return { subject, text, html };
}
