// The Upload tool against the real servers: a patient or guardian sends a file, staff of the
// clinic list it, download the same bytes and file it; every bad file is refused with a clear
// message and leaves nothing in the database or the bucket.
import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { UploadStatus } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { samplePdf, sampleDocx, sampleExecutable, sampleHtml, sampleJpeg, sampleZip } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  failure,
  incoming,
  readBack,
  startWorld,
  storedFor,
  streamOf,
  violationsOf,
  type Clinic,
  type Person,
  type World,
} from './harness.js';

let world: World;
let riverside: Clinic;
let hillside: Clinic;
let patient: Person;
let sibling: Person;
let guardian: Person;
let stranger: Person;

beforeAll(async () => {
  // A small limit keeps the "too large" file small on a shared machine; 25 MB is the default.
  world = await startWorld({ UPLOAD_LIMIT_MB: '2' });
  [riverside, hillside] = await Promise.all([world.clinic(), world.clinic()]);
  [patient, sibling, stranger] = await Promise.all([
    world.person(['patient'], riverside),
    world.person(['patient'], riverside),
    world.person(['patient'], hillside),
  ]);
  guardian = await world.person(['guardian'], riverside, [patient.id]);
});

afterAll(async () => {
  await world?.stop();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const upload = async (
  by: Person,
  patientId: string,
  fileName: string,
  bytes: Buffer,
  options: Parameters<typeof streamOf>[2] & { size?: number } = {},
) =>
  (await world.documents.uploadFile(streamOf({ patientId, file: incoming(fileName, bytes, options.size) }, bytes, options), await as(by)))
    .upload!;

const refusal = async (
  by: Person,
  patientId: string,
  fileName: string,
  bytes: Buffer,
  options: Parameters<typeof streamOf>[2] & { size?: number } = {},
) => failure(upload(by, patientId, fileName, bytes, options));

describe('a patient uploading a file', () => {
  it('is listed as received, and staff of the clinic download exactly the same bytes and file it', async () => {
    const pdf = await samplePdf('Insurance card', 300 * 1024);
    const received = await upload(patient, patient.id, 'insurance card.pdf', pdf);
    expect(received).toMatchObject({
      patientId: patient.id,
      status: UploadStatus.RECEIVED,
      file: { fileName: 'insurance card.pdf', contentType: 'application/pdf', sizeBytes: BigInt(pdf.length), sha256: sha256(pdf) },
    });
    const mine = await world.documents.listUploads({ patientId: patient.id }, await as(patient));
    expect(mine.uploads.map((u) => u.uploadId)).toContain(received.uploadId);

    const clinicNew = await world.documents.listClinicUploads({ status: UploadStatus.RECEIVED }, await as(riverside.staff));
    expect(clinicNew.uploads.map((u) => u.uploadId)).toContain(received.uploadId);
    const elsewhere = await world.documents.listClinicUploads({}, await as(hillside.staff));
    expect(elsewhere.uploads.map((u) => u.uploadId)).not.toContain(received.uploadId);

    const downloaded = await readBack(
      world.documents.downloadUpload({ patientId: patient.id, uploadId: received.uploadId }, await as(riverside.staff)),
    );
    expect(sha256(downloaded.bytes)).toBe(sha256(pdf));
    expect(downloaded.description).toMatchObject({ fileName: 'insurance card.pdf', contentType: 'application/pdf' });

    const filed = (await world.documents.fileUpload({ patientId: patient.id, uploadId: received.uploadId }, await as(riverside.staff)))
      .upload!;
    expect(filed.status).toBe(UploadStatus.FILED);
    expect(filed.filedAt).toBeDefined();
    const again = (await world.documents.fileUpload({ patientId: patient.id, uploadId: received.uploadId }, await as(riverside.staff)))
      .upload!;
    expect(again.filedAt).toEqual(filed.filedAt);
    const stillNew = await world.documents.listClinicUploads({ status: UploadStatus.RECEIVED }, await as(riverside.staff));
    expect(stillNew.uploads.map((u) => u.uploadId)).not.toContain(received.uploadId);
  });

  it('takes a photo and a Word document, named by what their bytes are', async () => {
    const photo = await upload(patient, patient.id, 'IMG_0042', sampleJpeg(200 * 1024));
    expect(photo.file).toMatchObject({ fileName: 'IMG_0042.jpg', contentType: 'image/jpeg' });
    // Bigger than the part of a file read to decide its type: the whole package is checked.
    const letter = await upload(patient, patient.id, 'letter.docx', sampleDocx(40_000));
    expect(letter.file?.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('keeps a PDF whose name holds a path and control characters under a clean name', async () => {
    const received = await upload(patient, patient.id, '../../secrets/\u0000re\u0007port\u202e.pdf', await samplePdf());
    expect(received.file?.fileName).toBe('report.pdf');
  });

  it('cannot act for the patient of another clinic, staff there neither', async () => {
    const before = await storedFor(world, hillside.id);
    expect((await refusal(patient, stranger.id, 'x.pdf', await samplePdf())).code).toBe(status.NOT_FOUND);
    expect((await refusal(riverside.staff, stranger.id, 'x.pdf', await samplePdf())).code).toBe(status.NOT_FOUND);
    expect((await failure(world.documents.listUploads({ patientId: stranger.id }, await as(riverside.staff)))).code).toBe(status.NOT_FOUND);
    expect(await storedFor(world, hillside.id)).toEqual(before);
  });
});

describe('bad files, each refused with a clear message and nothing stored', () => {
  let before: Awaited<ReturnType<typeof storedFor>>;
  beforeAll(async () => {
    before = await storedFor(world, riverside.id);
  });

  it.each([
    [
      'a file above the limit',
      'scan.pdf',
      async () => samplePdf('big', 3 * 1024 * 1024),
      'file.size_bytes',
      /larger than the limit of 2 MB/,
    ],
    ['an empty file', 'empty.pdf', async () => Buffer.alloc(0), 'file.size_bytes', /is empty/],
    ['a Windows executable renamed .pdf', 'invoice.pdf', async () => sampleExecutable(), 'file', /is not a PDF, JPEG image, PNG image/],
    ['a web page renamed .png', 'photo.png', async () => sampleHtml(), 'file', /could not be recognised/],
    ['a zip renamed .docx', 'letter.docx', async () => sampleZip(), 'file', /zip archive, not a Word document/],
  ])('%s', async (_what, name, make, field, message) => {
    const error = await refusal(patient, patient.id, name, await make());
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error)).toEqual([{ field, message: expect.stringMatching(message) }]);
    expect(await storedFor(world, riverside.id)).toEqual(before);
  });

  it('a big zip renamed .docx, found out only once its whole package was read, is removed again', async () => {
    const zip = Buffer.concat([sampleZip(), Buffer.alloc(0)]);
    // A zip whose first entry is a large file: its head settles nothing.
    const { zipSync } = await import('fflate');
    const big = Buffer.from(zipSync({ 'video.bin': new Uint8Array(200 * 1024).map((_, i) => (i * 7919) % 251) }, { level: 0 }));
    expect(zip.length).toBeLessThan(big.length);
    const error = await refusal(patient, patient.id, 'thesis.docx', big);
    expect(violationsOf(error)).toEqual([{ field: 'file', message: 'is a zip archive, not a Word document' }]);
    expect(await storedFor(world, riverside.id)).toEqual(before);
  });

  it('an upload cut off half-way (the sender went away) leaves nothing', async () => {
    const pdf = await samplePdf('Half', 1024 * 1024);
    const controller = new AbortController();
    const cut = world.documents.uploadFile(
      streamOf({ patientId: patient.id, file: incoming('half.pdf', pdf) }, pdf, {
        stopAfter: pdf.length / 2,
        beforeEnd: async () => {
          controller.abort();
          await new Promise(() => {});
        },
      }),
      await as(patient, controller.signal),
    );
    expect((await failure(cut)).code).toBe(status.CANCELLED);
    // The service notices the cancellation and aborts its write; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await storedFor(world, riverside.id)).toEqual(before);
  });

  it('a stream that ends before its announced size leaves nothing', async () => {
    const pdf = await samplePdf('Short', 512 * 1024);
    const error = await refusal(patient, patient.id, 'short.pdf', pdf, { stopAfter: 256 * 1024 });
    expect(violationsOf(error)).toEqual([{ field: 'file', message: expect.stringMatching(/cut off before its end/) }]);
    const longer = await refusal(patient, patient.id, 'long.pdf', pdf, { size: 100 * 1024 });
    expect(violationsOf(longer)).toEqual([{ field: 'file', message: 'has more bytes than its announced size' }]);
    expect(await storedFor(world, riverside.id)).toEqual(before);
  });
});

describe('a guardian', () => {
  it('uploads for their patient and sees those uploads, never another patient’s', async () => {
    const received = await upload(guardian, patient.id, 'school note.jpg', sampleJpeg());
    const listed = await world.documents.listUploads({ patientId: patient.id }, await as(guardian));
    expect(listed.uploads.map((u) => u.uploadId)).toContain(received.uploadId);
    await upload(sibling, sibling.id, 'mine.pdf', await samplePdf());
    expect((await failure(world.documents.listUploads({ patientId: sibling.id }, await as(guardian)))).code).toBe(status.NOT_FOUND);
    expect((await refusal(guardian, sibling.id, 'x.pdf', await samplePdf())).code).toBe(status.NOT_FOUND);
  });

  it('cannot file an upload: only staff do', async () => {
    const received = await upload(guardian, patient.id, 'form.pdf', await samplePdf());
    const error = await failure(world.documents.fileUpload({ patientId: patient.id, uploadId: received.uploadId }, await as(guardian)));
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });
});
