// Email over SMTP (nodemailer): the clinic's relay in production, Mailpit on one machine. The
// mailer never logs a message's addresses, subject or body — welcome emails carry credentials.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { z } from 'zod';

/** The variables a process that sends email reads. */
export const mailEnv = z.object({
  /** smtp://host:port or smtps://user:password@host:port; it may hold credentials. */
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL'),
  /** The sender address; the display name is chosen per message (e.g. the clinic's name). */
  MAIL_FROM: z.email('must be an email address').default('no-reply@portico.local'),
});

export interface InlineImage {
  /** Referenced from the HTML as `cid:<cid>`. */
  cid: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MailMessage {
  to: { name: string; address: string };
  /** Display name of the sender; the address is the mailer's. */
  fromName: string;
  subject: string;
  text: string;
  html: string;
  inlineImages?: InlineImage[];
}

export class MailDeliveryError extends Error {
  constructor(readonly reason: string) {
    super(`email not delivered: ${reason}`);
    this.name = 'MailDeliveryError';
  }
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export function createMailer(options: { smtpUrl: string; from: string; logger: Logger; timeoutMs?: number }): Mailer {
  const timeout = options.timeoutMs ?? 10_000;
  const transport: Transporter = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // nodemailer's own logging would print envelopes and, at debug, whole messages.
    logger: false,
    debug: false,
  });
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: { name: message.fromName, address: options.from },
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          attachments: (message.inlineImages ?? []).map((image) => ({
            cid: image.cid,
            filename: image.filename,
            contentType: image.contentType,
            content: image.content,
            contentDisposition: 'inline' as const,
          })),
        });
        options.logger.debug({ messageId: info.messageId }, 'email sent');
        return { messageId: String(info.messageId) };
      } catch (error) {
        // The error's message may quote the SMTP conversation (addresses): keep only its kind.
        const reason = (error as { code?: string }).code ?? (error as Error).name ?? 'Error';
        options.logger.warn({ reason }, 'email could not be sent');
        throw new MailDeliveryError(reason);
      }
    },
    close: () => transport.close(),
  };
}
export { emailCatalog, escapeHtml, type CatalogKey, type RenderedEmail } from './catalog.js';
