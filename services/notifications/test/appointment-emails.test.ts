// The emails people get when an appointment is booked, moved or cancelled, produced from real
// appointment events on Kafka and read back from Mailpit: one to the patient and one to each
// active guardian, from the clinic, with the time in the clinic's zone and its logo; none to
// someone who turned them off; none twice for an event delivered twice; and a record nobody can
// read goes to the dead-letter topic. The logs never hold an address or a subject.
import { randomUUID } from 'node:crypto';
import { AppointmentMode } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { deadLetterTopic } from '@portico/kit/eventing';
import { emailPart, recordTopics } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPOINTMENTS_TOPIC,
  as,
  bodyTime,
  chicagoTime,
  countEmails,
  emailsTo,
  LOGO,
  settled,
  startWorld,
  subjectTime,
  type Notifications,
  type Person,
  type World,
} from './harness.js';

let world: World;
let notifications: Notifications;
let groupId: string;
let patient: Person;
let guardian: Person;
let quietGuardian: Person;

beforeAll(async () => {
  world = await startWorld();
  patient = await world.person(['patient']);
  [guardian, quietGuardian] = await Promise.all([world.person(['guardian'], [patient.id]), world.person(['guardian'], [patient.id])]);
  notifications = await world.start();
  groupId = (notifications.service as unknown as { groupId: string }).groupId;
});

afterAll(async () => {
  await world?.stop();
});

describe('appointment emails', () => {
  it('tell the patient and each guardian of a booking, a move and a cancellation, in the clinic’s time', async () => {
    // The quiet guardian turned appointment emails off; the others never chose.
    await notifications.client.updateMyNotificationPreferences({ preferences: { appointmentEmails: false } }, await as(quietGuardian));
    const appointment = { appointmentId: randomUUID(), patientId: patient.id, startsAt: chicagoTime(world.now(), 9, 10) };

    await world.events.scheduled(appointment);
    const [confirmed] = await emailsTo(world, patient, `Your appointment on ${subjectTime(appointment.startsAt)} is confirmed`);
    expect(confirmed!.From.Name).toBe(world.clinicName);
    expect(confirmed!.To).toEqual([{ Name: `Test ${patient.username}`, Address: patient.email }]);
    expect(confirmed!.Text).toContain(`Hello Test,`);
    expect(confirmed!.Text).toContain(`Your appointment with ${world.clinicName} is confirmed for ${bodyTime(appointment.startsAt)}.`);
    expect(confirmed!.Text).toContain('It is an in-person visit.');
    expect(confirmed!.Text).toContain('https://portal.riverside.example/appointments');
    expect(confirmed!.Text).toContain('+13125550100');
    expect(confirmed!.HTML).toContain('href="https://portal.riverside.example/appointments"');
    // The clinic's logo travels inline, referenced from the HTML.
    const [logo] = confirmed!.Inline;
    expect(logo).toMatchObject({ ContentType: 'image/png' });
    expect(confirmed!.HTML).toContain(`cid:${logo!.ContentID}`);
    expect((await emailPart(confirmed!.ID, logo!.PartID)).equals(LOGO)).toBe(true);

    const [toGuardian] = await emailsTo(world, guardian, `Test's appointment on ${subjectTime(appointment.startsAt)} is confirmed`);
    expect(toGuardian!.Text).toContain(`Test's appointment with ${world.clinicName} is confirmed for ${bodyTime(appointment.startsAt)}.`);

    const moved = { ...appointment, startsAt: chicagoTime(world.now(), 10, 15), mode: AppointmentMode.TELEHEALTH, version: 2 };
    await world.events.rescheduled(moved, appointment.startsAt);
    const [move] = await emailsTo(world, patient, `Your appointment has moved to ${subjectTime(moved.startsAt)}`);
    expect(move!.Text).toContain(`has moved from ${bodyTime(appointment.startsAt)} to ${bodyTime(moved.startsAt)}.`);
    expect(move!.Text).toContain('It is a video visit');
    await emailsTo(world, guardian, `Test's appointment has moved to ${subjectTime(moved.startsAt)}`);

    await world.events.cancelled({ ...moved, version: 3 });
    const [cancel] = await emailsTo(world, patient, `Your appointment on ${subjectTime(moved.startsAt)} is cancelled`);
    expect(cancel!.Text).toContain(`Your appointment with ${world.clinicName} on ${bodyTime(moved.startsAt)} is cancelled.`);
    await emailsTo(world, guardian, `Test's appointment on ${subjectTime(moved.startsAt)} is cancelled`);

    await settled(world, groupId);
    expect(await countEmails(world, quietGuardian, /appointment/)).toBe(0);
    // One email of each kind to each of them, no more.
    expect(await countEmails(world, patient, /appointment/)).toBe(3);
    expect(await countEmails(world, guardian, /appointment/)).toBe(3);
    const skipped = await world.db.collection('outgoing_emails').find({ recipientId: quietGuardian.id }).toArray();
    expect(skipped.map((e) => e.state)).toEqual(['skipped', 'skipped', 'skipped']);

    // What the service logged says which notice went to whom by id, never the address or the words.
    const logs = notifications.logs.join('\n');
    expect(logs).toContain('appointment email sent');
    for (const secret of [patient.email, guardian.email, world.clinicName, 'is confirmed', '+13125550100'])
      expect(logs).not.toContain(secret);
  });

  it('are sent once for an event delivered twice', async () => {
    const other = await world.person(['patient']);
    const appointment = { appointmentId: randomUUID(), patientId: other.id, startsAt: chicagoTime(world.now(), 12, 9) };
    const event = await world.events.scheduled(appointment);
    await emailsTo(world, other, 'is confirmed');
    await event.again();
    await settled(world, groupId);
    expect(await countEmails(world, other, 'is confirmed')).toBe(1);
  });

  it('are not sent about an appointment already begun', async () => {
    const late = await world.person(['patient']);
    await world.events.scheduled({ appointmentId: randomUUID(), patientId: late.id, startsAt: new Date(Date.now() - 60_000) });
    // The next booking for the same patient comes after it on their partition: once it is told, the first was passed over.
    await world.events.scheduled({ appointmentId: randomUUID(), patientId: late.id, startsAt: chicagoTime(world.now(), 11, 9) });
    await emailsTo(world, late, subjectTime(chicagoTime(world.now(), 11, 9)));
    await settled(world, groupId);
    expect(await countEmails(world, late, /appointment/)).toBe(1);
  });

  it('park a record nobody can read on the dead-letter topic, and go on with the next', async () => {
    const reader = await recordTopics([deadLetterTopic(APPOINTMENTS_TOPIC)]);
    try {
      const next = await world.person(['patient']);
      const poison = await world.events.poison(next.id);
      // Readable, but without a patient or a time: retried a few times, then parked too.
      const meaningless = await world.events.meaningless(next.id);
      await world.events.scheduled({ appointmentId: randomUUID(), patientId: next.id, startsAt: chicagoTime(world.now(), 13, 9) });
      // Other runs' services on the same topic park it too: this service's parking names its group.
      const ours = (records: { headers: Record<string, string> }[], id: string) =>
        records.find((r) => r.headers.ce_id === id && r.headers['x-dlq-consumer-group'] === groupId);
      const parked = await reader.waitFor((records) => [poison.id, meaningless.id].every((id) => ours(records, id)));
      for (const id of [poison.id, meaningless.id])
        expect(ours(parked, id)!.headers).toMatchObject({ 'x-dlq-original-topic': APPOINTMENTS_TOPIC });
      // The booking after it on the same partition is not held up.
      await emailsTo(world, next, 'is confirmed');
    } finally {
      await reader.stop();
    }
  });
});
