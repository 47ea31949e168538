// The whole path with the real appointments service: staff book, move and cancel a visit with a
// clinician, a service type, a room, a note and (for video) a meeting link; the patient and the
// guardian are emailed each time, in the clinic's time — and none of those details is ever in an
// email: an inbox is not the place for them.
import { AppointmentMode, AppointmentsService } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { connectService } from '@portico/kit/grpc';
import { startTestService, wallClock } from '@portico/testing';
import type { RunningService } from '@portico/kit/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, bodyTime, chicagoTime, CHICAGO, emailsTo, subjectTime, type Person, type World, startWorld } from './harness.js';

let world: World;
let appointmentsService: RunningService;
let appointments: ReturnType<typeof connectService<(typeof AppointmentsService)['method']>>;
let patient: Person;
let guardian: Person;

/** "2026-12-15T10:00": the clinic's wall-clock time staff type. */
const local = (at: Date) => wallClock(at, CHICAGO);

const SERVICE_TYPE = 'Trauma-focused therapy, 50 min';
const ROOM = 'Room 7, 14 Main Street';
const NOTE = 'Please bring your medication list.';
const MEETING_URL = 'https://meet.example.org/r/7f3a9c-secret-room';

beforeAll(async () => {
  world = await startWorld();
  patient = await world.person(['patient']);
  guardian = await world.person(['guardian'], [patient.id]);
  await world.start();
  appointmentsService = await startTestService('appointments', `${world.dbName.replace(/_notifications$/, '')}_appointments`, {
    AUTH_GRPC_URL: world.authAddress,
  });
  appointments = connectService(AppointmentsService, `127.0.0.1:${appointmentsService.grpc.port}`, { defaultTimeoutMs: 30_000 });
});

afterAll(async () => {
  appointments?.close();
  await appointmentsService?.connection.dropDatabase().catch(() => {});
  await appointmentsService?.lifecycle.shutdown('test over');
  await world?.stop();
});

describe('with the appointments service', () => {
  it('emails the patient and guardian about each change, never the clinician, service, room, note or link', async () => {
    const start = chicagoTime(new Date(), 14, 10);
    const end = new Date(start.getTime() + 50 * 60_000);
    const { appointment } = await appointments.scheduleAppointment(
      {
        patientId: patient.id,
        details: {
          clinicianId: world.staff.id,
          serviceType: SERVICE_TYPE,
          start: { local: local(start) },
          end: { local: local(end) },
          mode: AppointmentMode.IN_PERSON,
          location: ROOM,
          noteForPatient: NOTE,
        },
      },
      await as(world.staff),
    );
    const booked = await emailsTo(world, patient, `Your appointment on ${subjectTime(start)} is confirmed`);
    await emailsTo(world, guardian, `Test's appointment on ${subjectTime(start)} is confirmed`);
    expect(booked[0]!.Text).toContain(bodyTime(start));

    const moved = chicagoTime(new Date(), 15, 14);
    await appointments.rescheduleAppointment(
      {
        patientId: patient.id,
        appointmentId: appointment!.appointmentId,
        start: { local: local(moved) },
        end: { local: local(new Date(moved.getTime() + 50 * 60_000)) },
        expectedVersion: appointment!.version,
      },
      await as(world.staff),
    );
    await emailsTo(world, patient, `Your appointment has moved to ${subjectTime(moved)}`);
    await appointments.cancelAppointment(
      { patientId: patient.id, appointmentId: appointment!.appointmentId, reason: 'Clinician unwell' },
      await as(world.staff),
    );
    await emailsTo(world, patient, `Your appointment on ${subjectTime(moved)} is cancelled`);

    // A video visit too, with its meeting link.
    const video = chicagoTime(new Date(), 16, 16);
    await appointments.scheduleAppointment(
      {
        patientId: patient.id,
        details: {
          clinicianId: world.staff.id,
          serviceType: SERVICE_TYPE,
          start: { local: local(video) },
          end: { local: local(new Date(video.getTime() + 50 * 60_000)) },
          mode: AppointmentMode.TELEHEALTH,
          meetingUrl: MEETING_URL,
          noteForPatient: NOTE,
        },
      },
      await as(world.staff),
    );
    const [videoEmail] = await emailsTo(world, patient, `Your appointment on ${subjectTime(video)} is confirmed`);
    expect(videoEmail!.Text).toContain('video visit');

    const all = [...(await emailsTo(world, patient, /appointment/, 4)), ...(await emailsTo(world, guardian, /appointment/, 4))];
    for (const email of all) {
      const words = `${email.Subject}\n${email.Text}\n${email.HTML}`;
      for (const detail of [SERVICE_TYPE, 'Trauma', ROOM, NOTE, MEETING_URL, 'meet.example.org', 'Clinician unwell', world.staff.username])
        expect(words, email.Subject).not.toContain(detail);
    }
  });
});
