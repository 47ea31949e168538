// Reminders, on the notifications service's clock, which the test moves forward: one the clinic's
// lead time (24 hours) before each appointment booked ahead of it; none for an appointment booked
// inside the lead time, none for a cancelled one, none for the old time of a moved one (the new
// time gets its own); and still exactly one of each after the service restarts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countEmails,
  DAY,
  emailsTo,
  HOUR,
  settled,
  startWorld,
  subjectTime,
  type Appointment,
  type Notifications,
  type Person,
  type World,
} from './harness.js';

let world: World;
let notifications: Notifications;
let groupId: string;

beforeAll(async () => {
  world = await startWorld();
  notifications = await world.start();
  groupId = (notifications.service as unknown as { groupId: string }).groupId;
});

afterAll(async () => {
  await world?.stop();
});

const REMINDER = /^Reminder: /;

describe('reminders', () => {
  it('go out the lead time before, only for appointments still on at that time, once, across a restart', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => world.person(['patient'])));
    const [ahead, soon, cancelled, moved, tomorrow, afterRestart] = people as [Person, Person, Person, Person, Person, Person];
    const t0 = world.now();
    const at = (patient: Person, startsAt: Date): Appointment => ({ appointmentId: randomUUID(), patientId: patient.id, startsAt });

    const aheadVisit = at(ahead, new Date(t0.getTime() + 3 * DAY));
    // Booked 10 hours ahead: inside the 24-hour lead time, its confirmation is all it gets.
    const soonVisit = at(soon, new Date(t0.getTime() + 10 * HOUR));
    const cancelledVisit = at(cancelled, new Date(t0.getTime() + 3 * DAY));
    const movedFrom = at(moved, new Date(t0.getTime() + 3 * DAY));
    const movedTo = { ...movedFrom, startsAt: new Date(t0.getTime() + 4 * DAY), version: 2 };
    const tomorrowVisit = at(tomorrow, new Date(t0.getTime() + 30 * HOUR));

    for (const visit of [aheadVisit, soonVisit, cancelledVisit, movedFrom, tomorrowVisit]) await world.events.scheduled(visit);
    await world.events.cancelled({ ...cancelledVisit, version: 2 });
    await world.events.rescheduled(movedTo, movedFrom.startsAt);
    await emailsTo(world, soon, 'is confirmed');
    await settled(world, groupId);

    // 7 hours on: tomorrow's visit (due 6 hours after booking) is reminded; the one booked 10
    // hours ahead, whose reminder would have been due before it was booked, is not.
    world.advanceClock(7 * HOUR);
    const [reminder] = await emailsTo(world, tomorrow, REMINDER);
    expect(reminder!.Subject).toBe(`Reminder: your appointment on ${subjectTime(tomorrowVisit.startsAt)}`);
    expect(await countEmails(world, soon, REMINDER)).toBe(0);

    // Two days and an hour on: the visits three days out are reminded, not the cancelled one, nor
    // the moved one at its old time.
    world.advanceClock(2 * DAY + HOUR);
    await emailsTo(world, ahead, `Reminder: your appointment on ${subjectTime(aheadVisit.startsAt)}`);
    await settled(world, groupId);
    expect(await countEmails(world, cancelled, REMINDER)).toBe(0);
    expect(await countEmails(world, moved, REMINDER)).toBe(0);

    // The service restarts (same database, same consumer group); then a day on, the moved visit
    // is reminded of its new time.
    await notifications.stop();
    notifications = await world.start();
    world.advanceClock(3 * DAY + HOUR);
    await emailsTo(world, moved, `Reminder: your appointment on ${subjectTime(movedTo.startsAt)}`);

    // Something new after the restart is told as usual; by then anything the restart could have
    // sent again would have come first.
    const later = at(afterRestart, new Date(world.now().getTime() + 5 * DAY));
    await world.events.scheduled(later);
    await emailsTo(world, afterRestart, 'is confirmed');
    await settled(world, groupId);
    for (const person of [ahead, tomorrow, moved]) expect(await countEmails(world, person, REMINDER), person.username).toBe(1);
    for (const person of [soon, cancelled]) expect(await countEmails(world, person, REMINDER)).toBe(0);
    for (const person of [ahead, soon, cancelled, moved, tomorrow]) expect(await countEmails(world, person, 'is confirmed')).toBe(1);
    // A long story on a busy machine: two restarts, three moves of the clock.
  }, 180_000);
});
