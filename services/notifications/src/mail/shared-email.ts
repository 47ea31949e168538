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

/** What the email is news of, and the portal page it links to. */
const TOPICS = {
  shared: 'documents',
  consentAssigned: 'documents/consents',
  formAssigned: 'documents/forms',
} as const;

export function sharedEmail(content: SharedEmailContent, topic: keyof typeof TOPICS = 'shared'): RenderedEmail {
  const { clinic, recipient } = content;
  const words: Record<string, string> = { clinicName: clinic.name, recipientName: recipient.givenName, patientName: content.patientName };
  const context = recipient.kind === 'guardian' && content.patientName ? 'guardian' : undefined;
  const t = (key: EmailMessageKey, values = words) => emailText(key, values, context);
  const escaped = Object.fromEntries(Object.entries(words).map(([name, value]) => [name, escapeHtml(value)]));
  const h = (key: EmailMessageKey) => t(key, escaped);
  const greeting: EmailMessageKey = recipient.givenName ? 'appointment.greeting' : 'appointment.greetingNoName';
  const page = portalPage(clinic.portalUrl, TOPICS[topic]);
  const subject = t(`${topic}.subject`);

  const text = [
    t(greeting),
    '',
    t(`${topic}.what`),
    '',
    ...(page ? [`${t(`${topic}.seeDocuments`)} ${page}`, ''] : []),
    t(`${topic}.why`),
    '',
  ].join('\n');
  const html = emailPage({
    subject,
    logoAlt: content.hasLogo ? clinic.name : undefined,
    paragraphs: [h(greeting), `<strong>${h(`${topic}.what`)}</strong>`],
    link: page ? { href: page, label: h(`${topic}.openDocuments`), lead: h(`${topic}.seeDocuments`) } : undefined,
    after: [],
    footer: h(`${topic}.why`),
  });
  return { subject, text, html };
}
