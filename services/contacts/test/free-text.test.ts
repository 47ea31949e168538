// Free text a patient types is refused when it carries control characters: a NUL byte in a
// contact's name used to be stored, and an escape sequence could reach a staff member's terminal
// or a CSV export. The refusal names the field and nothing is written.
import { randomUUID } from 'node:crypto';
import type { ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { contactsService } from '@portico/contacts-service';
import { ContactPurpose, ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { loadConfig } from '@portico/kit/config';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import type { RunningService } from '@portico/kit/runtime';
import { createUser, deleteUser, passwordGrant, serviceEnvironment, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dbName = `test_contacts_text_${randomUUID().slice(0, 8)}`;
let service: RunningService;
let client: ReturnType<typeof connectService<(typeof ContactsService)['method']>>;
let patient: TestUser;
let metadata: ReturnType<typeof forwardedMetadata>;

beforeAll(async () => {
  service = await contactsService.start(loadConfig(contactsService.config, { ...serviceEnvironment('contacts', dbName) }));
  client = connectService(ContactsService, `127.0.0.1:${service.grpc.port}`);
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  metadata = forwardedMetadata(await passwordGrant(patient));
});

afterAll(async () => {
  client?.close();
  await service?.connection.dropDatabase().catch(() => {});
  await service?.lifecycle.shutdown('test over');
  if (patient) await deleteUser(patient);
});

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('the call should have been refused');
    },
    (error: ServiceError) => ({
      code: error.code,
      violations: JSON.parse(String(error.metadata.get('x-violations')[0] ?? '[]')) as unknown,
    }),
  );

describe('free text in a contact', () => {
  it('refuses a NUL byte in the name, naming the field, and stores nothing', async () => {
    const answer = await refusal(
      client.addContact({ patientId: patient.id, details: { name: 'Maria\u0000Lopez', purposes: [ContactPurpose.OTHER] } }, { metadata }),
    );
    expect(answer).toEqual({
      code: status.INVALID_ARGUMENT,
      violations: [{ field: 'name', message: 'must not contain control characters' }],
    });
    expect((await client.listContacts({ patientId: patient.id }, { metadata })).contacts).toEqual([]);
    expect(await service.connection.collection('contacts').countDocuments({ patientId: patient.id })).toBe(0);
  });

  it('keeps the line breaks of notes', async () => {
    const { contact } = await client.addContact(
      {
        patientId: patient.id,
        details: { name: 'Maria Lopez', notes: 'Call after 6pm.\nWeekends only.', purposes: [ContactPurpose.OTHER] },
      },
      { metadata },
    );
    expect(contact?.details?.notes).toBe('Call after 6pm.\nWeekends only.');
  });
});
