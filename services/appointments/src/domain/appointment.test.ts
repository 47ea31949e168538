import { describe, expect, it } from 'vitest';
import { InvalidInput, NotAllowedNow } from '@portico/kit/domain';
import {
  cancel,
  canJoinNow,
  clashRefusal,
  complete,
  markNoShow,
  meetingLinkFor,
  reschedule,
  validateAppointment,
  validateCancellationReason,
  type Appointment,
  type AppointmentSubmission,
} from './appointment.js';

const NEW_YORK = 'America/New_York';
const now = new Date('2026-12-01T12:00:00Z');
const CLINICIAN = '6f1c1d2e-8a43-4a1e-9a55-0d7b1b7f4c11';

const submission = (overrides: Partial<AppointmentSubmission> = {}): AppointmentSubmission => ({
  clinicianId: CLINICIAN,
  serviceType: 'Individual therapy, 50 min',
  start: '2026-12-08T10:00',
  end: '2026-12-08T10:50',
  mode: 'in_person',
  location: 'Room 2, 14 Main Street',
  meetingUrl: '',
  noteForPatient: 'Please arrive 10 minutes early.\nBring your insurance card.',
  ...overrides,
});

function violations(overrides: Partial<AppointmentSubmission>) {
  try {
    validateAppointment(submission(overrides), { timeZone: NEW_YORK, now });
  } catch (error) {
    if (error instanceof InvalidInput) return error.violations;
    throw error;
  }
  return [];
}

const appointment = (overrides: Partial<Appointment> = {}): Appointment => ({
  ...validateAppointment(submission({ mode: 'telehealth', location: '', meetingUrl: 'https://meet.example.org/r/abc' }), {
    timeZone: NEW_YORK,
    now,
  }),
  appointmentId: '0d6b7c9e-2f0a-4d8e-9a3b-5c1e2d3f4a5b',
  patientId: '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
  clinicId: 'clinic-a',
  clinicName: 'Riverside Clinic',
  timeZone: NEW_YORK,
  portalUrl: '',
  clinicianName: 'Alex Morgan',
  status: 'scheduled',
  cancellationReason: '',
  sequence: 0,
  version: 1,
  createdAt: now,
  updatedAt: now,
  ...overrides,
});

const at = (iso: string) => new Date(iso);

describe('scheduling an appointment', () => {
  it('keeps the UTC instants of the clinic’s wall-clock times and the details staff entered', () => {
    const plan = validateAppointment(submission(), { timeZone: NEW_YORK, now });
    expect(plan).toMatchObject({
      clinicianId: CLINICIAN,
      startsAt: at('2026-12-08T15:00:00Z'),
      endsAt: at('2026-12-08T15:50:00Z'),
      mode: 'in_person',
      location: 'Room 2, 14 Main Street',
    });
  });

  it('refuses an end that is not after the start, and a start in the past', () => {
    expect(violations({ end: '2026-12-08T09:00' })).toEqual([{ field: 'end', message: 'must be after the start' }]);
    expect(violations({ end: '2026-12-08T10:00' })).toEqual([{ field: 'end', message: 'must be after the start' }]);
    expect(violations({ start: '2026-11-30T10:00', end: '2026-11-30T11:00' })).toEqual([
      { field: 'start', message: 'must not be in the past' },
    ]);
    expect(violations({ end: '2026-12-10T10:00' })).toEqual([{ field: 'end', message: 'must be at most 24 hours after the start' }]);
  });

  it('refuses a time the clocks skip', () => {
    expect(violations({ start: '2027-03-14T02:30', end: '2027-03-14T03:30' })).toEqual([
      { field: 'start', message: expect.stringContaining('does not exist in America/New_York') },
    ]);
  });

  it('needs a place in person and an https link for telehealth, and nothing of the other', () => {
    expect(violations({ location: '' })).toEqual([{ field: 'location', message: 'is required for an in-person appointment' }]);
    expect(violations({ mode: 'telehealth', location: '' })).toEqual([
      { field: 'meeting_url', message: 'is required for a telehealth appointment' },
    ]);
    for (const link of ['http://meet.example.org/abc', 'javascript:alert(1)', 'meet.example.org', 'https://user:pw@meet.example.org/'])
      expect(violations({ mode: 'telehealth', location: '', meetingUrl: link })).toEqual([
        { field: 'meeting_url', message: 'must be an https link' },
      ]);
    expect(violations({ meetingUrl: 'https://meet.example.org/abc' })).toEqual([
      { field: 'meeting_url', message: 'must be empty for an in-person appointment' },
    ]);
    expect(violations({ mode: 'unknown(7)' })).toEqual([{ field: 'mode', message: 'must be in person or telehealth' }]);
  });

  it('refuses control characters and over-long text, and lists every problem at once without repeating values', () => {
    const found = violations({
      clinicianId: 'dr-who',
      serviceType: 'Therapy\u0000',
      location: 'x'.repeat(301),
      noteForPatient: 'Bring \u001b[31m',
      end: '2026-12-08T09:00',
    });
    expect(found).toEqual([
      { field: 'clinician_id', message: 'must be a UUID' },
      { field: 'service_type', message: 'must not contain control characters' },
      { field: 'location', message: 'must be at most 300 characters' },
      { field: 'note_for_patient', message: 'must not contain control characters' },
      { field: 'end', message: 'must be after the start' },
    ]);
    expect(JSON.stringify(found)).not.toContain('dr-who');
    expect(violations({ serviceType: '  ' })).toEqual([{ field: 'service_type', message: 'is required' }]);
  });

  it('says when the clinician or the patient is already booked, in the clinic’s time', () => {
    const refusal = clashRefusal({ with: 'clinician', startsAt: at('2026-12-08T15:00:00Z'), endsAt: at('2026-12-08T15:50:00Z') }, NEW_YORK);
    expect(refusal).toBeInstanceOf(NotAllowedNow);
    expect(refusal.message).toBe(
      'the clinician is already booked then: another appointment overlaps (Tue 8 Dec 2026, 10:00 EST to Tue 8 Dec 2026, 10:50 EST)',
    );
    expect(clashRefusal({ with: 'patient', startsAt: now, endsAt: now }, NEW_YORK).message).toMatch(
      /^the patient already has an appointment then/,
    );
  });
});

describe('an appointment’s life', () => {
  it('moves to a new time with a new calendar sequence and version', () => {
    const moved = reschedule(appointment(), { startsAt: at('2026-12-09T15:00:00Z'), endsAt: at('2026-12-09T16:00:00Z') }, now);
    expect(moved).toMatchObject({ sequence: 1, version: 2, updatedAt: now, startsAt: at('2026-12-09T15:00:00Z') });
  });

  it('is cancelled with a reason only while scheduled and not over', () => {
    const cancelled = cancel(appointment(), 'Clinician unwell', now);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'Clinician unwell', sequence: 1, version: 2 });
    expect(() => cancel(cancelled, 'again', now)).toThrow('only a scheduled appointment can be cancelled; this one was cancelled');
    expect(() => cancel(appointment(), 'late', at('2026-12-08T16:00:00Z'))).toThrow(NotAllowedNow);
    expect(() => validateCancellationReason(' ')).toThrow(InvalidInput);
    expect(validateCancellationReason(' Clinician unwell ')).toBe('Clinician unwell');
  });

  it('is completed or marked a no-show only once it has started, and only from scheduled', () => {
    const before = at('2026-12-08T14:59:00Z');
    const started = at('2026-12-08T15:00:00Z');
    expect(() => complete(appointment(), before)).toThrow(/has not started yet \(it starts Tue 8 Dec 2026, 10:00 EST\)/);
    expect(() => markNoShow(appointment(), before)).toThrow(NotAllowedNow);
    expect(complete(appointment(), started)).toMatchObject({ status: 'completed', sequence: 0, version: 2 });
    const missed = markNoShow(appointment(), started);
    expect(missed.status).toBe('no_show');
    expect(() => complete(missed, started)).toThrow('only a scheduled appointment can be completed; this one was marked as a no-show');
  });
});

describe('the telehealth join window', () => {
  const visit = appointment();

  it('opens the lead time before the start and closes at the end', () => {
    expect(canJoinNow(visit, at('2026-12-08T14:44:59Z'), 15)).toBe(false);
    expect(canJoinNow(visit, at('2026-12-08T14:45:00Z'), 15)).toBe(true);
    expect(canJoinNow(visit, at('2026-12-08T15:49:59Z'), 15)).toBe(true);
    expect(canJoinNow(visit, at('2026-12-08T15:50:00Z'), 15)).toBe(false);
    expect(canJoinNow({ ...visit, status: 'cancelled' }, at('2026-12-08T15:00:00Z'), 15)).toBe(false);
  });

  it('hands out the link only inside the window, and says when it opens otherwise', () => {
    expect(() => meetingLinkFor(visit, at('2026-12-08T14:00:00Z'), 15)).toThrow(
      'the video visit opens Tue 8 Dec 2026, 09:45 EST, 15 minutes before it starts',
    );
    expect(meetingLinkFor(visit, at('2026-12-08T14:45:00Z'), 15)).toBe('https://meet.example.org/r/abc');
    expect(() => meetingLinkFor(visit, at('2026-12-08T15:50:00Z'), 15)).toThrow('this appointment has ended');
    expect(() => meetingLinkFor({ ...visit, status: 'cancelled' }, at('2026-12-08T15:00:00Z'), 15)).toThrow(
      'this appointment was cancelled',
    );
    expect(() => meetingLinkFor({ ...visit, mode: 'in_person' }, at('2026-12-08T15:00:00Z'), 15)).toThrow(/in person/);
  });
});
