// The email that asks a patient and each guardian to sign a consent, produced from a real
// ConsentAssigned event on Kafka and read back from Mailpit: it links to Consents and says nothing
// of the consent (no title, no text); a redelivered event sends nothing twice.
import { randomUUID } from 'node:crypto';
import type { DescMessage, MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ConsentAssignedSchema } from '@portico/contracts/gen/portico/events/documents/v1/consent_events_pb';
import { groupCaughtUp, testKafka } from '@portico/testing';
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

describe('a consent to sign', () => {
  it('emails the patient and their guardian once, linking to Consents and naming nothing of the consent', async () => {
    const subject = `${world.clinicName} asks you to sign a consent`;
    const consentId = randomUUID();
    const again = await publish(
      ConsentAssignedSchema,
      { consentId, patientId: patient.id, clinicId: world.clinicId, occurredAt: timestampFromDate(new Date()) },
      patient.id,
    );
    const [toPatient] = await emailsTo(world, patient, subject);
    expect(toPatient!.From.Name).toBe(world.clinicName);
    expect(toPatient!.Text).toContain(`${world.clinicName} asks you to read and sign a consent.`);
    expect(toPatient!.Text).toContain('https://portal.riverside.example/documents/consents');
    expect(toPatient!.Text).not.toContain(consentId);
    expect(toPatient!.Text).not.toMatch(/treatment|telehealth|release|financial/i);
    const [toGuardian] = await emailsTo(world, guardian, `${world.clinicName} asks you to sign a consent for Test`);
    expect(toGuardian!.Text).toContain('asks you to read and sign a consent for Test.');

    // Delivered again (a consumer restart, a rebalance): nobody gets a second email.
    await again();
    await groupCaughtUp(groupId, [DOCUMENTS_TOPIC], 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await emailsTo(world, patient, subject)).toHaveLength(1);
    expect(await emailsTo(world, guardian, `${world.clinicName} asks you to sign a consent for Test`)).toHaveLength(1);
    expect(await world.db.collection('notices').countDocuments({ appointmentId: consentId, kind: 'consent_assigned' })).toBe(1);
  });
});
