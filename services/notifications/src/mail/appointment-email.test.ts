import { describe, expect, it } from 'vitest';
import { appointmentEmail, appointmentsPage } from './appointment-email.js';

const clinic = {
  name: 'Riverside & Sons Clinic',
  phone: '+13125550100',
  portalUrl: 'https://portal.riverside.example',
  timeZone: 'America/Chicago',
};
const notice = {
  kind: 'scheduled' as const,
  // Tuesday 8 December 2026, 10:00 in Chicago (CST).
  startsAt: new Date('2026-12-08T16:00:00Z'),
  previousStartsAt: undefined,
  timeZone: 'America/Chicago',
  mode: 'in_person' as const,
};
const patient = { kind: 'patient' as const, givenName: 'Sam' };

describe('an appointment email', () => {
  it('says what happened and when, in the clinic’s zone with its name', () => {
    const email = appointmentEmail({ notice, clinic, recipient: patient, patientName: 'Sam', hasLogo: true });
    expect(email.subject).toBe('Your appointment on Tue 8 Dec at 10:00 is confirmed');
    expect(email.text).toContain('Hello Sam,');
    expect(email.text).toContain(
      'Your appointment with Riverside & Sons Clinic is confirmed for Tuesday 8 December 2026 at 10:00 (Central Standard Time).',
    );
    expect(email.text).toContain('It is an in-person visit.');
    expect(email.text).toContain('https://portal.riverside.example/appointments');
    expect(email.text).toContain('call Riverside & Sons Clinic on +13125550100');
    // The HTML says the same, escaped, with the logo inline.
    expect(email.html).toContain('Riverside &amp; Sons Clinic');
    expect(email.html).toContain('src="cid:clinic-logo@portico"');
    expect(email.html).not.toContain('Riverside & Sons');
  });

  it('names the patient to a guardian, and tells of a move from the old time to the new', () => {
    const moved = { ...notice, kind: 'rescheduled' as const, previousStartsAt: new Date('2026-12-07T21:30:00Z'), mode: 'video' as const };
    const email = appointmentEmail({
      notice: moved,
      clinic,
      recipient: { kind: 'guardian', givenName: 'Gloria' },
      patientName: 'Sam',
      hasLogo: false,
    });
    expect(email.subject).toBe("Sam's appointment has moved to Tue 8 Dec at 10:00");
    expect(email.text).toContain('Hello Gloria,');
    expect(email.text).toContain(
      'has moved from Monday 7 December 2026 at 15:30 (Central Standard Time) to Tuesday 8 December 2026 at 10:00',
    );
    expect(email.text).toContain('video visit');
    expect(email.html).not.toContain('cid:');
  });

  it('is cancelled or a reminder in its own words', () => {
    expect(
      appointmentEmail({ notice: { ...notice, kind: 'cancelled' }, clinic, recipient: patient, patientName: 'Sam', hasLogo: false })
        .subject,
    ).toBe('Your appointment on Tue 8 Dec at 10:00 is cancelled');
    expect(
      appointmentEmail({ notice: { ...notice, kind: 'reminder' }, clinic, recipient: patient, patientName: 'Sam', hasLogo: false }).subject,
    ).toBe('Reminder: your appointment on Tue 8 Dec at 10:00');
  });

  it('links to the appointments page under the portal, and to nothing when there is no portal address', () => {
    expect(appointmentsPage('https://portal.example/clinic/')).toBe('https://portal.example/clinic/appointments');
    expect(appointmentsPage('')).toBeUndefined();
    const email = appointmentEmail({
      notice,
      clinic: { ...clinic, portalUrl: '', phone: '' },
      recipient: patient,
      patientName: 'Sam',
      hasLogo: false,
    });
    expect(email.text).not.toContain('undefined');
    expect(email.text).toContain('contact Riverside & Sons Clinic');
  });
});
