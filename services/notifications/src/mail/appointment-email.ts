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
  notice: Pick<AppointmentNotice, 'startsAt' | 'previousStartsAt' | 'timeZone' | 'mode'> & { kind: Exclude<NoticeKind, 'shared'> };
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

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
${content.hasLogo ? `<p><img src="cid:${LOGO_CID}" alt="${e(clinic.name)}" style="max-height: 80px; max-width: 240px;"></p>\n` : ''}<p>${h(greeting)}</p>
<p><strong>${h(`appointment.what.${notice.kind}`)}</strong>${t(mode) ? `<br>${h(mode)}` : ''}</p>
${
  page
    ? `<p><a href="${e(page)}" style="display: inline-block; padding: 10px 18px; background: #1a56db; color: #ffffff; text-decoration: none; border-radius: 4px;">${h('appointment.openAppointments')}</a></p>
<p>${h('appointment.seeAppointments')} <a href="${e(page)}">${e(page)}</a></p>\n`
    : ''
}<p>${h(call)}</p>
<p style="color: #52606d; font-size: 13px;">${h('appointment.why')}</p>
</body>
</html>
`;
  return { subject, text, html };
}
