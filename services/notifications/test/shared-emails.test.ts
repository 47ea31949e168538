// The email that tells a patient and each guardian that the clinic shared something new in
// Documents, produced from real documents events on Kafka and read back from Mailpit: it links to
// Documents and says nothing of what was shared; a redelivered event sends nothing twice; a
// resource for every patient of the clinic emails nobody.
import { randomUUID } from 'node:crypto';
import type { DescMessage, MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DocumentKind, ResourceAudience } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { DocumentSharedSchema, ResourceSharedSchema } from '@portico/contracts/gen/portico/events/documents/v1/document_events_pb';
import { groupCaughtUp, testKafka, waitUntil } from '@portico/testing';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailsTo, publishDocumentEvent, startWorld, type Notifications, type Person, type World } from './harness.js';

const DOCUMENTS_TOPIC = 'portico.documents.v1';

let world: World;
let notifications: Notifications;
let groupId: string;
let producer: Producer;
let patient: Person;
let guardian: Person;

beforeAll(async () => {
  world = await startWorld();
  patient = await world.person(['patient']);
  guardian = await world.person(['guardian'], [patient.id]);
  notifications = await world.start();
  groupId = `${(notifications.service as unknown as { groupId: string }).groupId}-documents`;
  producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await world?.stop();
});

const publish = <S extends DescMessage>(schema: S, value: MessageInitShape<S>, key: string) =>
  publishDocumentEvent(producer, schema, value, key);

describe('news of something shared', () => {
  it('emails the patient and their guardian once, linking to Documents and naming nothing shared', async () => {
    const subject = `Something new from ${world.clinicName} in your patient portal`;
    const again = await publish(
      DocumentSharedSchema,
      {
        documentId: randomUUID(),
        patientId: patient.id,
        clinicId: world.clinicId,
        kind: DocumentKind.TREATMENT_PLAN,
        occurredAt: timestampFromDate(new Date()),
      },
      patient.id,
    );
    const [toPatient] = await emailsTo(world, patient, subject);
    expect(toPatient!.From.Name).toBe(world.clinicName);
    expect(toPatient!.Text).toContain(`${world.clinicName} shared something new with you.`);
    expect(toPatient!.Text).toContain('https://portal.riverside.example/documents');
    expect(toPatient!.Text).not.toMatch(/treatment|plan|\.pdf/i);
    const [toGuardian] = await emailsTo(world, guardian, `Something new from ${world.clinicName} for Test`);
    expect(toGuardian!.Text).toContain('shared something new with Test.');

    // Delivered again (a consumer restart, a rebalance): nobody gets a second email.
    await again();
    await groupCaughtUp(groupId, [DOCUMENTS_TOPIC], 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await emailsTo(world, patient, subject)).toHaveLength(1);
  });

  it('sends nothing for a resource shared with every patient of the clinic', async () => {
    const resourceId = randomUUID();
    await publish(
      ResourceSharedSchema,
      { resourceId, patientId: '', clinicId: world.clinicId, audience: ResourceAudience.CLINIC, occurredAt: timestampFromDate(new Date()) },
      world.clinicId,
    );
    await groupCaughtUp(groupId, [DOCUMENTS_TOPIC], 60_000);
    await waitUntil(
      async () => (await world.db.collection('notices').countDocuments({ state: 'pending' })) === 0 || undefined,
      30_000,
      'no pending notice',
    );
    expect(await world.db.collection('notices').countDocuments({ appointmentId: resourceId })).toBe(0);
  });
});
