// What the notifications service tells people about an appointment: that it was booked, moved or
// cancelled, or that it is coming up. A notice holds only what the email says — when, in which
// zone, in person or by video — never the clinician, the service, the location, the note or the
// meeting link (the appointment events do not carry them either). No I/O here.

/**
 * `shared`: the clinic shared something new with the patient in Documents (a clinical document or
 * a resource). Its email says only that: never a title, a kind or a file name. Its
 * `appointmentId` holds the shared item's id and `startsAt` when it was shared.
 */
export type NoticeKind = 'scheduled' | 'rescheduled' | 'cancelled' | 'reminder' | 'shared' | 'screening_flagged' | 'form_assigned';

/**
 * `form_assigned`: staff assigned the patient a form to fill in. Like `shared`, its email says only
 * that and links to Forms and Surveys: never the form's title or questions. Its `appointmentId`
 * holds the form's id.
 */
export const DOCUMENT_NOTICES: readonly NoticeKind[] = ['shared', 'form_assigned'];

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
  if (!appointmentEmails && !DOCUMENT_NOTICES.includes(kind)) return 'appointment emails turned off';
  return undefined;
}
