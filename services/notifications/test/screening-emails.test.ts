// A patient's screening flagged for the clinic's attention (ScreeningRiskFlagged, from real
// documents events on Kafka) emails the clinic's designated address once, read back from Mailpit:
// it links to the patient's record for staff and holds no answers, score or name; a redelivered
// event sends nothing twice; a clinic without an address is emailed nothing.
import { randomUUID } from 'node:crypto';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ScreeningRiskFlaggedSchema } from '@portico/contracts/gen/portico/events/documents/v1/document_events_pb';
import { groupCaughtUp, testKafka, waitUntil } from '@portico/testing';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, CHICAGO, countEmails, emailsTo, publishDocumentEvent, startWorld, type Person, type World } from './harness.js';

const DOCUMENTS_TOPIC = 'portico.documents.v1';
const SUBJECT = 'A patient’s screening needs attention';

let world: World;
let groupId: string;
let producer: Producer;
let patient: Person;
/** The clinic's designated address, as an addressee Mailpit is searched for. */
let clinicInbox: Person;

const setClinicEmail = async (email: string) =>
  world.auth.updateOrganisation(
    {
      profile: {
        name: world.clinicName,
        phone: '+13125550100',
        email,
        portalUrl: 'https://portal.riverside.example/',
        timeZone: CHICAGO,
      },
    },
    await as(world.staff),
  );

beforeAll(async () => {
  world = await startWorld();
  patient = await world.person(['patient']);
  clinicInbox = { ...patient, email: `care-team-${randomUUID().slice(0, 8)}@riverside.example` };
  await setClinicEmail(clinicInbox.email);
  const notifications = await world.start();
  groupId = `${(notifications.service as unknown as { groupId: string }).groupId}-documents`;
  producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await world?.stop();
});

/** Publishes a flag as the documents service's outbox relay would; returns a way to deliver it again. */
const flag = (screeningId = randomUUID()) =>
  publishDocumentEvent(
    producer,
    ScreeningRiskFlaggedSchema,
    { screeningId, patientId: patient.id, clinicId: world.clinicId, occurredAt: timestampFromDate(new Date()) },
    patient.id,
  );

const noPending = () =>
  waitUntil(async () => (await world.db.collection('notices').countDocuments({ state: 'pending' })) === 0, 60_000, 'no pending notice');

describe('a screening that needs attention', () => {
  it('emails the clinic’s designated address once, with a link to the patient’s record and nothing of the screening', async () => {
    const again = await flag();
    const [email] = await emailsTo(world, clinicInbox, SUBJECT);
    expect(email!.From.Name).toBe(world.clinicName);
    expect(email!.Text).toContain(`A screening a patient of ${world.clinicName} completed`);
    expect(email!.Text).toContain(`https://portal.riverside.example/staff/patients/${patient.id}`);
    // Nothing of the screening or the patient: no instrument, band, item, name or email address.
    const whole = `${email!.Subject}\n${email!.Text}\n${email!.HTML}`;
    expect(whole).not.toMatch(/PHQ|GAD|minimal|mild|moderate|severe|item 9|better off dead|\bTest\b/i);
    expect(whole).not.toContain(patient.username);
    // Not the patient: their inbox gets nothing of it.
    expect(await countEmails(world, patient, SUBJECT)).toBe(0);

    // Delivered again (a consumer restart, a rebalance): the clinic is not emailed twice.
    await again();
    await groupCaughtUp(groupId, [DOCUMENTS_TOPIC], 60_000);
    await noPending();
    expect(await countEmails(world, clinicInbox, SUBJECT)).toBe(1);
  });

  it('emails nobody when the clinic has no designated address, and says why', async () => {
    await setClinicEmail('');
    try {
      const screeningId = randomUUID();
      await flag(screeningId);
      await waitUntil(
        async () => world.db.collection('outgoing_emails').findOne({ reason: 'the clinic has no email address' }),
        30_000,
        'the email skipped',
      );
      expect(await countEmails(world, clinicInbox, SUBJECT)).toBe(1);
    } finally {
      await setClinicEmail(clinicInbox.email);
    }
  });
});
