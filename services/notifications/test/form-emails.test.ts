// The email that tells a patient and each guardian that the clinic assigned a form, produced from a
// real FormAssigned event on Kafka and read back from Mailpit: it links to Forms and Surveys and
// says nothing of the form; a redelivered event sends nothing twice; a survey the patient started
// themself emails nobody.
import { randomUUID } from 'node:crypto';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { FormAssignedSchema } from '@portico/contracts/gen/portico/events/documents/v1/form_events_pb';
import { groupCaughtUp, testKafka, waitUntil } from '@portico/testing';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailsTo, publishDocumentEvent, startWorld, type Person, type World } from './harness.js';

const DOCUMENTS_TOPIC = 'portico.documents.v1';

let world: World;
let groupId: string;
let producer: Producer;
let patient: Person;
let guardian: Person;

beforeAll(async () => {
  world = await startWorld();
  patient = await world.person(['patient']);
  guardian = await world.person(['guardian'], [patient.id]);
  const notifications = await world.start();
  groupId = `${(notifications.service as unknown as { groupId: string }).groupId}-documents`;
  producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await world?.stop();
});

const assigned = (formId: string, optional: boolean) =>
  publishDocumentEvent(
    producer,
    FormAssignedSchema,
    {
      formId,
      patientId: patient.id,
      clinicId: world.clinicId,
      definitionKey: 'intake',
      definitionVersion: 1,
      optional,
      occurredAt: timestampFromDate(new Date()),
    },
    patient.id,
  );

describe('a form assigned by staff', () => {
  it('emails the patient and their guardian once, linking to Forms and Surveys and naming nothing of the form', async () => {
    const subject = `A form to fill in for ${world.clinicName}`;
    const again = await assigned(randomUUID(), false);
    const [toPatient] = await emailsTo(world, patient, subject);
    expect(toPatient!.Text).toContain(`${world.clinicName} asks you to fill in a form.`);
    expect(toPatient!.Text).toContain('https://portal.riverside.example/documents/forms');
    expect(toPatient!.Text).not.toMatch(/intake/i);
    const [toGuardian] = await emailsTo(world, guardian, `${subject} about Test`);
    expect(toGuardian!.Text).toContain('fill in a form for Test.');

    // Delivered again: nobody gets a second email.
    await again();
    await groupCaughtUp(groupId, [DOCUMENTS_TOPIC], 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await emailsTo(world, patient, subject)).toHaveLength(1);
  });

  it('sends nothing for a survey the patient started themself', async () => {
    const formId = randomUUID();
    await assigned(formId, true);
    await groupCaughtUp(groupId, [DOCUMENTS_TOPIC], 60_000);
    await waitUntil(
      async () => (await world.db.collection('notices').countDocuments({ state: 'pending' })) === 0 || undefined,
      30_000,
      'no pending notice',
    );
    expect(await world.db.collection('notices').countDocuments({ appointmentId: formId })).toBe(0);
  });
});
