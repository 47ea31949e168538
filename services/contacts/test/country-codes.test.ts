// Country codes are current ISO 3166-1 codes. Contacts were once stored with the withdrawn "UK"
// (the web app offered it next to "GB" under the same name): the service rewrites such codes to
// their successor when it starts, raising the version so an edit of the old copy is refused, and
// a withdrawn code sent today is stored as its successor while a code of no country is refused.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { contactsService } from '@portico/contacts-service';
import { ContactPurpose, ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { loadConfig } from '@portico/kit/config';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import type { RunningService } from '@portico/kit/runtime';
import { createUser, deleteUser, failure, passwordGrant, violationsOf, serviceEnvironment, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dbName = `test_contacts_country_${randomUUID().slice(0, 8)}`;
const config = () => loadConfig(contactsService.config, { ...serviceEnvironment('contacts', dbName) });
let service: RunningService | undefined;
let patient: TestUser;

beforeAll(async () => {
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
});

afterAll(async () => {
  await service?.connection.dropDatabase().catch(() => {});
  await service?.lifecycle.shutdown('test over');
  if (patient) await deleteUser(patient);
});

async function started() {
  service = await contactsService.start(config());
  return { service, client: connectService(ContactsService, `127.0.0.1:${service.grpc.port}`) };
}

const address = (countryCode: string) => ({
  line1: '1 High Street',
  line2: '',
  city: 'Bristol',
  region: '',
  postalCode: 'BS1 4DJ',
  countryCode,
});

describe('country codes of contacts', () => {
  it('a contact stored with "UK" reads as GB after the next start, and its old version can no longer be saved', async () => {
    const first = await started();
    const metadata = forwardedMetadata(await passwordGrant(patient));
    const { contact } = await first.client.addContact(
      { patientId: patient.id, details: { name: 'Ada Stored', purposes: [ContactPurpose.OTHER], address: address('GB') } },
      { metadata },
    );
    // What an earlier release stored: the withdrawn code, written past today's checks.
    await first.service.connection
      .collection('contacts')
      .updateOne({ _id: contact!.contactId as never }, { $set: { 'details.address.countryCode': 'UK' } });
    first.client.close();
    await first.service.lifecycle.shutdown('restart');

    const second = await started();
    const [read] = (await second.client.listContacts({ patientId: patient.id }, { metadata })).contacts;
    expect(read?.details?.address?.countryCode).toBe('GB');
    expect(read?.version).toBe(contact!.version + 1n);
    const stale = await failure(
      second.client.updateContact(
        {
          patientId: patient.id,
          contactId: contact!.contactId,
          expectedVersion: contact!.version,
          details: { ...read!.details!, name: 'Ada Edited' },
        },
        { metadata },
      ),
    );
    expect(stale.code).toBe(status.FAILED_PRECONDITION);
    second.client.close();
  });

  it('a withdrawn code sent today is stored as its successor; a code of no country is refused and nothing is stored', async () => {
    const { client } = service ? { client: connectService(ContactsService, `127.0.0.1:${service.grpc.port}`) } : await started();
    const metadata = forwardedMetadata(await passwordGrant(patient));
    const { contact } = await client.addContact(
      { patientId: patient.id, details: { name: 'Yuri Old Code', purposes: [ContactPurpose.OTHER], address: address('su') } },
      { metadata },
    );
    expect(contact?.details?.address?.countryCode).toBe('RU');
    const refused = await failure(
      client.addContact(
        { patientId: patient.id, details: { name: 'Zed Nowhere', purposes: [ContactPurpose.OTHER], address: address('ZZ') } },
        { metadata },
      ),
    );
    expect(refused.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(refused)).toEqual([{ field: 'address.countryCode', message: 'must be an ISO 3166-1 alpha-2 country code' }]);
    expect(await service!.connection.collection('contacts').countDocuments({ 'details.name': 'Zed Nowhere' })).toBe(0);
    client.close();
  });
});
