// The email that tells the clinic's designated address that a patient's screening needs
// attention (a PHQ-9 item 9 answered above zero). It says only that and links to the patient's
// record for staff: no answers, no score, no name, since an inbox is read by more than one person.
import { escapeHtml, type RenderedEmail } from '@portico/kit/mail';
import { emailPage, portalPage } from './appointment-email.js';
import { emailText } from './messages/index.js';

export interface ScreeningFlaggedContent {
  clinic: { name: string; portalUrl: string };
  patientId: string;
  hasLogo: boolean;
}

export function screeningFlaggedEmail(content: ScreeningFlaggedContent): RenderedEmail {
  const { clinic } = content;
  const words = { clinicName: clinic.name };
  const escaped = { clinicName: escapeHtml(clinic.name) };
  const record = portalPage(clinic.portalUrl, `staff/patients/${encodeURIComponent(content.patientId)}`);
  const subject = emailText('screeningFlagged.subject');
  const text = [
    emailText('screeningFlagged.what', words),
    '',
    ...(record ? [`${emailText('screeningFlagged.seeRecord')} ${record}`, ''] : []),
    emailText('screeningFlagged.why'),
    '',
  ].join('\n');
  const html = emailPage({
    subject,
    logoAlt: content.hasLogo ? clinic.name : undefined,
    paragraphs: [`<strong>${emailText('screeningFlagged.what', escaped)}</strong>`],
    link: record
      ? {
          href: record,
          label: escapeHtml(emailText('screeningFlagged.openRecord')),
          lead: escapeHtml(emailText('screeningFlagged.seeRecord')),
        }
      : undefined,
    after: [],
    footer: escapeHtml(emailText('screeningFlagged.why')),
  });
  return { subject, text, html };
}
