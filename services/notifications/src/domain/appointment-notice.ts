// What the notifications service tells people about an appointment: that it was booked, moved or
// cancelled, or that it is coming up. A notice holds only what the email says — when, in which
// zone, in person or by video — never the clinician, the service, the location, the note or the
// meeting link (the appointment events do not carry them either). No I/O here.

/**
 * `shared`: the clinic shared something new with the patient in Documents (a clinical document or
 * a resource). Its email says only that: never a title, a kind or a file name. Its
 * `appointmentId` holds the shared item's id and `startsAt` when it was shared.
 */
export type NoticeKind =
  | 'scheduled'
  | 'rescheduled'
  | 'cancelled'
  | 'reminder'
  | 'shared'
  | 'screening_flagged'
  | 'consent_assigned'
  | 'form_assigned'
  | 'payment_receipt'
  | 'statement_ready';

/**
 * `payment_receipt` (a payment was received) and `statement_ready` (a month's statement was
 * issued): billing emails to the patient and guardians with the amount only — never a service, a
 * code or a description. Their `appointmentId` holds the payment's or statement's id, `money` the
 * amount paid or the statement's new balance, `month` the statement's month (YYYY-MM). They are
 * not appointment emails: the appointment-email setting does not turn them off.
 */
export const BILLING_NOTICES: readonly NoticeKind[] = ['payment_receipt', 'statement_ready'];

/**
 * News of the patient's documents: something shared, a form to fill in (`form_assigned`) or a
 * consent to sign (`consent_assigned`). Their emails say only that and link to the portal, never a
 * title, question or text; their `appointmentId` holds the document's, form's or consent's id.
 * Not appointment emails either.
 */
export const DOCUMENT_NOTICES: readonly NoticeKind[] = ['shared', 'form_assigned', 'consent_assigned'];

/**
 * `screening_flagged`: a patient's screening needs the clinic's attention (a PHQ-9 item 9 answered
 * above zero). Its one email goes to the clinic's designated address (the organisation profile's),
 * never to the patient, and says only that, with a link to the patient's record for staff: no
 * answers, score or name. Its `appointmentId` holds the screening's id.
 */
export const CLINIC_NOTICES: readonly NoticeKind[] = ['screening_flagged'];
export type VisitMode = 'in_person' | 'video' | 'unspecified';

export interface AppointmentNotice {
  /** The event's id, or the reminder's: the same fact never makes two notices. */
  noticeId: string;
  kind: NoticeKind;
  appointmentId: string;
  patientId: string;
  clinicId: string;
  startsAt: Date;
  /** Where a rescheduled appointment was before. */
  previousStartsAt: Date | undefined;
  /** The clinic's IANA zone the times are shown in. */
  timeZone: string;
  mode: VisitMode;
  /** For a reminder: which one, so a reminder superseded or cancelled since is not sent. */
  reminderId: string | undefined;
  createdAt: Date;
  /** Billing notices: the amount in minor units with its currency. */
  money?: { amountMinor: number; currency: string } | undefined;
  /** A statement's month, YYYY-MM. */
  month?: string | undefined;
}

/** One email of a notice to one person: its id is what makes sending it happen once. */
export const outgoingEmailId = (noticeId: string, recipientId: string): string => `${noticeId}/${recipientId}`;

/** Whether a change is worth an email: nobody needs to hear about an appointment already begun. */
export const worthTelling = (notice: Pick<AppointmentNotice, 'startsAt'>, now: Date): boolean => notice.startsAt.getTime() > now.getTime();

export interface Recipient {
  userId: string;
  kind: 'patient' | 'guardian';
  givenName: string;
  familyName: string;
  email: string;
  active: boolean;
}

/**
 * Why a person gets no email of a notice, or undefined when they get one. `appointmentEmails` is
 * the person's choice about appointment emails; news of something shared is not one of those.
 */
export function whyNotSent(
  recipient: Recipient | undefined,
  appointmentEmails: boolean,
  kind: NoticeKind = 'scheduled',
): string | undefined {
  if (!recipient) return 'no longer a recipient';
  if (!recipient.active) return 'account disabled';
  if (!recipient.email) return 'no email address';
  if (!appointmentEmails && !DOCUMENT_NOTICES.includes(kind) && !BILLING_NOTICES.includes(kind)) return 'appointment emails turned off';
  return undefined;
}
