// The email that tells a patient (and each guardian) that the clinic shared something new in
// Documents: a clinical document or a resource. It says only that, and links to Documents: the
// title, the kind and the file stay in the portal, since an email can be read by anyone who sees
// the inbox. HTML and text say the same, from the catalog (messages/).
import { escapeHtml, type RenderedEmail } from '@portico/kit/mail';
import type { Recipient } from '../domain/appointment-notice.js';
import { LOGO_CID, portalPage } from './appointment-email.js';
import { emailText, type EmailMessageKey } from './messages/index.js';

export interface SharedEmailContent {
  clinic: { name: string; portalUrl: string };
  recipient: Pick<Recipient, 'kind' | 'givenName'>;
  /** The patient's given name, for a guardian's email. */
  patientName: string;
  hasLogo: boolean;
}

export function sharedEmail(content: SharedEmailContent): RenderedEmail {
  const { clinic, recipient } = content;
  const words: Record<string, string> = { clinicName: clinic.name, recipientName: recipient.givenName, patientName: content.patientName };
  const context = recipient.kind === 'guardian' && content.patientName ? 'guardian' : undefined;
  const t = (key: EmailMessageKey, values = words) => emailText(key, values, context);
  const escaped = Object.fromEntries(Object.entries(words).map(([name, value]) => [name, escapeHtml(value)]));
  const h = (key: EmailMessageKey) => t(key, escaped);
  const greeting: EmailMessageKey = recipient.givenName ? 'appointment.greeting' : 'appointment.greetingNoName';
  const page = portalPage(clinic.portalUrl, 'documents');
  const subject = t('shared.subject');

  const text = [
    t(greeting),
    '',
    t('shared.what'),
    '',
    ...(page ? [`${t('shared.seeDocuments')} ${page}`, ''] : []),
    t('shared.why'),
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
${content.hasLogo ? `<p><img src="cid:${LOGO_CID}" alt="${e(clinic.name)}" style="max-height: 80px; max-width: 240px;"></p>\n` : ''}<p>${h(greeting)}</p>
<p><strong>${h('shared.what')}</strong></p>
${
  page
    ? `<p><a href="${e(page)}" style="display: inline-block; padding: 10px 18px; background: #1a56db; color: #ffffff; text-decoration: none; border-radius: 4px;">${h('shared.openDocuments')}</a></p>
<p>${h('shared.seeDocuments')} <a href="${e(page)}">${e(page)}</a></p>\n`
    : ''
}<p style="color: #52606d; font-size: 13px;">${h('shared.why')}</p>
</body>
</html>
`;
  return { subject, text, html };
}
