// What patients and guardians see of their visits: upcoming soonest first, past latest first, in
// pages; the telehealth link only inside its window (moved through by the service's clock); and
// nothing of a patient they do not act for.
import { status } from '@grpc/grpc-js';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { AppointmentPeriod, AppointmentStatus } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  failure,
  inPerson,
  MEETING_URL,
  START_OF_TESTS,
  startWorld,
  telehealth,
  type Clinic,
  type Person,
  type World,
} from './harness.js';

let world: World;
let clinic: Clinic;
let patient: Person;
let sibling: Person;
let stranger: Person;
let guardian: Person;

beforeAll(async () => {
  world = await startWorld();
  clinic = await world.clinic('Riverside Clinic');
  [patient, sibling, stranger] = await Promise.all([
    world.person(['patient'], clinic),
    world.person(['patient'], clinic),
    world.person(['patient'], clinic),
  ]);
  guardian = await world.person(['guardian'], clinic, [patient.id, sibling.id]);
});

afterAll(async () => {
  await world?.stop();
});

const schedule = async (patientId: string, details: ReturnType<typeof inPerson>) =>
  (await world.appointments.scheduleAppointment({ patientId, details }, await as(clinic.staff))).appointment!;

const list = async (by: Person, patientId: string, period: AppointmentPeriod, pageSize = 0, pageToken = '') =>
  world.appointments.listAppointments({ patientId, period, page: { pageSize, pageToken } }, await as(by));

const starts = (appointments: { startsAt?: Parameters<typeof timestampDate>[0] }[]) =>
  appointments.map((a) => timestampDate(a.startsAt!).toISOString().slice(0, 16));

describe('a patient’s upcoming and past visits', () => {
  beforeAll(async () => {
    // Five visits, one a day at 09:00 New York time (14:00 UTC), booked out of order; one cancelled.
    for (const day of [3, 1, 5, 2, 4]) {
      const booked = await schedule(
        patient.id,
        inPerson(clinic.staff, { start: { local: `2026-12-0${day}T09:00` }, end: { local: `2026-12-0${day}T10:00` } }),
      );
      if (day === 4)
        await world.appointments.cancelAppointment(
          { patientId: patient.id, appointmentId: booked.appointmentId, reason: 'Snow day' },
          await as(clinic.staff),
        );
    }
  });

  it('lists upcoming visits soonest first, cancelled ones included and marked', async () => {
    const { appointments, page } = await list(patient, patient.id, AppointmentPeriod.UPCOMING);
    expect(starts(appointments)).toEqual([
      '2026-12-01T14:00',
      '2026-12-02T14:00',
      '2026-12-03T14:00',
      '2026-12-04T14:00',
      '2026-12-05T14:00',
    ]);
    expect(appointments.map((a) => a.status)).toEqual([1, 1, 1, 2, 1].map((s) => s as AppointmentStatus));
    expect(page?.nextPageToken).toBe('');
    expect((await list(patient, patient.id, AppointmentPeriod.PAST)).appointments).toEqual([]);
  });

  it('moves a visit from upcoming to past when it ends, by the service’s clock, and lists the past latest first', async () => {
    // During the visit of the 3rd: it is still upcoming.
    world.setNow(new Date('2026-12-03T14:30:00Z'));
    expect(starts((await list(patient, patient.id, AppointmentPeriod.UPCOMING)).appointments)).toEqual([
      '2026-12-03T14:00',
      '2026-12-04T14:00',
      '2026-12-05T14:00',
    ]);
    expect(starts((await list(patient, patient.id, AppointmentPeriod.PAST)).appointments)).toEqual([
      '2026-12-02T14:00',
      '2026-12-01T14:00',
    ]);
    // The moment it ends it is past.
    world.setNow(new Date('2026-12-03T15:00:00Z'));
    expect(starts((await list(patient, patient.id, AppointmentPeriod.PAST)).appointments)).toEqual([
      '2026-12-03T14:00',
      '2026-12-02T14:00',
      '2026-12-01T14:00',
    ]);
    world.setNow(START_OF_TESTS);
  });

  it('pages through a list with the token of each page, and refuses a page size over 100 or an unknown period', async () => {
    const first = await list(patient, patient.id, AppointmentPeriod.UPCOMING, 2);
    const second = await list(patient, patient.id, AppointmentPeriod.UPCOMING, 2, first.page!.nextPageToken);
    const third = await list(patient, patient.id, AppointmentPeriod.UPCOMING, 2, second.page!.nextPageToken);
    expect([starts(first.appointments), starts(second.appointments), starts(third.appointments)]).toEqual([
      ['2026-12-01T14:00', '2026-12-02T14:00'],
      ['2026-12-03T14:00', '2026-12-04T14:00'],
      ['2026-12-05T14:00'],
    ]);
    expect(third.page?.nextPageToken).toBe('');
    expect((await failure(list(patient, patient.id, AppointmentPeriod.UPCOMING, 101))).code).toBe(status.INVALID_ARGUMENT);
    expect((await failure(list(patient, patient.id, AppointmentPeriod.UNSPECIFIED))).code).toBe(status.INVALID_ARGUMENT);
  });
});

describe('a guardian', () => {
  it('sees each of their patients’ visits, and answers NOT_FOUND for anyone else’s', async () => {
    const siblings = await schedule(
      sibling.id,
      inPerson(clinic.colleague, { start: { local: '2026-12-07T15:00' }, end: { local: '2026-12-07T16:00' } }),
    );
    const strangers = await schedule(
      stranger.id,
      inPerson(clinic.colleague, { start: { local: '2026-12-07T16:00' }, end: { local: '2026-12-07T17:00' } }),
    );

    expect((await list(guardian, patient.id, AppointmentPeriod.UPCOMING)).appointments).toHaveLength(5);
    expect((await list(guardian, sibling.id, AppointmentPeriod.UPCOMING)).appointments.map((a) => a.appointmentId)).toEqual([
      siblings.appointmentId,
    ]);
    const got = await world.appointments.getAppointment(
      { patientId: sibling.id, appointmentId: siblings.appointmentId },
      await as(guardian),
    );
    expect(got.appointment?.appointmentId).toBe(siblings.appointmentId);

    expect((await failure(list(guardian, stranger.id, AppointmentPeriod.UPCOMING))).code).toBe(status.NOT_FOUND);
    const byId = await failure(
      world.appointments.getAppointment({ patientId: stranger.id, appointmentId: strangers.appointmentId }, await as(guardian)),
    );
    expect(byId.code).toBe(status.NOT_FOUND);
    // Asking for the stranger's visit under their own patient's id finds nothing either.
    const mixed = await failure(
      world.appointments.getAppointment({ patientId: sibling.id, appointmentId: strangers.appointmentId }, await as(guardian)),
    );
    expect(mixed.code).toBe(status.NOT_FOUND);
    // A patient sees only their own.
    expect((await failure(list(patient, sibling.id, AppointmentPeriod.UPCOMING))).code).toBe(status.NOT_FOUND);
  });
});

describe('joining a telehealth visit', () => {
  let visit: Awaited<ReturnType<typeof schedule>>;
  beforeAll(async () => {
    // 10:00 to 10:50 New York time on the 8th: the window opens at 09:45 (14:45 UTC).
    visit = await schedule(sibling.id, telehealth(clinic.staff));
  });

  const join = async (by: Person = sibling) =>
    world.appointments.joinTelehealth({ patientId: sibling.id, appointmentId: visit.appointmentId }, await as(by));

  const seen = async () => {
    const [listed, got] = await Promise.all([
      list(guardian, sibling.id, AppointmentPeriod.UPCOMING),
      world.appointments.getAppointment({ patientId: sibling.id, appointmentId: visit.appointmentId }, await as(sibling)),
    ]);
    return { listed: listed.appointments.find((a) => a.appointmentId === visit.appointmentId), got: got.appointment! };
  };

  it('refuses before the window opens, saying when it does', async () => {
    world.setNow(new Date('2026-12-08T14:44:00Z'));
    const early = await failure(join());
    expect(early.code).toBe(status.FAILED_PRECONDITION);
    expect(early.details).toBe('the video visit opens Tue 8 Dec 2026, 09:45 EST, 15 minutes before it starts');
    const { listed, got } = await seen();
    expect(listed?.canJoinNow).toBe(false);
    expect(timestampDate(got.telehealthOpensAt!)).toEqual(new Date('2026-12-08T14:45:00Z'));
  });

  it('hands the link to the patient and their guardian inside the window, and nowhere else', async () => {
    world.setNow(new Date('2026-12-08T14:45:00Z'));
    expect((await join()).meetingUrl).toBe(MEETING_URL);
    world.setNow(new Date('2026-12-08T15:49:00Z'));
    expect((await join(guardian)).meetingUrl).toBe(MEETING_URL);
    const { listed, got } = await seen();
    expect(listed?.canJoinNow).toBe(true);
    expect(got.canJoinNow).toBe(true);
    const text = JSON.stringify([listed, got], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(text).not.toContain('secret-room');
    expect(text).not.toContain('meet.example.org');
    // Someone who does not act for the patient gets nothing, in the window or not.
    expect((await failure(join(stranger))).code).toBe(status.NOT_FOUND);
  });

  it('refuses once the visit has ended', async () => {
    world.setNow(new Date('2026-12-08T15:50:00Z'));
    const late = await failure(join());
    expect(late.code).toBe(status.FAILED_PRECONDITION);
    expect(late.details).toBe('this appointment has ended');
    world.setNow(START_OF_TESTS);
  });
});
