// What other services and the audit trail learn from the appointments service, read back from
// Kafka: one fact per change on portico.appointments.v1 keyed by the patient, in the CloudEvents
// envelope, with ids, times and the mode only; and an audit record of every read and change,
// the calendar feed's reads included.
import { randomUUID } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Metadata } from '@grpc/grpc-js';
import { AppointmentMode, AppointmentPeriod } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { ActorRole } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import {
  AppointmentCancelledSchema,
  AppointmentCompletedSchema,
  AppointmentMissedSchema,
  AppointmentRescheduledSchema,
  AppointmentScheduledSchema,
} from '@portico/contracts/gen/portico/events/appointments/v1/appointment_events_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import { recordTopics, type TopicRecord } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, failure, inPerson, START_OF_TESTS, startWorld, telehealth, type Clinic, type Person, type World } from './harness.js';

let world: World;
let clinic: Clinic;
let elsewhere: Clinic;
let patient: Person;
let topics: Awaited<ReturnType<typeof recordTopics>>;

beforeAll(async () => {
  topics = await recordTopics(['portico.appointments.v1', 'portico.audit.v1'], { fromNow: true });
  world = await startWorld();
  [clinic, elsewhere] = await Promise.all([world.clinic('Riverside Clinic'), world.clinic('Hillside Practice')]);
  patient = await world.person(['patient'], clinic);
});

afterAll(async () => {
  await topics?.stop();
  await world?.stop();
});

const SCHEMAS = [
  AppointmentScheduledSchema,
  AppointmentRescheduledSchema,
  AppointmentCancelledSchema,
  AppointmentCompletedSchema,
  AppointmentMissedSchema,
];

/** The event a record carries, read with the schema its ce_type names. */
function decode(record: TopicRecord) {
  const schema = SCHEMAS.find((s) => s.typeName === record.headers.ce_type);
  if (!schema) throw new Error(`unexpected event type ${record.headers.ce_type}`);
  return fromBinary(schema as typeof AppointmentScheduledSchema, record.value);
}

const ofPatient = (topic: string) => (records: TopicRecord[]) => records.filter((r) => r.topic === topic && r.key === patient.id);

describe('the facts of an appointment’s life', () => {
  it('publishes scheduled, rescheduled, cancelled, completed and missed, keyed by the patient, with no health details', async () => {
    const staff = await as(clinic.staff);
    const first = (await world.appointments.scheduleAppointment({ patientId: patient.id, details: telehealth(clinic.staff) }, staff))
      .appointment!;
    await world.appointments.rescheduleAppointment(
      {
        patientId: patient.id,
        appointmentId: first.appointmentId,
        start: { local: '2026-12-09T10:00' },
        end: { local: '2026-12-09T11:00' },
      },
      staff,
    );
    await world.appointments.cancelAppointment(
      { patientId: patient.id, appointmentId: first.appointmentId, reason: 'Clinician unwell' },
      staff,
    );
    const second = (
      await world.appointments.scheduleAppointment(
        {
          patientId: patient.id,
          details: inPerson(clinic.staff, { start: { local: '2026-12-10T09:00' }, end: { local: '2026-12-10T10:00' } }),
        },
        staff,
      )
    ).appointment!;
    const third = (
      await world.appointments.scheduleAppointment(
        {
          patientId: patient.id,
          details: inPerson(clinic.staff, { start: { local: '2026-12-10T11:00' }, end: { local: '2026-12-10T12:00' } }),
        },
        staff,
      )
    ).appointment!;
    world.setNow(new Date('2026-12-10T17:00:00Z'));
    try {
      await world.appointments.completeAppointment({ patientId: patient.id, appointmentId: second.appointmentId }, staff);
      await world.appointments.markNoShow({ patientId: patient.id, appointmentId: third.appointmentId }, staff);
    } finally {
      world.setNow(START_OF_TESTS);
    }

    const records = ofPatient('portico.appointments.v1')(await topics.waitFor((r) => ofPatient('portico.appointments.v1')(r).length >= 7));
    // In order for each appointment (one patient's events share a partition); the relay may
    // interleave different appointments' events.
    const story = (appointmentId: string) =>
      records
        .filter((r) => decode(r).appointmentId === appointmentId)
        .map((r) => r.headers.ce_type!.replace('portico.events.appointments.v1.', ''));
    expect(records).toHaveLength(7);
    expect(story(first.appointmentId)).toEqual(['AppointmentScheduled', 'AppointmentRescheduled', 'AppointmentCancelled']);
    expect(story(second.appointmentId)).toEqual(['AppointmentScheduled', 'AppointmentCompleted']);
    expect(story(third.appointmentId)).toEqual(['AppointmentScheduled', 'AppointmentMissed']);
    for (const record of records) {
      expect(record.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_source: 'portico/appointments',
        'content-type': 'application/protobuf',
      });
      expect(record.headers.ce_id).toMatch(/^[0-9a-f-]{36}$/);
      const payload = record.value.toString('latin1');
      for (const detail of ['therapy', 'Room 2', 'medication', 'meet.example.org', 'unwell', 'Test ', clinic.staff.username])
        expect(payload).not.toContain(detail);
    }

    const eventOf = <S extends (typeof SCHEMAS)[number]>(schema: S, appointmentId: string) => {
      const record = records.find((r) => r.headers.ce_type === schema.typeName && decode(r).appointmentId === appointmentId)!;
      return fromBinary(schema as typeof AppointmentScheduledSchema, record.value) as unknown as ReturnType<typeof fromBinary<S>>;
    };
    const scheduled = eventOf(AppointmentScheduledSchema, first.appointmentId);
    expect(scheduled).toMatchObject({
      appointmentId: first.appointmentId,
      patientId: patient.id,
      clinicId: clinic.id,
      timeZone: 'America/New_York',
      mode: AppointmentMode.TELEHEALTH,
      version: 1n,
      actor: { subject: clinic.staff.id, role: ActorRole.STAFF, clinicId: clinic.id },
    });
    expect(timestampDate(scheduled.startsAt!)).toEqual(new Date('2026-12-08T15:00:00Z'));
    // When it happened, by the service's clock.
    expect(timestampDate(scheduled.occurredAt!)).toEqual(START_OF_TESTS);
    const rescheduled = eventOf(AppointmentRescheduledSchema, first.appointmentId);
    expect(timestampDate(rescheduled.previousStartsAt!)).toEqual(new Date('2026-12-08T15:00:00Z'));
    expect(timestampDate(rescheduled.startsAt!)).toEqual(new Date('2026-12-09T15:00:00Z'));
    expect(eventOf(AppointmentCancelledSchema, first.appointmentId)).toMatchObject({ version: 3n, timeZone: 'America/New_York' });
    expect(eventOf(AppointmentCompletedSchema, second.appointmentId)).toMatchObject({ patientId: patient.id, version: 2n });
  });

  it('publishes nothing for a refused booking', async () => {
    const before = ofPatient('portico.appointments.v1')(topics.records).length;
    const clash = await failure(
      world.appointments.scheduleAppointment(
        {
          patientId: patient.id,
          details: inPerson(clinic.colleague, { start: { local: '2026-12-10T09:30' }, end: { local: '2026-12-10T10:30' } }),
        },
        await as(clinic.staff),
      ),
    );
    expect(clash.details).toMatch(/the patient already has an appointment then/);
    // A later change of the same patient arrives after anything the refusal could have sent.
    await world.appointments.scheduleAppointment(
      {
        patientId: patient.id,
        details: inPerson(clinic.colleague, { start: { local: '2026-12-11T09:00' }, end: { local: '2026-12-11T10:00' } }),
      },
      await as(clinic.staff),
    );
    const after = ofPatient('portico.appointments.v1')(
      await topics.waitFor((r) => ofPatient('portico.appointments.v1')(r).length > before),
    );
    expect(after.slice(before).map((r) => r.headers.ce_type)).toEqual(['portico.events.appointments.v1.AppointmentScheduled']);
  });
});

describe('the audit trail', () => {
  it('records every change and read, refusals too, and the calendar feed’s reads by the feed itself', async () => {
    const requestId = randomUUID();
    await world.appointments.listAppointments({ patientId: patient.id, period: AppointmentPeriod.UPCOMING }, await as(patient));
    await failure(
      world.appointments.listAppointments({ patientId: patient.id, period: AppointmentPeriod.UPCOMING }, await as(elsewhere.staff)),
    );
    const { feedToken } = await world.appointments.createCalendarFeed({ patientId: patient.id }, await as(patient));
    const metadata = new Metadata();
    metadata.set('x-request-id', requestId);
    await world.appointments.getCalendarFeed({ feedToken }, { metadata });

    const expected = [
      'appointments.schedule',
      'appointments.reschedule',
      'appointments.cancel',
      'appointments.complete',
      'appointments.mark_no_show',
      'appointments.list',
      'appointments.list (denied)',
      'appointments.calendar_feed.create',
      'appointments.calendar_feed.read',
    ];
    const audited = () => ofPatient('portico.audit.v1')(topics.records).map((r) => fromBinary(PatientRecordAccessedSchema, r.value));
    const actionsOf = (trail: ReturnType<typeof audited>) =>
      trail.map((a) => `${a.action}${a.outcome === AccessOutcome.DENIED ? ' (denied)' : ''}`);
    await topics.waitFor(() => expected.every((action) => actionsOf(audited()).includes(action)));
    const trail = audited();
    const feedRead = trail.find((a) => a.action === 'appointments.calendar_feed.read')!;
    expect(feedRead.actor?.subject).toMatch(/^calendar-feed:[0-9a-f-]{36}$/);
    expect(feedRead.actor?.role).toBe(ActorRole.UNSPECIFIED);
    expect(feedRead.requestId).toBe(requestId);
    expect(JSON.stringify(trail, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(feedToken);
    expect(trail.find((a) => a.outcome === AccessOutcome.DENIED)?.actor?.subject).toBe(elsewhere.staff.id);
  });
});
