// Appointments in the patient's own calendar program: one visit as a file, and a private feed
// address that works without logging in until it is revoked or replaced. What a calendar shows
// can be seen over the patient's shoulder: the clinic and the time, never the clinician, the
// service, the note or the meeting link.
import { Metadata, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCalendar } from './calendar-reader.js';
import { as, failure, inPerson, startWorld, telehealth, type Clinic, type Person, type World } from './harness.js';

let world: World;
let clinic: Clinic;
let patient: Person;
let guardian: Person;
let stranger: Person;

beforeAll(async () => {
  world = await startWorld();
  clinic = await world.clinic('Riverside Clinic');
  [patient, stranger] = await Promise.all([world.person(['patient'], clinic), world.person(['patient'], clinic)]);
  guardian = await world.person(['guardian'], clinic, [patient.id]);
});

afterAll(async () => {
  await world?.stop();
});

const schedule = async (details: ReturnType<typeof inPerson>) =>
  (await world.appointments.scheduleAppointment({ patientId: patient.id, details }, await as(clinic.staff))).appointment!;

const calendarOf = async (appointmentId: string, by: Person = patient) =>
  (await world.appointments.getAppointmentCalendar({ patientId: patient.id, appointmentId }, await as(by))).calendar!;

/** The feed as a calendar program fetches it: the secret in the address, no access token at all. */
const fetchFeed = (feedToken: string) => world.appointments.getCalendarFeed({ feedToken }, { metadata: new Metadata() });

const PRIVATE = [/Test /, /therapy/i, /medication/i, /meet\.example\.org/, /secret-room/];

describe('one visit as a calendar file', () => {
  it('holds the visit’s instants in the clinic’s zone with its VTIMEZONE, a stable UID, and only the clinic’s name and the place', async () => {
    const visit = await schedule(inPerson(clinic.staff));
    const file = await calendarOf(visit.appointmentId);
    expect(file.contentType).toBe('text/calendar; charset=utf-8');
    expect(file.fileName).toBe('appointment-2026-12-08.ics');
    const { zones, events } = readCalendar(file.content);
    expect(zones).toEqual(['America/New_York']);
    expect(events).toEqual([
      {
        uid: `${visit.appointmentId}@portico`,
        sequence: 0,
        summary: 'Appointment at Riverside Clinic',
        location: 'Room 2, 14 Main Street',
        description: 'Details on your patient portal: https://portal.example.org/',
        status: 'CONFIRMED',
        tzid: 'America/New_York',
        start: new Date('2026-12-08T15:00:00Z'),
        end: new Date('2026-12-08T15:50:00Z'),
      },
    ]);
    for (const secret of PRIVATE) expect(file.content).not.toMatch(secret);
    // The guardian gets the same file; someone else gets nothing.
    expect((await calendarOf(visit.appointmentId, guardian)).content).toBe(file.content);
    const other = await failure(
      world.appointments.getAppointmentCalendar({ patientId: patient.id, appointmentId: visit.appointmentId }, await as(stranger)),
    );
    expect(other.code).toBe(status.NOT_FOUND);
  });

  it('keeps its UID and raises its SEQUENCE when rescheduled, and says CANCELLED once cancelled', async () => {
    const visit = await schedule(telehealth(clinic.staff, { start: { local: '2026-12-09T10:00' }, end: { local: '2026-12-09T11:00' } }));
    const before = readCalendar((await calendarOf(visit.appointmentId)).content).events[0]!;
    expect(before).toMatchObject({ sequence: 0, location: null, start: new Date('2026-12-09T15:00:00Z') });

    await world.appointments.rescheduleAppointment(
      {
        patientId: patient.id,
        appointmentId: visit.appointmentId,
        start: { local: '2026-12-10T11:00' },
        end: { local: '2026-12-10T12:00' },
      },
      await as(clinic.staff),
    );
    const moved = await calendarOf(visit.appointmentId);
    expect(moved.fileName).toBe('appointment-2026-12-10.ics');
    expect(readCalendar(moved.content).events[0]).toMatchObject({
      uid: before.uid,
      sequence: 1,
      status: 'CONFIRMED',
      start: new Date('2026-12-10T16:00:00Z'),
      end: new Date('2026-12-10T17:00:00Z'),
    });

    await world.appointments.cancelAppointment(
      { patientId: patient.id, appointmentId: visit.appointmentId, reason: 'Clinician unwell' },
      await as(clinic.staff),
    );
    const cancelled = (await calendarOf(visit.appointmentId)).content;
    expect(readCalendar(cancelled).events[0]).toMatchObject({ uid: before.uid, sequence: 2, status: 'CANCELLED' });
    for (const secret of [...PRIVATE, /unwell/]) expect(cancelled).not.toMatch(secret);
  });
});

describe('a private calendar feed', () => {
  it('works without logging in once created, shows upcoming and cancelled visits, and keeps only a digest of its secret', async () => {
    const { feedToken, createdAt } = await world.appointments.createCalendarFeed({ patientId: patient.id }, await as(patient));
    expect(feedToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createdAt).toBeDefined();
    const { calendar } = await fetchFeed(feedToken);
    const feed = readCalendar(calendar!.content);
    expect(feed.name).toBe('Appointments at Riverside Clinic');
    expect(feed.events.map((e) => [e.start.toISOString(), e.status])).toEqual([
      ['2026-12-08T15:00:00.000Z', 'CONFIRMED'],
      ['2026-12-10T16:00:00.000Z', 'CANCELLED'],
    ]);
    for (const secret of PRIVATE) expect(calendar!.content).not.toMatch(secret);

    const stored = JSON.stringify(await world.db.collection('calendar_feeds').find({ patientId: patient.id }).toArray());
    expect(stored).not.toContain(feedToken);
    // Whether there is a feed, and since when: never its secret.
    expect(await world.appointments.getCalendarFeedStatus({ patientId: patient.id }, await as(guardian))).toMatchObject({
      active: true,
      createdAt,
    });
  });

  it('stops working at once when revoked (revoking again is fine), and answers an unknown or malformed secret the same way', async () => {
    const { feedToken } = await world.appointments.createCalendarFeed({ patientId: patient.id }, await as(patient));
    await fetchFeed(feedToken);
    await world.appointments.revokeCalendarFeed({ patientId: patient.id }, await as(patient));
    expect((await failure(fetchFeed(feedToken))).code).toBe(status.NOT_FOUND);
    await world.appointments.revokeCalendarFeed({ patientId: patient.id }, await as(patient));
    expect(await world.appointments.getCalendarFeedStatus({ patientId: patient.id }, await as(patient))).toMatchObject({ active: false });
    for (const token of ['A'.repeat(43), 'not a token', ''])
      expect(await failure(fetchFeed(token))).toMatchObject({ code: status.NOT_FOUND, details: 'calendar feed not found' });
  });

  it('is replaced by a new one: creating again revokes the old address', async () => {
    const old = await world.appointments.createCalendarFeed({ patientId: patient.id }, await as(guardian));
    const fresh = await world.appointments.createCalendarFeed({ patientId: patient.id }, await as(patient));
    expect((await failure(fetchFeed(old.feedToken))).code).toBe(status.NOT_FOUND);
    expect(readCalendar((await fetchFeed(fresh.feedToken)).calendar!.content).events).toHaveLength(2);
    expect(await world.db.collection('calendar_feeds').countDocuments({ patientId: patient.id, revokedAt: null })).toBe(1);
  });

  it('is the patient’s own: staff may revoke it but not create one, and others get NOT_FOUND', async () => {
    expect((await failure(world.appointments.createCalendarFeed({ patientId: patient.id }, await as(clinic.staff)))).code).toBe(
      status.PERMISSION_DENIED,
    );
    expect((await failure(world.appointments.createCalendarFeed({ patientId: patient.id }, await as(stranger)))).code).toBe(
      status.NOT_FOUND,
    );
    expect((await failure(world.appointments.revokeCalendarFeed({ patientId: patient.id }, await as(stranger)))).code).toBe(
      status.NOT_FOUND,
    );
    await world.appointments.revokeCalendarFeed({ patientId: patient.id }, await as(clinic.staff));
    expect(await world.appointments.getCalendarFeedStatus({ patientId: patient.id }, await as(patient))).toMatchObject({ active: false });
  });
});
