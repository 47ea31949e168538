// What people and clinics set: a patient's or guardian's own choice about appointment emails (no
// one else's), and the clinic's reminder lead time, which only its staff change, within 1 to 168
// hours — and which the next booking's reminder follows.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  countEmails,
  DAY,
  emailsTo,
  failure,
  HOUR,
  startWorld,
  subjectTime,
  violationsOf,
  type Notifications,
  type Person,
  type World,
} from './harness.js';

let world: World;
let notifications: Notifications;
let patient: Person;
let guardian: Person;

beforeAll(async () => {
  world = await startWorld();
  patient = await world.person(['patient']);
  guardian = await world.person(['guardian'], [patient.id]);
  notifications = await world.start();
});

afterAll(async () => {
  await world?.stop();
});

describe('email preferences', () => {
  it('are on until a person turns them off, and each person sets only their own', async () => {
    const { client } = notifications;
    expect((await client.getMyNotificationPreferences({}, await as(patient))).preferences).toEqual(
      expect.objectContaining({ appointmentEmails: true }),
    );
    const off = await client.updateMyNotificationPreferences({ preferences: { appointmentEmails: false } }, await as(guardian));
    expect(off.preferences?.appointmentEmails).toBe(false);
    expect((await client.getMyNotificationPreferences({}, await as(guardian))).preferences?.appointmentEmails).toBe(false);
    // The patient's stay as they were.
    expect((await client.getMyNotificationPreferences({}, await as(patient))).preferences?.appointmentEmails).toBe(true);
    // Retried, the same choice is the same answer.
    expect(
      (await client.updateMyNotificationPreferences({ preferences: { appointmentEmails: false } }, await as(guardian))).preferences
        ?.appointmentEmails,
    ).toBe(false);
    await client.updateMyNotificationPreferences({ preferences: { appointmentEmails: true } }, await as(guardian));

    const missing = await failure(client.updateMyNotificationPreferences({}, await as(patient)));
    expect(violationsOf(missing)).toEqual([{ field: 'preferences', message: 'is required' }]);
    // Staff get no appointment emails, so have no such choice; nobody without a token has any.
    expect((await failure(client.getMyNotificationPreferences({}, await as(world.staff)))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(client.getMyNotificationPreferences({}))).code).toBe(status.UNAUTHENTICATED);
  });
});

describe("the clinic's reminder lead time", () => {
  it('is 24 hours until staff change it, from 1 to 168 hours, and the next reminder follows it', async () => {
    const { client } = notifications;
    expect((await client.getClinicNotificationSettings({}, await as(world.staff))).settings?.reminderLeadHours).toBe(24);
    for (const hours of [0, 169]) {
      const error = await failure(
        client.updateClinicNotificationSettings({ settings: { reminderLeadHours: hours } }, await as(world.staff)),
      );
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(violationsOf(error)).toEqual([{ field: 'settings.reminder_lead_hours', message: 'must be from 1 to 168 hours' }]);
    }
    expect((await client.getClinicNotificationSettings({}, await as(world.staff))).settings?.reminderLeadHours).toBe(24);
    // Patients and guardians neither read nor change it.
    expect((await failure(client.updateClinicNotificationSettings({ settings: { reminderLeadHours: 2 } }, await as(patient)))).code).toBe(
      status.PERMISSION_DENIED,
    );
    expect((await failure(client.getClinicNotificationSettings({}, await as(guardian)))).code).toBe(status.PERMISSION_DENIED);

    const saved = await client.updateClinicNotificationSettings({ settings: { reminderLeadHours: 48 } }, await as(world.staff));
    expect(saved.settings?.reminderLeadHours).toBe(48);

    // Booked three days ahead: with 48 hours' lead, the reminder comes a day after booking, not two.
    const startsAt = new Date(world.now().getTime() + 3 * DAY);
    await world.events.scheduled({ appointmentId: randomUUID(), patientId: patient.id, startsAt });
    await emailsTo(world, patient, 'is confirmed');
    world.advanceClock(DAY + HOUR);
    const [reminder] = await emailsTo(world, patient, /^Reminder: /);
    expect(reminder!.Subject).toBe(`Reminder: your appointment on ${subjectTime(startsAt)}`);
    await emailsTo(world, guardian, /^Reminder: /);
    expect(await countEmails(world, patient, /^Reminder: /)).toBe(1);
  });
});
