// The patient directory a service keeps, against the real MongoDB-compatible server: a patient
// first seen by several requests at once (a staff record page asks billing for its summary,
// invoices, payments, estimates and plans together) is written by each of them; none may fail.
import { randomUUID } from 'node:crypto';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import { PatientDirectoryStore } from '@portico/kit/patients';
import { env } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: Connection;

beforeAll(async () => {
  db = await connectMongo({
    url: env.mongoUrl,
    dbName: `test_directory_${randomUUID().slice(0, 8)}`,
    logger: createLogger('test', 'silent'),
  });
});

afterAll(async () => {
  await db?.dropDatabase();
  await db?.close();
});

describe('the patient directory', () => {
  it('keeps one entry when many requests record the same new patient at once, and none of them fails', async () => {
    const store = new PatientDirectoryStore(db);
    const record = { patientId: randomUUID(), clinicId: 'clinic-a', status: 'active' as const, guardianIds: [] };
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => store.save(record)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await store.find(record.patientId)).toEqual(record);
  });
});
