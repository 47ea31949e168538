// The welcome email of seed step 1: the clinic's logo, a greeting, the name of the staff member
// who sent the invitation, a link to the portal and the login credentials. HTML and plain text
// say the same. Every value is escaped: names are typed by people.

export const LOGO_CID = 'clinic-logo@portico';

export interface WelcomeEmailContent {
  clinicName: string;
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

export interface WelcomeEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

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
  const subject = `Welcome to ${clinicName}'s patient portal`;
  const text = [
    `Hello ${greetingName},`,
    '',
    `${inviterName} invited you to ${clinicName}'s patient portal.`,
    '',
    `Log in at: ${portalUrl}`,
    `Username: ${username}`,
    `Temporary password: ${temporaryPassword}`,
    '',
    'When you first log in you will be asked to choose a password of your own.',
    `This invitation is valid until ${until}.`,
    '',
    `If you did not expect this email, you can ignore it or call ${clinicName}.`,
    '',
  ].join('\n');

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
${content.hasLogo ? `<p><img src="cid:${LOGO_CID}" alt="${e(clinicName)}" style="max-height: 80px; max-width: 240px;"></p>\n` : ''}<p>Hello ${e(greetingName)},</p>
<p>${e(inviterName)} invited you to ${e(clinicName)}'s patient portal.</p>
<p><a href="${e(portalUrl)}" style="display: inline-block; padding: 10px 18px; background: #1a56db; color: #ffffff; text-decoration: none; border-radius: 4px;">Open the patient portal</a></p>
<p>Or copy this address into your browser: <a href="${e(portalUrl)}">${e(portalUrl)}</a></p>
<table role="presentation" style="border-collapse: collapse;">
<tr><td style="padding: 2px 12px 2px 0;">Username:</td><td><strong>${e(username)}</strong></td></tr>
<tr><td style="padding: 2px 12px 2px 0;">Temporary password:</td><td><strong style="font-family: monospace;">${e(temporaryPassword)}</strong></td></tr>
</table>
<p>When you first log in you will be asked to choose a password of your own.<br>This invitation is valid until ${e(until)}.</p>
<p style="color: #52606d; font-size: 13px;">If you did not expect this email, you can ignore it or call ${e(clinicName)}.</p>
</body>
</html>
`;
  return { subject, text, html };
}
