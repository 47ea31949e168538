// A new patient directory is filled from the auth service's listing of every clinic's patients,
// asked with the service's own client-credentials token, before the service follows the auth
// topic (which keeps events for a while only): against the real auth service, Keycloak and the
// MongoDB-compatible server. A patient invited long ago, whose events the topic no longer holds,
// is then known without a look-up.
import { randomUUID } from 'node:crypto';
import { tokenEndpointOf } from '@portico/kit/identity';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import { authDirectoryListing, PatientDirectoryStore, seedPatientDirectory } from '@portico/kit/patients';
import type { RunningService } from '@portico/kit/runtime';
import { createUser, deleteUser, env, startTestService, waitUntil, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
const run = randomUUID().slice(0, 8);
const connections: Connection[] = [];
const users: TestUser[] = [];
let auth: RunningService;
let authAddress: string;
let patient: TestUser;
let guardian: TestUser;
const credentials = () => ({
  tokenUrl: tokenEndpointOf(env.issuer),
  clientId: 'portico-contacts',
  clientSecret: 'portico-contacts-dev-secret',
});

async function database(name: string) {
  const connection = await connectMongo({ url: env.mongoUrl, dbName: `test_${name}_${run}`, logger: createLogger('test', 'silent') });
  connections.push(connection);
  return connection;
}

beforeAll(async () => {
  auth = await startTestService('auth', `test_listing_auth_${run}`, { INVITATION_SWEEP_INTERVAL_MS: '3600000' });
  authAddress = `127.0.0.1:${auth.grpc.port}`;
  patient = await createUser({ roles: ['patient'], clinicId });
  guardian = await createUser({ roles: ['guardian'], clinicId, patients: [patient.id] });
  users.push(patient, guardian);
});

afterAll(async () => {
  await auth?.lifecycle.shutdown('test over');
  await Promise.all(users.map(deleteUser));
  for (const connection of connections) {
    await connection.dropDatabase().catch(() => {});
    await connection.close();
  }
});

describe('filling a new patient directory from the auth service', () => {
  it('adds every listed patient once, keeps what the directory already knew, and does not list again', async () => {
    const connection = await database('listing');
    const store = new PatientDirectoryStore(connection);
    // What the feed wrote before the listing is at least as new: the listing must not undo it.
    const known = { patientId: randomUUID(), clinicId: 'clinic-known', status: 'inactive' as const, guardianIds: ['g-1'] };
    await store.save(known);
    const { listing, close } = authDirectoryListing(authAddress, credentials());
    try {
      const listed = await seedPatientDirectory({ connection, store, listing });
      expect(listed).toBeGreaterThanOrEqual(1);
      expect(await store.find(patient.id)).toEqual({ patientId: patient.id, clinicId, status: 'active', guardianIds: [guardian.id] });
      expect(await store.find(known.patientId)).toEqual(known);

      // Finished once: a second start does not list again, even with a patient added since.
      const later = await createUser({ roles: ['patient'], clinicId });
      users.push(later);
      expect(await seedPatientDirectory({ connection, store, listing })).toBeUndefined();
      expect(await store.find(later.id)).toBeUndefined();
    } finally {
      close();
    }
  });

  it('is done again at the next start when it was refused, and refused without a valid secret', async () => {
    const connection = await database('refused');
    const store = new PatientDirectoryStore(connection);
    const { listing, close } = authDirectoryListing(authAddress, { ...credentials(), clientSecret: 'not-the-secret' });
    try {
      await expect(seedPatientDirectory({ connection, store, listing })).rejects.toThrow(/HTTP 401/);
      expect(await store.find(patient.id)).toBeUndefined();
    } finally {
      close();
    }
    const good = authDirectoryListing(authAddress, credentials());
    try {
      expect(await seedPatientDirectory({ connection, store, listing: good.listing })).toBeGreaterThanOrEqual(1);
      expect((await store.find(patient.id))?.clinicId).toBe(clinicId);
    } finally {
      good.close();
    }
  });

  // The listing reads every user of the shared realm, one Keycloak call or two each: while the
  // whole suite runs (hundreds of test users, Keycloak busy) that takes well over 30 s.
  it(
    'happens when a service with its client secret starts on a new database, with the feed starting at the topic’s end',
    { timeout: 240_000 },
    async () => {
      const contactsDb = await database('listing_contacts');
      const contacts = await startTestService('contacts', contactsDb.name, {
        AUTH_GRPC_URL: authAddress,
        SERVICE_CLIENT_SECRET: 'portico-contacts-dev-secret',
        PATIENT_DIRECTORY_START: 'latest',
      });
      try {
        const store = new PatientDirectoryStore(contactsDb);
        const entry = await waitUntil(() => store.find(patient.id), 180_000, 'the listed patient in the contacts service’s directory', 500);
        expect(entry).toEqual({ patientId: patient.id, clinicId, status: 'active', guardianIds: [guardian.id] });
      } finally {
        await contacts.lifecycle.shutdown('test over');
      }
    },
  );
});
