// The sweep of objects no metadata names, against the real servers (FerretDB, SeaweedFS): a crash
// between an object and its metadata document leaves an object behind; once it is older than the
// grace period the sweep removes it, while an object still within the grace period (an upload in
// flight) and every object a document names — an upload, a clinical document, a resource, the
// handbook, a signed consent — stay. The service runs on a bucket of this test's own, since the
// sweep treats every object its database does not name as an orphan.
import { randomUUID } from 'node:crypto';
import { ConsentsService } from '@portico/contracts/gen/portico/documents/v1/consents_pb';
import { DocumentKind, ResourceAudience } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { connectService } from '@portico/kit/grpc';
import { ESIGN_DISCLOSURE } from '@portico/kit/signatures';
import { samplePdf, sampleJpeg } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, incoming, startWorld, streamOf, type Clinic, type Person, type World } from './harness.js';

const GRACE_MS = 3_000;
let world: World;
let riverside: Clinic;
let patient: Person;

beforeAll(async () => {
  world = await startWorld(
    // The test runs the rounds itself (interval 0: no periodic job).
    { S3_BUCKET: 'portico-documents-sweep-test', OBJECT_SWEEP_GRACE_MS: String(GRACE_MS), OBJECT_SWEEP_INTERVAL_MS: '0' },
    { captureLogs: true },
  );
  riverside = await world.clinic();
  patient = await world.person(['patient'], riverside);
});

afterAll(async () => {
  await world?.stop();
});

/** The key of every object the service's documents name, one of each kind it stores. */
async function storeOneOfEachKind(): Promise<string[]> {
  const pdf = await samplePdf('Kept');
  const jpeg = await sampleJpeg();
  const upload = (
    await world.documents.uploadFile(streamOf({ patientId: patient.id, file: incoming('scan.jpg', jpeg) }, jpeg), await as(patient))
  ).upload!;
  const document = (
    await world.documents.shareDocument(
      streamOf(
        {
          patientId: patient.id,
          kind: DocumentKind.TREATMENT_PLAN,
          title: 'Treatment plan',
          documentDate: '2026-11-20',
          author: 'Dr Alex Morgan',
          file: incoming('plan.pdf', pdf),
        },
        pdf,
      ),
      await as(riverside.staff),
    )
  ).document!;
  const resource = (
    await world.documents.shareResource(
      streamOf(
        { audience: ResourceAudience.CLINIC, patientId: '', title: 'Leaflet', description: '', file: incoming('leaflet.pdf', pdf) },
        pdf,
      ),
      await as(riverside.staff),
    )
  ).resource!;
  await world.documents.shareHandbook(streamOf(incoming('handbook.pdf', pdf), pdf), await as(riverside.staff));
  const consents = connectService(ConsentsService, world.address, { defaultTimeoutMs: 60_000 });
  try {
    const { consent } = await consents.assignConsent(
      { patientId: patient.id, templateId: 'consent-to-treatment' },
      await as(riverside.staff),
    );
    await consents.acceptDisclosure({ version: ESIGN_DISCLOSURE.version, userAgent: 'orphan sweep test' }, await as(patient));
    await consents.signConsent(
      { patientId: patient.id, consentId: consent!.consentId, typedName: 'Pat Example', userAgent: 'orphan sweep test' },
      await as(patient),
    );
    const signed = await world.db.collection('consents').findOne({ _id: consent!.consentId as never });
    const keyOf = async (collection: string, id: string) =>
      ((await world.db.collection(collection).findOne({ _id: id as never })) as { file: { objectKey: string } } | null)!.file.objectKey;
    const handbook = await world.db.collection('clinical_documents').findOne({ _id: `handbook:${riverside.id}` as never });
    return [
      await keyOf('uploads', upload.uploadId),
      await keyOf('clinical_documents', document.documentId),
      await keyOf('resources', resource.resourceId),
      (handbook as { file: { objectKey: string } } | null)!.file.objectKey,
      (signed as { signedPdf: { objectKey: string } } | null)!.signedPdf.objectKey,
    ];
  } finally {
    consents.close();
  }
}

/** An object as a crash after the PUT leaves it: in the bucket, named by no document. */
const crashedUpload = async () => {
  const key = `clinics/${riverside.id}/patients/${patient.id}/uploads/${randomUUID()}`;
  await world.objects.put(key, await samplePdf('Lost'), 'application/pdf');
  return key;
};

describe('the orphan sweep', () => {
  it('removes an object no metadata names once it is older than the grace period, and keeps the rest', async () => {
    const named = await storeOneOfEachKind();
    expect(new Set(named).size).toBe(5);
    const old = await crashedUpload();
    // The store stamps objects to the second: wait past the grace period with a second to spare.
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 1_500));
    const fresh = await crashedUpload();

    const removed = await world.orphans.sweepOnce();
    const left = new Set(await world.objects.keys(`clinics/${riverside.id}/`));
    expect(left.has(old)).toBe(false);
    expect(left.has(fresh)).toBe(true);
    for (const key of named) expect(left.has(key)).toBe(true);
    // Only this test writes its bucket: what an earlier run left is swept too, at least ours.
    expect(removed).toBeGreaterThanOrEqual(1);

    // The count is logged, and nothing that names a patient or a clinic.
    const line = world.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).includes('no metadata names'));
    expect(line).toMatchObject({ removed, bucket: 'portico-documents-sweep-test' });
    const raw = world.logs.join('\n');
    expect(raw).not.toContain(patient.id);
    expect(raw).not.toContain(riverside.id);

    // A second round finds nothing more of ours: the fresh orphan is still within its grace period.
    await world.orphans.sweepOnce();
    expect(await world.objects.keys(`clinics/${riverside.id}/`)).toEqual(expect.arrayContaining([fresh, ...named]));
  });
});
