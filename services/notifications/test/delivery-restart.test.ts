// An email the service had read from the topic but could not yet send (its SMTP server was
// unreachable) is sent after the service is stopped and started again, exactly once, to each of
// the patient and the guardian: nothing is lost with the process, and nothing doubled.
import { randomUUID } from 'node:crypto';
import { waitUntil } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chicagoTime, countEmails, emailsTo, settled, startWorld, type World } from './harness.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.stop();
});

describe('an email not yet sent when the service stops', () => {
  it('is sent once after the restart', async () => {
    const patient = await world.person(['patient']);
    const guardian = await world.person(['guardian'], [patient.id]);
    // Nothing listens on port 9: every attempt to send fails.
    const unreachable = await world.start({ SMTP_URL: 'smtp://127.0.0.1:9' });
    const groupId = (unreachable.service as unknown as { groupId: string }).groupId;
    await world.events.scheduled({ appointmentId: randomUUID(), patientId: patient.id, startsAt: chicagoTime(world.now(), 8, 11) });

    // Read, recorded, tried and not sent: both emails wait in the database.
    const emails = world.db.collection('outgoing_emails');
    await waitUntil(
      async () => (await emails.countDocuments({ recipientId: { $in: [patient.id, guardian.id] }, state: 'pending' })) === 2,
      60_000,
      'two pending emails',
    );
    await waitUntil(
      async () => (await emails.countDocuments({ recipientId: { $in: [patient.id, guardian.id] }, attempts: { $gte: 1 } })) >= 1,
      60_000,
      'a failed attempt',
    );
    await unreachable.stop();
    expect(await countEmails(world, patient, 'is confirmed')).toBe(0);

    const restarted = await world.start();
    await emailsTo(world, patient, 'is confirmed');
    await emailsTo(world, guardian, 'is confirmed');
    await settled(world, groupId);
    expect(await emails.countDocuments({ recipientId: { $in: [patient.id, guardian.id] }, state: 'sent' })).toBe(2);
    expect(await countEmails(world, patient, 'is confirmed')).toBe(1);
    expect(await countEmails(world, guardian, 'is confirmed')).toBe(1);

    // And once more: a second restart sends nothing again.
    await restarted.stop();
    const again = await world.start();
    const later = await world.person(['patient']);
    await world.events.scheduled({ appointmentId: randomUUID(), patientId: later.id, startsAt: chicagoTime(world.now(), 9, 11) });
    await emailsTo(world, later, 'is confirmed');
    await settled(world, groupId);
    expect(await countEmails(world, patient, 'is confirmed')).toBe(1);
    expect(await countEmails(world, guardian, 'is confirmed')).toBe(1);
    await again.stop();
    // Three starts of the service and a consumer group rejoining each time: slow on a busy machine.
  }, 180_000);
});
