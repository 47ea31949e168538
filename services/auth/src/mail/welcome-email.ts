// The welcome email of seed step 1: the clinic's logo, a greeting, the name of the staff member
// who sent the invitation, a link to the portal and the login credentials. HTML and plain text
// say the same, in the words of the email catalog (messages/). Every value is escaped in the HTML:
// names are typed by people.
import { escapeHtml, type RenderedEmail } from '@portico/kit/mail';
import { readablePhoneNumber } from '@portico/kit/phone';
import { emailText } from './messages/index.js';

export const LOGO_CID = 'clinic-logo@portico';

export interface WelcomeEmailContent {
  clinicName: string;
  /** The clinic's phone (E.164), for questions; empty when the clinic has none. */
  clinicPhone: string;
  /** The invited person's given name, as staff typed it. */
  greetingName: string;
  inviterName: string;
  portalUrl: string;
  username: string;
  temporaryPassword: string;
  expiresAt: Date;
  /** The clinic's IANA time zone, for the expiry date. */
  timeZone: string;
  hasLogo: boolean;
}

export type WelcomeEmail = RenderedEmail;

function expiryDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
}

export function welcomeEmail(content: WelcomeEmailContent): WelcomeEmail {
  const { clinicName, greetingName, inviterName, portalUrl, username, temporaryPassword } = content;
  const until = expiryDate(content.expiresAt, content.timeZone);
  const clinicPhone = readablePhoneNumber(content.clinicPhone);
  const words = { clinicName, greetingName, inviterName, portalUrl, until, clinicPhone };
  const t = (key: Parameters<typeof emailText>[0]) => emailText(key, words);
  // The HTML version: the same words with every value escaped (names are typed by people).
  const escaped = Object.fromEntries(Object.entries(words).map(([name, value]) => [name, escapeHtml(value)]));
  const h = (key: Parameters<typeof emailText>[0]) => emailText(key, escaped);

  const subject = t('welcome.subject');
  const text = [
    t('welcome.greeting'),
    '',
    t('welcome.invitedBy'),
    '',
    t('welcome.logInAt'),
    `${t('welcome.username')} ${username}`,
    `${t('welcome.temporaryPassword')} ${temporaryPassword}`,
    '',
    t('welcome.choosePassword'),
    t('welcome.validUntil'),
    '',
    ...(clinicPhone ? [t('welcome.questions'), ''] : []),
    t('welcome.notExpected'),
    '',
  ].join('\n');

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
${content.hasLogo ? `<p><img src="cid:${LOGO_CID}" alt="${e(clinicName)}" style="max-height: 80px; max-width: 240px;"></p>\n` : ''}<p>${h('welcome.greeting')}</p>
<p>${h('welcome.invitedBy')}</p>
<p><a href="${e(portalUrl)}" style="display: inline-block; padding: 10px 18px; background: #1a56db; color: #ffffff; text-decoration: none; border-radius: 4px;">${h('welcome.openPortal')}</a></p>
<p>${h('welcome.copyAddress')} <a href="${e(portalUrl)}">${e(portalUrl)}</a></p>
<table role="presentation" style="border-collapse: collapse;">
<tr><td style="padding: 2px 12px 2px 0;">${h('welcome.username')}</td><td><strong>${e(username)}</strong></td></tr>
<tr><td style="padding: 2px 12px 2px 0;">${h('welcome.temporaryPassword')}</td><td><strong style="font-family: monospace;">${e(temporaryPassword)}</strong></td></tr>
</table>
<p>${h('welcome.choosePassword')}<br>${h('welcome.validUntil')}</p>
${clinicPhone ? `<p>${h('welcome.questions').replace(escaped.clinicPhone!, `<a href="tel:${e(content.clinicPhone)}">${escaped.clinicPhone}</a>`)}</p>\n` : ''}<p style="color: #52606d; font-size: 13px;">${h('welcome.notExpected')}</p>
</body>
</html>
`;
  return { subject, text, html };
}
