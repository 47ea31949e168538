// Staff schedule a patient's visits in the clinic's own time, and change them: what staff and
// patients would notice, against the real servers (Keycloak users and tokens, the auth service for
// the clinic's zone and its staff, FerretDB).
import { status } from '@grpc/grpc-js';
import { AppointmentMode, AppointmentPeriod, AppointmentStatus } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  failure,
  inPerson,
  START_OF_TESTS,
  startWorld,
  storedFor,
  telehealth,
  violationsOf,
  type Clinic,
  type Person,
  type World,
} from './harness.js';

let world: World;
let riverside: Clinic;
let hillside: Clinic;
let patient: Person;
let other: Person;

beforeAll(async () => {
  world = await startWorld();
  [riverside, hillside] = await Promise.all([world.clinic('Riverside Clinic'), world.clinic('Hillside Practice', 'Europe/London')]);
  [patient, other] = await Promise.all([world.person(['patient'], riverside), world.person(['patient'], riverside)]);
});

afterAll(async () => {
  await world?.stop();
});

const schedule = async (by: Person, patientId: string, details: ReturnType<typeof inPerson>, idempotencyKey = '') =>
  (await world.appointments.scheduleAppointment({ patientId, details, idempotencyKey }, await as(by))).appointment!;

describe('staff scheduling a visit', () => {
  it('books an in-person visit in the clinic’s time, named after the clinician, for the patient to see', async () => {
    const booked = await schedule(riverside.staff, patient.id, inPerson(riverside.staff));
    expect(booked).toMatchObject({
      patientId: patient.id,
      clinicId: riverside.id,
      clinicianId: riverside.staff.id,
      clinicianName: `Test ${riverside.staff.username}`,
      serviceType: 'Individual therapy, 50 min',
      timeZone: 'America/New_York',
      mode: AppointmentMode.IN_PERSON,
      location: 'Room 2, 14 Main Street',
      status: AppointmentStatus.SCHEDULED,
      version: 1n,
      sequence: 0,
      canJoinNow: false,
    });
    // 10:00 in New York in December is 15:00 UTC.
    expect(timestampDate(booked.startsAt!)).toEqual(new Date('2026-12-08T15:00:00Z'));
    expect(timestampDate(booked.endsAt!)).toEqual(new Date('2026-12-08T15:50:00Z'));
    expect(booked.telehealthOpensAt).toBeUndefined();
    // The service's clock, not the machine's, says when it was made.
    expect(timestampDate(booked.createdAt!)).toEqual(START_OF_TESTS);

    const seen = await world.appointments.getAppointment({ patientId: patient.id, appointmentId: booked.appointmentId }, await as(patient));
    expect(seen.appointment).toEqual(booked);
  });

  it('books a telehealth visit whose link is kept back: its window is shown, never the link', async () => {
    const booked = await schedule(
      riverside.colleague,
      patient.id,
      telehealth(riverside.colleague, { start: { local: '2026-12-09T16:00' }, end: { local: '2026-12-09T16:45' } }),
    );
    expect(booked.mode).toBe(AppointmentMode.TELEHEALTH);
    expect(timestampDate(booked.telehealthOpensAt!)).toEqual(new Date('2026-12-09T20:45:00Z'));
    expect(JSON.stringify(booked, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('meet.example.org');
  });

  it('takes a retried request with the same idempotency key as the one booking it made', async () => {
    const details = inPerson(riverside.staff, { start: { local: '2026-12-10T09:00' }, end: { local: '2026-12-10T09:30' } });
    const first = await schedule(riverside.staff, other.id, details, 'retry-key-0001');
    const again = await schedule(riverside.staff, other.id, details, 'retry-key-0001');
    expect(again.appointmentId).toBe(first.appointmentId);
    expect(await world.db.collection('appointments').countDocuments({ patientId: other.id, idempotencyKey: 'retry-key-0001' })).toBe(1);
  });

  it('serialises bookings of one clinician: of many at the same time, exactly one is made', async () => {
    const patients = await Promise.all([1, 2, 3, 4].map(() => world.person(['patient'], riverside)));
    const details = inPerson(riverside.colleague, { start: { local: '2026-12-11T13:00' }, end: { local: '2026-12-11T14:00' } });
    const outcomes = await Promise.all(
      patients.map(async (p) =>
        world.appointments.scheduleAppointment({ patientId: p.id, details }, await as(riverside.staff)).then(
          () => 'booked',
          (e: { code: number }) => e.code,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'booked')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'booked')).toEqual([
      status.FAILED_PRECONDITION,
      status.FAILED_PRECONDITION,
      status.FAILED_PRECONDITION,
    ]);
    expect(
      await world.db
        .collection('appointments')
        .countDocuments({ clinicianId: riverside.colleague.id, startsAt: new Date('2026-12-11T18:00:00Z') }),
    ).toBe(1);
  });
});

describe('what scheduling refuses, with a clear reason and nothing stored', () => {
  let patientOfRefusals: Person;
  beforeAll(async () => {
    patientOfRefusals = await world.person(['patient'], riverside);
    // Taken: the clinician on the 14th at 10:00, and the patient on the 15th at 10:00.
    await schedule(
      riverside.staff,
      other.id,
      inPerson(riverside.staff, { start: { local: '2026-12-14T10:00' }, end: { local: '2026-12-14T11:00' } }),
    );
    await schedule(
      riverside.colleague,
      patientOfRefusals.id,
      inPerson(riverside.colleague, { start: { local: '2026-12-15T10:00' }, end: { local: '2026-12-15T11:00' } }),
    );
  });

  const refused = async (details: ReturnType<typeof inPerson>, by: Person = riverside.staff, patientId?: string) => {
    const target = patientId ?? patientOfRefusals.id;
    const before = await storedFor(world, target);
    const error = await failure(world.appointments.scheduleAppointment({ patientId: target, details }, await as(by)));
    expect(await storedFor(world, target)).toBe(before);
    return error;
  };

  it('an end before the start', async () => {
    const error = await refused(inPerson(riverside.staff, { start: { local: '2026-12-16T10:00' }, end: { local: '2026-12-16T09:00' } }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error)).toEqual([{ field: 'end', message: 'must be after the start' }]);
  });

  it('a start in the past, by the service’s clock', async () => {
    const error = await refused(inPerson(riverside.staff, { start: { local: '2026-11-30T10:00' }, end: { local: '2026-11-30T11:00' } }));
    expect(violationsOf(error)).toEqual([{ field: 'start', message: 'must not be in the past' }]);
  });

  it('a time the clinic’s clocks skip when daylight saving time begins', async () => {
    const error = await refused(inPerson(riverside.staff, { start: { local: '2027-03-14T02:30' }, end: { local: '2027-03-14T03:30' } }));
    expect(violationsOf(error)).toEqual([
      { field: 'start', message: 'does not exist in America/New_York: the clocks skip that time when daylight saving time begins' },
    ]);
  });

  it('a telehealth visit without an https link, and an in-person one without a place', async () => {
    const noLink = await refused(
      telehealth(riverside.staff, { meetingUrl: '', start: { local: '2026-12-16T10:00' }, end: { local: '2026-12-16T11:00' } }),
    );
    expect(violationsOf(noLink)).toEqual([{ field: 'meeting_url', message: 'is required for a telehealth appointment' }]);
    const plainHttp = await refused(
      telehealth(riverside.staff, {
        meetingUrl: 'http://meet.example.org/r/1',
        start: { local: '2026-12-16T10:00' },
        end: { local: '2026-12-16T11:00' },
      }),
    );
    expect(violationsOf(plainHttp)).toEqual([{ field: 'meeting_url', message: 'must be an https link' }]);
    const nowhere = await refused(
      inPerson(riverside.staff, { location: ' ', start: { local: '2026-12-16T10:00' }, end: { local: '2026-12-16T11:00' } }),
    );
    expect(violationsOf(nowhere)).toEqual([{ field: 'location', message: 'is required for an in-person appointment' }]);
  });

  it('control characters in free text', async () => {
    const error = await refused(
      inPerson(riverside.staff, {
        serviceType: 'Therapy\u0000',
        noteForPatient: 'Hi\u001b[2J',
        start: { local: '2026-12-16T10:00' },
        end: { local: '2026-12-16T11:00' },
      }),
    );
    expect(violationsOf(error)).toEqual([
      { field: 'service_type', message: 'must not contain control characters' },
      { field: 'note_for_patient', message: 'must not contain control characters' },
    ]);
  });

  it('a clinician who is not staff of the clinic: a patient, or staff of another clinic', async () => {
    const asPatient = await refused(inPerson(other, { start: { local: '2026-12-16T10:00' }, end: { local: '2026-12-16T11:00' } }));
    expect(violationsOf(asPatient)).toEqual([{ field: 'clinician_id', message: 'is not a staff member of this clinic' }]);
    const elsewhere = await refused(inPerson(hillside.staff, { start: { local: '2026-12-16T10:00' }, end: { local: '2026-12-16T11:00' } }));
    expect(violationsOf(elsewhere)).toEqual([{ field: 'clinician_id', message: 'is not a staff member of this clinic' }]);
  });

  it('a clinician already booked then', async () => {
    const error = await refused(inPerson(riverside.staff, { start: { local: '2026-12-14T10:30' }, end: { local: '2026-12-14T11:30' } }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.details).toBe(
      'the clinician is already booked then: another appointment overlaps (Mon 14 Dec 2026, 10:00 EST to Mon 14 Dec 2026, 11:00 EST)',
    );
  });

  it('a patient who already has an appointment then, with another clinician', async () => {
    const error = await refused(inPerson(riverside.staff, { start: { local: '2026-12-15T10:50' }, end: { local: '2026-12-15T11:20' } }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.details).toMatch(/^the patient already has an appointment then \(Tue 15 Dec 2026, 10:00 EST/);
    // Back to back is not an overlap.
    await schedule(
      riverside.staff,
      patientOfRefusals.id,
      inPerson(riverside.staff, { start: { local: '2026-12-15T11:00' }, end: { local: '2026-12-15T11:30' } }),
    );
  });

  it('a patient of another clinic: NOT_FOUND to its staff, and the patient’s list is as it was', async () => {
    const before = await world.appointments.listAppointments({ patientId: patient.id, period: 1 }, await as(patient));
    const error = await refused(
      inPerson(hillside.staff, { start: { local: '2026-12-16T10:00' }, end: { local: '2026-12-16T11:00' } }),
      hillside.staff,
      patient.id,
    );
    expect(error.code).toBe(status.NOT_FOUND);
    const read = await failure(world.appointments.listAppointments({ patientId: patient.id, period: 1 }, await as(hillside.staff)));
    expect(read.code).toBe(status.NOT_FOUND);
    expect(await world.appointments.listAppointments({ patientId: patient.id, period: 1 }, await as(patient))).toEqual(before);
  });

  it('a patient or guardian scheduling: PERMISSION_DENIED, though they may read', async () => {
    const error = await refused(
      inPerson(riverside.staff, { start: { local: '2026-12-16T10:00' }, end: { local: '2026-12-16T11:00' } }),
      patientOfRefusals,
    );
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });
});

describe('changing a visit', () => {
  let visit: Awaited<ReturnType<typeof schedule>>;
  let changer: Person;
  beforeAll(async () => {
    changer = await world.person(['patient'], riverside);
    visit = await schedule(
      riverside.staff,
      changer.id,
      telehealth(riverside.staff, { start: { local: '2026-12-17T10:00' }, end: { local: '2026-12-17T10:50' } }),
    );
  });

  it('reschedules to a new time with one more version and calendar sequence, refusing a stale version', async () => {
    const moved = await world.appointments.rescheduleAppointment(
      {
        patientId: changer.id,
        appointmentId: visit.appointmentId,
        start: { local: '2026-12-18T14:00' },
        end: { local: '2026-12-18T15:00' },
        expectedVersion: 1n,
      },
      await as(riverside.staff),
    );
    expect(moved.appointment).toMatchObject({ version: 2n, sequence: 1, status: AppointmentStatus.SCHEDULED });
    expect(timestampDate(moved.appointment!.startsAt!)).toEqual(new Date('2026-12-18T19:00:00Z'));
    const stale = await failure(
      world.appointments.rescheduleAppointment(
        {
          patientId: changer.id,
          appointmentId: visit.appointmentId,
          start: { local: '2026-12-19T14:00' },
          end: { local: '2026-12-19T15:00' },
          expectedVersion: 1n,
        },
        await as(riverside.staff),
      ),
    );
    expect(stale.code).toBe(status.FAILED_PRECONDITION);
    const gap = await failure(
      world.appointments.rescheduleAppointment(
        {
          patientId: changer.id,
          appointmentId: visit.appointmentId,
          start: { local: '2027-03-14T02:00' },
          end: { local: '2027-03-14T04:00' },
        },
        await as(riverside.staff),
      ),
    );
    expect(violationsOf(gap)).toEqual([{ field: 'start', message: expect.stringContaining('does not exist in America/New_York') }]);
    const stored = await world.db.collection('appointments').findOne({ _id: visit.appointmentId as never });
    expect(stored).toMatchObject({ version: 2, sequence: 1, startsAt: new Date('2026-12-18T19:00:00Z') });
  });

  it('completes or marks a no-show only once the visit has started', async () => {
    const early = await failure(
      world.appointments.completeAppointment({ patientId: changer.id, appointmentId: visit.appointmentId }, await as(riverside.staff)),
    );
    expect(early.code).toBe(status.FAILED_PRECONDITION);
    expect(early.details).toMatch(/has not started yet \(it starts Fri 18 Dec 2026, 14:00 EST\)/);
  });

  it('cancels with a reason; the visit stays listed, marked cancelled, and cannot be cancelled or completed again', async () => {
    const noReason = await failure(
      world.appointments.cancelAppointment(
        { patientId: changer.id, appointmentId: visit.appointmentId, reason: '' },
        await as(riverside.staff),
      ),
    );
    expect(violationsOf(noReason)).toEqual([{ field: 'reason', message: 'is required' }]);
    const { appointment } = await world.appointments.cancelAppointment(
      { patientId: changer.id, appointmentId: visit.appointmentId, reason: 'Clinician unwell' },
      await as(riverside.staff),
    );
    expect(appointment).toMatchObject({
      status: AppointmentStatus.CANCELLED,
      cancellationReason: 'Clinician unwell',
      sequence: 2,
      version: 3n,
      canJoinNow: false,
    });
    // A retry changes nothing.
    const retried = await world.appointments.cancelAppointment(
      { patientId: changer.id, appointmentId: visit.appointmentId, reason: 'Clinician unwell' },
      await as(riverside.staff),
    );
    expect(retried.appointment?.version).toBe(3n);
    const listed = await world.appointments.listAppointments({ patientId: changer.id, period: 1 }, await as(changer));
    expect(listed.appointments.map((a) => [a.appointmentId, a.status])).toEqual([[visit.appointmentId, AppointmentStatus.CANCELLED]]);
    world.setNow(new Date('2026-12-18T19:10:00Z'));
    try {
      const complete = await failure(
        world.appointments.completeAppointment({ patientId: changer.id, appointmentId: visit.appointmentId }, await as(riverside.staff)),
      );
      expect(complete.details).toBe('only a scheduled appointment can be completed; this one was cancelled');
    } finally {
      world.setNow(START_OF_TESTS);
    }
    // The freed time can be booked again.
    await schedule(
      riverside.staff,
      changer.id,
      inPerson(riverside.staff, { start: { local: '2026-12-18T14:00' }, end: { local: '2026-12-18T15:00' } }),
    );
  });

  it('completes a started visit, and marks another a no-show', async () => {
    const first = await schedule(
      riverside.colleague,
      changer.id,
      inPerson(riverside.colleague, { start: { local: '2026-12-21T09:00' }, end: { local: '2026-12-21T10:00' } }),
    );
    const second = await schedule(
      riverside.colleague,
      changer.id,
      inPerson(riverside.colleague, { start: { local: '2026-12-21T11:00' }, end: { local: '2026-12-21T12:00' } }),
    );
    world.setNow(new Date('2026-12-21T16:05:00Z'));
    try {
      const completed = await world.appointments.completeAppointment(
        { patientId: changer.id, appointmentId: first.appointmentId },
        await as(riverside.colleague),
      );
      expect(completed.appointment).toMatchObject({ status: AppointmentStatus.COMPLETED, version: 2n, sequence: 0 });
      const missed = await world.appointments.markNoShow(
        { patientId: changer.id, appointmentId: second.appointmentId },
        await as(riverside.colleague),
      );
      expect(missed.appointment?.status).toBe(AppointmentStatus.NO_SHOW);
      const late = await failure(
        world.appointments.cancelAppointment(
          { patientId: changer.id, appointmentId: first.appointmentId, reason: 'too late' },
          await as(riverside.colleague),
        ),
      );
      expect(late.code).toBe(status.FAILED_PRECONDITION);
    } finally {
      world.setNow(START_OF_TESTS);
    }
  });
});

describe('a clinician’s diary', () => {
  it('lists the clinician’s visits overlapping a window, by start, for staff of the clinic only', async () => {
    const from = timestampFromDate(new Date('2026-12-14T00:00:00Z'));
    const to = timestampFromDate(new Date('2026-12-16T00:00:00Z'));
    const { appointments } = await world.appointments.listClinicianAppointments(
      { clinicianId: riverside.staff.id, from, to },
      await as(riverside.colleague),
    );
    expect(appointments.map((a) => [timestampDate(a.startsAt!).toISOString(), a.clinicianId])).toEqual([
      ['2026-12-14T15:00:00.000Z', riverside.staff.id],
      ['2026-12-15T16:00:00.000Z', riverside.staff.id],
    ]);

    const tooLong = await failure(
      world.appointments.listClinicianAppointments(
        { clinicianId: riverside.staff.id, from, to: timestampFromDate(new Date('2027-01-20T00:00:00Z')) },
        await as(riverside.staff),
      ),
    );
    expect(violationsOf(tooLong)).toEqual([{ field: 'to', message: 'must be at most 31 days after from' }]);
    const elsewhere = await failure(
      world.appointments.listClinicianAppointments({ clinicianId: riverside.staff.id, from, to }, await as(hillside.staff)),
    );
    expect(elsewhere.code).toBe(status.NOT_FOUND);
    const byPatient = await failure(
      world.appointments.listClinicianAppointments({ clinicianId: riverside.staff.id, from, to }, await as(patient)),
    );
    expect(byPatient.code).toBe(status.PERMISSION_DENIED);
  });
});

describe('recording a visit that already took place', () => {
  const past = (overrides: Partial<ReturnType<typeof inPerson>> = {}) =>
    inPerson(riverside.staff, { start: { local: '2026-11-20T10:00' }, end: { local: '2026-11-20T10:50' }, ...overrides });
  const record = async (details: ReturnType<typeof inPerson>, outcome: AppointmentStatus, idempotencyKey = '') =>
    world.appointments.recordPastVisit({ patientId: other.id, details, outcome, idempotencyKey }, await as(riverside.staff));

  it('stores it with its outcome, listed under Past for the patient', async () => {
    const recorded = (await record(past(), AppointmentStatus.COMPLETED, 'history-import-0001')).appointment!;
    expect(recorded).toMatchObject({ patientId: other.id, status: AppointmentStatus.COMPLETED, sequence: 0 });
    expect(timestampDate(recorded.endsAt!)).toEqual(new Date('2026-11-20T15:50:00Z'));
    // A retry of the same import records nothing more.
    const again = (await record(past(), AppointmentStatus.COMPLETED, 'history-import-0001')).appointment!;
    expect(again.appointmentId).toBe(recorded.appointmentId);

    const missed = (
      await record(past({ start: { local: '2026-11-27T09:00' }, end: { local: '2026-11-27T09:30' } }), AppointmentStatus.NO_SHOW)
    ).appointment!;
    const { appointments } = await world.appointments.listAppointments(
      { patientId: other.id, period: AppointmentPeriod.PAST },
      await as(other),
    );
    expect(appointments.map((a) => [a.appointmentId, a.status])).toEqual([
      [missed.appointmentId, AppointmentStatus.NO_SHOW],
      [recorded.appointmentId, AppointmentStatus.COMPLETED],
    ]);
  });

  it('refuses a visit that has not ended, an outcome other than completed or no-show, and an overlap; nothing is stored', async () => {
    const before = await storedFor(world, other.id);
    const future = await failure(
      record(past({ start: { local: '2026-12-20T10:00' }, end: { local: '2026-12-20T10:50' } }), AppointmentStatus.COMPLETED),
    );
    expect(future.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(future)).toContainEqual({ field: 'end', message: expect.stringContaining('must not be in the future') });
    const scheduled = await failure(
      record(past({ start: { local: '2026-11-21T10:00' }, end: { local: '2026-11-21T10:30' } }), AppointmentStatus.SCHEDULED),
    );
    expect(violationsOf(scheduled)).toEqual([{ field: 'outcome', message: 'must be completed or no-show' }]);
    const overlap = await failure(
      record(past({ start: { local: '2026-11-20T10:30' }, end: { local: '2026-11-20T11:00' } }), AppointmentStatus.COMPLETED),
    );
    expect(overlap.code).toBe(status.FAILED_PRECONDITION);
    expect(await storedFor(world, other.id)).toBe(before);
  });

  it('is for staff only: the patient is refused', async () => {
    const refused = await failure(
      world.appointments.recordPastVisit(
        { patientId: other.id, details: past(), outcome: AppointmentStatus.COMPLETED, idempotencyKey: '' },
        await as(other),
      ),
    );
    expect(refused.code).toBe(status.PERMISSION_DENIED);
  });
});
