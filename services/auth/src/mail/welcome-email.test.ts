import { describe, expect, it } from 'vitest';
import { LOGO_CID, welcomeEmail } from './welcome-email.js';

const content = {
  clinicName: 'Riverside <Family> Clinic',
  clinicPhone: '+12185550142',
  greetingName: 'Maria',
  inviterName: 'Dr Sam Kim',
  portalUrl: 'https://portal.riverside.example/',
  username: 'maria@example.org',
  temporaryPassword: 'Ab3-xyzXYZ2345_abcd',
  expiresAt: new Date('2026-03-08T09:00:00Z'),
  timeZone: 'America/New_York',
  hasLogo: true,
};

describe('the welcome email', () => {
  it('greets by name, names the inviter and the clinic, links the portal and gives the credentials, in both parts', () => {
    const email = welcomeEmail(content);
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Hello Maria,');
      expect(part).toContain('Dr Sam Kim invited you to');
      expect(part).toContain('https://portal.riverside.example/');
      expect(part).toContain('maria@example.org');
      expect(part).toContain('Ab3-xyzXYZ2345_abcd');
      expect(part).toContain('valid until Sunday, March 8, 2026 at 5:00 AM EDT');
    }
    expect(email.text).toContain('Questions about the portal? Call Riverside <Family> Clinic on +1 218 555 0142.');
    expect(email.html).toContain('<a href="tel:+12185550142">+1 218 555 0142</a>');
    expect(email.html).toContain(`src="cid:${LOGO_CID}"`);
    expect(email.subject).toBe("Welcome to Riverside <Family> Clinic's patient portal");
  });

  it('escapes what people typed in the HTML part', () => {
    const email = welcomeEmail({ ...content, greetingName: 'Maria <b>' });
    expect(email.html).toContain('Riverside &lt;Family&gt; Clinic');
    expect(email.html).toContain('Hello Maria &lt;b&gt;,');
    expect(welcomeEmail({ ...content, hasLogo: false }).html).not.toContain('cid:');
    // A clinic without a phone number: no sentence with a blank in it.
    const withoutPhone = welcomeEmail({ ...content, clinicPhone: '' });
    expect(withoutPhone.text).not.toContain('Questions about the portal');
    expect(withoutPhone.html).not.toContain('tel:');
  });
});
