// Sends the emails of each pending notice: one to the patient and one to each guardian, unless
// they turned appointment emails off or their account is disabled, with the clinic's name as the
// sender and its logo inline.
//
// Exactly once, as far as this service can make it: every email is a document with a
// deterministic id (the notice's id — the event's or the reminder's — and the recipient's), first
// `pending`, then `sent` once the SMTP server took it. A restart, a redelivered event or another
// replica only ever sends what is still pending. The one gap: if the process dies after the SMTP
// server accepted an email and before it is marked sent, that email is sent again after the
// restart. SMTP has no idempotency key to close it; one rare duplicate is preferred to a lost
// appointment email.
import { periodicJob, exponentialBackoff, type PeriodicJob } from '@portico/kit/jobs';
import type { Logger } from '@portico/kit/logging';
import { MailDeliveryError, type Mailer } from '@portico/kit/mail';
import type { Clock } from '@portico/kit/domain';
import { BILLING_NOTICES, CLINIC_NOTICES, whyNotSent, type AppointmentNotice } from '../domain/appointment-notice.js';
import { appointmentEmail, LOGO_CID } from '../mail/appointment-email.js';
import { billingEmail } from '../mail/billing-email.js';
import { screeningFlaggedEmail } from '../mail/screening-email.js';
import { sharedEmail } from '../mail/shared-email.js';
import type { NoticeRepository } from '../store/notice-repository.js';
import type { ReminderRepository } from '../store/reminder-repository.js';
import type { SettingsRepository } from '../store/settings-repository.js';
import type { NotificationContext, NotificationContexts } from './notification-contexts.js';

const BATCH = 20;
type AppointmentKind = Parameters<typeof appointmentEmail>[0]['notice']['kind'];
/** Longer than one notice takes to send; a replica that died holding one gives it up after this. */
const LEASE_MS = 60_000;
/** The SMTP server refused this message or address for good (5xx): trying again will not help. */
const PERMANENT = new Set(['EENVELOPE', 'EMESSAGE']);

export interface EmailDeliveryDeps {
  notices: NoticeRepository;
  reminders: ReminderRepository;
  settings: SettingsRepository;
  contexts: NotificationContexts;
  mailer: Mailer;
  logger: Logger;
  clock: Clock;
  intervalMs: number;
}

/** How the logs name an email: to the clinic, or about an appointment (or something shared) to a person. */
const emailName = (notice: AppointmentNotice) => (CLINIC_NOTICES.includes(notice.kind) ? 'clinic email' : 'appointment email');

export function emailDelivery(deps: EmailDeliveryDeps): PeriodicJob {
  const { notices, logger } = deps;

  /** A reminder moved or cancelled after its notice was made is not sent. */
  async function stillCurrent(notice: AppointmentNotice): Promise<boolean> {
    if (notice.kind !== 'reminder') return true;
    const reminder = await deps.reminders.find(notice.appointmentId);
    // Still waiting too: the sweep records the notice before it marks the reminder sent.
    return !!reminder && reminder.reminderId === notice.reminderId && (reminder.state === 'sent' || reminder.state === 'waiting');
  }

  async function send(notice: AppointmentNotice, context: NotificationContext): Promise<void> {
    await notices.recordEmails(
      notice.noticeId,
      context.recipients.map((r) => r.userId),
      deps.clock(),
    );
    const pending = await notices.pendingEmails(notice.noticeId);
    const preferences = await deps.settings.preferencesOfMany(pending.map((e) => e.recipientId));
    const patient = context.recipients.find((r) => r.kind === 'patient');
    const { clinic } = context;
    for (const { emailId, recipientId } of pending) {
      const recipient = context.recipients.find((r) => r.userId === recipientId);
      const skip = whyNotSent(recipient, preferences.get(recipientId)?.appointmentEmails ?? true, notice.kind);
      if (skip || !recipient) {
        await notices.settleEmail(emailId, 'skipped', deps.clock(), skip);
        continue;
      }
      const about = { clinic, recipient, patientName: patient?.givenName ?? '', hasLogo: !!clinic.logo };
      const email = BILLING_NOTICES.includes(notice.kind)
        ? billingEmail({ ...about, notice })
        : notice.kind === 'consent_assigned'
          ? sharedEmail(about, 'consentAssigned')
          : notice.kind === 'form_assigned'
            ? sharedEmail(about, 'formAssigned')
            : notice.kind === 'shared' || notice.kind === 'screening_flagged' // (the latter never reaches here: sendToClinic)
              ? sharedEmail(about)
              : appointmentEmail({ ...about, notice: { ...notice, kind: notice.kind as AppointmentKind } });
      await mail(notice, emailId, recipientId, context, {
        to: { name: `${recipient.givenName} ${recipient.familyName}`.trim(), address: recipient.email },
        email,
      });
    }
  }

  /** The clinic's own notice: one email to its designated address, or none when it has not given one. */
  async function sendToClinic(notice: AppointmentNotice, context: NotificationContext): Promise<void> {
    const recipientId = `clinic:${notice.clinicId}`;
    await notices.recordEmails(notice.noticeId, [recipientId], deps.clock());
    const { clinic } = context;
    for (const { emailId } of await notices.pendingEmails(notice.noticeId)) {
      // A patient moved to another clinic since: the clinic that screened them is not told of theirs.
      if (clinic.clinicId !== notice.clinicId) await notices.settleEmail(emailId, 'skipped', deps.clock(), 'patient of another clinic');
      else if (!clinic.email) await notices.settleEmail(emailId, 'skipped', deps.clock(), 'the clinic has no email address');
      else
        await mail(notice, emailId, recipientId, context, {
          to: { name: clinic.name, address: clinic.email },
          email: screeningFlaggedEmail({ clinic, patientId: notice.patientId, hasLogo: !!clinic.logo }),
        });
    }
  }

  /** Sends one email and settles it: sent, failed for good, or still pending (thrown) for the next round. */
  async function mail(
    notice: AppointmentNotice,
    emailId: string,
    recipientId: string,
    { clinic }: NotificationContext,
    { to, email }: { to: { name: string; address: string }; email: { subject: string; text: string; html: string } },
  ): Promise<void> {
    try {
      await deps.mailer.send({
        to,
        fromName: clinic.name || 'Patient portal',
        subject: email.subject,
        text: email.text,
        html: email.html,
        inlineImages: clinic.logo
          ? [{ cid: LOGO_CID, filename: `logo.${clinic.logo.contentType.split('/')[1]?.split('+')[0] ?? 'img'}`, ...clinic.logo }]
          : [],
      });
    } catch (error) {
      if (!(error instanceof MailDeliveryError) || !PERMANENT.has(error.reason)) {
        // Not now (SMTP unreachable, timed out): the email stays pending for the next round.
        await notices.countAttempt(emailId, error instanceof MailDeliveryError ? error.reason : 'error');
        throw error;
      }
      // Refused for good: nothing to wait for, and the other emails must not wait behind it.
      await notices.settleEmail(emailId, 'failed', deps.clock(), error.reason);
      logger.warn({ noticeId: notice.noticeId, recipientId, reason: error.reason }, `${emailName(notice)} refused by the SMTP server`);
      return;
    }
    await notices.settleEmail(emailId, 'sent', deps.clock());
    logger.info({ noticeId: notice.noticeId, kind: notice.kind, recipientId }, `${emailName(notice)} sent`);
  }

  async function deliver(notice: AppointmentNotice): Promise<void> {
    if (!(await notices.claim(notice.noticeId, LEASE_MS))) return;
    try {
      if (!(await stillCurrent(notice))) return await notices.done(notice.noticeId, 'reminder superseded', deps.clock());
      const context = await deps.contexts.of(notice.patientId);
      if (!context) return await notices.done(notice.noticeId, 'no such patient', deps.clock());
      if (CLINIC_NOTICES.includes(notice.kind)) await sendToClinic(notice, context);
      else await send(notice, context);
      await notices.done(notice.noticeId, '', deps.clock());
    } catch (error) {
      await notices.release(notice.noticeId).catch(() => {});
      throw error;
    }
  }

  return periodicJob({
    name: 'appointment emails',
    intervalMs: deps.intervalMs,
    logger,
    // SMTP or the auth service down: try again later, less and less often.
    backoffMs: exponentialBackoff(1_000, deps.intervalMs),
    async run() {
      const batch = await notices.pending(BATCH);
      for (const notice of batch) await deliver(notice);
      return batch.length === BATCH;
    },
  });
}
