// The emails about an appointment: booked, moved, cancelled, or coming up. They say what happened
// and when — the date and time in the clinic's time zone, with the zone's name — whether it is in
// person or by video, link to the portal's appointments page and give the clinic's phone. They
// never name the clinician, the service, the location, the note or the meeting link: an email can
// be read by anyone who sees the inbox. HTML and text say the same, from the catalog (messages/).
import { escapeHtml, type RenderedEmail } from '@portico/kit/mail';
import { DateTime } from 'luxon';
import type { AppointmentNotice, NoticeKind, Recipient } from '../domain/appointment-notice.js';
import { emailText, type EmailMessageKey } from './messages/index.js';

export const LOGO_CID = 'clinic-logo@portico';

export interface AppointmentEmailContent {
  notice: Pick<AppointmentNotice, 'startsAt' | 'previousStartsAt' | 'timeZone' | 'mode'> & {
    kind: Exclude<
      NoticeKind,
      'shared' | 'screening_flagged' | 'consent_assigned' | 'form_assigned' | 'payment_receipt' | 'statement_ready'
    >;
  };
  clinic: { name: string; phone: string; portalUrl: string; timeZone: string };
  recipient: Pick<Recipient, 'kind' | 'givenName'>;
  /** The patient's given name, for a guardian's email. */
  patientName: string;
  hasLogo: boolean;
}

export type AppointmentEmail = RenderedEmail;

/** The time in `zone` (an unknown zone falls back to UTC, so an email still goes). */
function inZone(at: Date, zone: string): DateTime {
  const local = DateTime.fromJSDate(at, { zone }).setLocale('en-GB');
  return local.isValid ? local : DateTime.fromJSDate(at, { zone: 'utc' }).setLocale('en-GB');
}

/** "Tue 8 Dec at 10:00", for subjects. */
export const shortWhen = (at: Date, zone: string) => inZone(at, zone).toFormat("ccc d LLL 'at' HH:mm");

/** "Tuesday 8 December 2026 at 10:00 (Central Standard Time)". */
export function longWhen(at: Date, zone: string): string {
  const local = inZone(at, zone);
  return `${local.toFormat("cccc d LLLL yyyy 'at' HH:mm")} (${local.offsetNameLong ?? local.zoneName})`;
}

/** A page of the portal (`appointments`, `documents`), or undefined when the clinic has not said where its portal is. */
export function portalPage(portalUrl: string, page: string): string | undefined {
  try {
    return new URL(page, portalUrl.endsWith('/') ? portalUrl : `${portalUrl}/`).toString();
  } catch {
    return undefined;
  }
}

/** The portal's appointments page, or undefined when the clinic has not said where its portal is. */
export const appointmentsPage = (portalUrl: string): string | undefined => portalPage(portalUrl, 'appointments');

export function appointmentEmail(content: AppointmentEmailContent): AppointmentEmail {
  const { notice, clinic, recipient } = content;
  const zone = notice.timeZone || clinic.timeZone || 'UTC';
  const words: Record<string, string> = {
    clinicName: clinic.name,
    clinicPhone: clinic.phone,
    recipientName: recipient.givenName,
    patientName: content.patientName,
    when: longWhen(notice.startsAt, zone),
    previously: notice.previousStartsAt ? longWhen(notice.previousStartsAt, zone) : '',
  };
  const context = recipient.kind === 'guardian' && content.patientName ? 'guardian' : undefined;
  const t = (key: EmailMessageKey, values = words) => emailText(key, values, context);
  const escaped = Object.fromEntries(Object.entries(words).map(([name, value]) => [name, escapeHtml(value)]));
  const h = (key: EmailMessageKey) => t(key, escaped);

  const subject = t(`appointment.subject.${notice.kind}`, { ...words, when: shortWhen(notice.startsAt, zone) });
  const greeting: EmailMessageKey = recipient.givenName ? 'appointment.greeting' : 'appointment.greetingNoName';
  const call: EmailMessageKey = clinic.phone ? 'appointment.callClinic' : 'appointment.callClinicNoPhone';
  const mode: EmailMessageKey = `appointment.mode.${notice.mode}`;
  const page = appointmentsPage(clinic.portalUrl);

  const text = [
    t(greeting),
    '',
    t(`appointment.what.${notice.kind}`),
    ...(t(mode) ? [t(mode)] : []),
    '',
    ...(page ? [`${t('appointment.seeAppointments')} ${page}`, ''] : []),
    t(call),
    '',
    t('appointment.why'),
    '',
  ].join('\n');

  const html = emailPage({
    subject,
    logoAlt: content.hasLogo ? clinic.name : undefined,
    paragraphs: [h(greeting), `<strong>${h(`appointment.what.${notice.kind}`)}</strong>${t(mode) ? `<br>${h(mode)}` : ''}`],
    link: page ? { href: page, label: h('appointment.openAppointments'), lead: h('appointment.seeAppointments') } : undefined,
    after: [h(call)],
    footer: h('appointment.why'),
  });
  return { subject, text, html };
}

/**
 * The HTML of a clinic's email: the logo (inline, when there is one), paragraphs of HTML the
 * caller escaped, a button to a portal page with its address spelled out, and a quiet footer.
 */
export function emailPage(parts: {
  subject: string;
  logoAlt: string | undefined;
  paragraphs: string[];
  link: { href: string; label: string; lead: string } | undefined;
  after: string[];
  footer: string;
}): string {
  const e = escapeHtml;
  const logo =
    parts.logoAlt !== undefined
      ? `<p><img src="cid:${LOGO_CID}" alt="${e(parts.logoAlt)}" style="max-height: 80px; max-width: 240px;"></p>\n`
      : '';
  const link = parts.link
    ? `<p><a href="${e(parts.link.href)}" style="display: inline-block; padding: 10px 18px; background: #1a56db; color: #ffffff; text-decoration: none; border-radius: 4px;">${parts.link.label}</a></p>
<p>${parts.link.lead} <a href="${e(parts.link.href)}">${e(parts.link.href)}</a></p>\n`
    : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${e(parts.subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
${logo}${parts.paragraphs.map((p) => `<p>${p}</p>\n`).join('')}${link}${parts.after.map((p) => `<p>${p}</p>\n`).join('')}<p style="color: #52606d; font-size: 13px;">${parts.footer}</p>
</body>
</html>
`;
}
