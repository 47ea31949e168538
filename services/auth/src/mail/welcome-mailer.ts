// Sends an invitation's welcome email with the clinic's logo inline. A logo that cannot be read
// does not stop the email: the text without the picture still lets the person log in.
import type { Logger } from '@portico/kit/logging';
import type { Mailer } from '@portico/kit/mail';
import type { ObjectStore } from '@portico/kit/objects';
import type { Invitation } from '../domain/invitation.js';
import type { Organisation } from '../domain/organisation.js';
import { LOGO_CID, welcomeEmail } from './welcome-email.js';

export interface WelcomeMailer {
  /** True when the SMTP server took the email. */
  send(organisation: Organisation, invitation: Invitation, temporaryPassword: string): Promise<boolean>;
}

export function welcomeMailer(deps: { mailer: Mailer; objects: ObjectStore; logger: Logger }): WelcomeMailer {
  async function logoOf(organisation: Organisation) {
    const logo = organisation.logo;
    if (!logo) return undefined;
    try {
      const content = await deps.objects.readAll(logo.objectKey);
      const extension = logo.objectKey.split('.').pop() ?? 'img';
      return { cid: LOGO_CID, filename: `logo.${extension}`, contentType: logo.contentType, content };
    } catch (error) {
      deps.logger.warn(
        { err: { name: (error as Error).name }, clinicId: organisation.clinicId },
        'logo not readable; email sent without it',
      );
      return undefined;
    }
  }

  return {
    async send(organisation, invitation, temporaryPassword) {
      const logo = await logoOf(organisation);
      const email = welcomeEmail({
        clinicName: organisation.profile.name,
        clinicPhone: organisation.profile.phone,
        greetingName: invitation.givenName,
        inviterName: invitation.invitedBy.displayName,
        portalUrl: organisation.profile.portalUrl,
        username: invitation.email,
        temporaryPassword,
        expiresAt: invitation.expiresAt,
        timeZone: organisation.profile.timeZone,
        hasLogo: logo !== undefined,
      });
      try {
        await deps.mailer.send({
          to: { name: `${invitation.givenName} ${invitation.familyName}`, address: invitation.email },
          fromName: organisation.profile.name,
          subject: email.subject,
          text: email.text,
          html: email.html,
          inlineImages: logo ? [logo] : [],
        });
        return true;
      } catch {
        // The mailer logged why, without addresses; the invitation stays and can be resent.
        deps.logger.warn({ invitationId: invitation.invitationId }, 'welcome email not sent');
        return false;
      }
    },
  };
}
