// The clinic's client handbook as a document of kind handbook: carried over from the auth service,
// which kept it before, the first time the clinic's handbook is asked for and never again; then
// shared anew by staff, read by anyone of the clinic and no one else.
import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { samplePdf, sampleJpeg } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, failure, incoming, readBack, startWorld, streamOf, violationsOf, type Clinic, type Person, type World } from './harness.js';

let world: World;
let riverside: Clinic;
let hillside: Clinic;
let patient: Person;
let stranger: Person;

beforeAll(async () => {
  world = await startWorld();
  [riverside, hillside] = await Promise.all([world.clinic(), world.clinic()]);
  [patient, stranger] = await Promise.all([world.person(['patient'], riverside), world.person(['patient'], hillside)]);
});

afterAll(async () => {
  await world?.stop();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const migrationOf = (clinicId: string) => world.db.collection('handbook_migrations').findOne({ _id: clinicId as never });

describe('the handbook the auth service kept', () => {
  it('is carried over once, the first time the clinic’s handbook is asked for', async () => {
    const kept = await samplePdf('Riverside client handbook', 300 * 1024);
    await world.auth.uploadHandbook(
      { content: kept, contentType: 'application/pdf', fileName: 'Riverside handbook.pdf' },
      await as(riverside.staff),
    );
    expect(await migrationOf(riverside.id)).toBeNull();

    const described = await world.documents.describeHandbook({}, await as(patient));
    expect(described.file).toMatchObject({
      fileName: 'Riverside handbook.pdf',
      contentType: 'application/pdf',
      sizeBytes: BigInt(kept.length),
      sha256: sha256(kept),
    });
    expect(await migrationOf(riverside.id)).toMatchObject({ outcome: 'carried_over' });
    const read = await readBack(world.documents.getHandbook({}, await as(patient)));
    expect(read.bytes.equals(kept)).toBe(true);

    // The auth service's copy changing later (nothing writes it any more) is not carried over again.
    await world.auth.uploadHandbook(
      { content: await samplePdf('Old path'), contentType: 'application/pdf', fileName: 'Other.pdf' },
      await as(riverside.staff),
    );
    const again = await world.documents.describeHandbook({}, await as(riverside.staff));
    expect(again.file?.sha256).toBe(sha256(kept));
    expect(await world.db.collection('clinical_documents').countDocuments({ clinicId: riverside.id, kind: 'handbook' })).toBe(1);
  });

  it('is found missing once for a clinic that had none, and then only staff here give it one', async () => {
    expect((await world.documents.describeHandbook({}, await as(stranger))).file).toBeUndefined();
    expect(await migrationOf(hillside.id)).toMatchObject({ outcome: 'none_there' });
    expect((await failure(readBack(world.documents.getHandbook({}, await as(stranger))))).code).toBe(status.NOT_FOUND);
  });
});

describe('staff sharing a new handbook', () => {
  const share = async (by: Person, bytes: Buffer, name = 'Handbook 2027.pdf') =>
    world.documents.shareHandbook(streamOf(incoming(name, bytes), bytes), await as(by));

  it('replaces the one before for everyone of the clinic, and only theirs', async () => {
    const next = await samplePdf('Handbook 2027');
    const shared = await share(hillside.staff, next);
    expect(shared.file).toMatchObject({ fileName: 'Handbook 2027.pdf', sha256: sha256(next) });
    const read = await readBack(world.documents.getHandbook({}, await as(stranger)));
    expect(read.bytes.equals(next)).toBe(true);
    // Riverside's is untouched.
    expect((await world.documents.describeHandbook({}, await as(patient))).file?.fileName).toBe('Riverside handbook.pdf');

    const newer = await samplePdf('Handbook 2028');
    await share(hillside.staff, newer, 'Handbook 2028.pdf');
    expect((await readBack(world.documents.getHandbook({}, await as(stranger)))).bytes.equals(newer)).toBe(true);
    // The replaced file is gone from the bucket: one handbook object per clinic.
    expect((await world.objects.keys(`clinics/${hillside.id}/documents/`)).length).toBe(1);
  });

  it('is refused to a patient, and anything but a PDF is refused', async () => {
    expect((await failure(share(patient, await samplePdf()))).code).toBe(status.PERMISSION_DENIED);
    const photo = await failure(share(riverside.staff, sampleJpeg()));
    expect(violationsOf(photo)).toEqual([{ field: 'file', message: 'is not a PDF' }]);
  });
});

describe('staff removing the handbook', () => {
  it('removes record and file for the clinic only, is refused to a patient, and never brings back the old one', async () => {
    // Riverside's was carried over from the auth service, which still holds its old copy.
    expect((await failure(world.documents.removeHandbook({}, await as(patient)))).code).toBe(status.PERMISSION_DENIED);
    expect((await world.documents.describeHandbook({}, await as(patient))).file).toBeDefined();

    expect((await world.documents.removeHandbook({}, await as(riverside.staff))).removed).toBe(true);
    expect((await world.documents.describeHandbook({}, await as(patient))).file).toBeUndefined();
    expect((await failure(readBack(world.documents.getHandbook({}, await as(patient))))).code).toBe(status.NOT_FOUND);
    expect(await world.db.collection('clinical_documents').countDocuments({ clinicId: riverside.id, kind: 'handbook' })).toBe(0);
    expect(await world.objects.keys(`clinics/${riverside.id}/documents/`)).toEqual([]);
    // A retry changes nothing; Hillside's handbook is untouched.
    expect((await world.documents.removeHandbook({}, await as(riverside.staff))).removed).toBe(false);
    expect((await world.documents.describeHandbook({}, await as(stranger))).file?.fileName).toBe('Handbook 2028.pdf');
  });
});
