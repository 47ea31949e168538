// Staff share clinical documents and resources; the patient (or a guardian) sees them, new until
// first opened, and staff see when they were opened. Against the real servers, reading the
// events the service publishes.
import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { DocumentKind, ResourceAudience } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import {
  DocumentOpenedSchema,
  DocumentSharedSchema,
  ResourceSharedSchema,
} from '@portico/contracts/gen/portico/events/documents/v1/document_events_pb';
import { fromBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { recordTopics, samplePdf, sampleJpeg, type TopicRecord } from '@portico/testing';
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
let guardian: Person;
let otherPatient: Person;
let stranger: Person;
let topics: Awaited<ReturnType<typeof recordTopics>>;

beforeAll(async () => {
  topics = await recordTopics(['portico.documents.v1']);
  world = await startWorld();
  [riverside, hillside] = await Promise.all([world.clinic(), world.clinic()]);
  [patient, otherPatient, stranger] = await Promise.all([
    world.person(['patient'], riverside),
    world.person(['patient'], riverside),
    world.person(['patient'], hillside),
  ]);
  guardian = await world.person(['guardian'], riverside, [patient.id]);
});

afterAll(async () => {
  await topics?.stop();
  await world?.stop();
});

/** The first event of `schema` on the documents topic that `matches`, and its record's raw bytes. */
async function published<S extends DescMessage>(schema: S, matches: (event: MessageShape<S>) => boolean) {
  const decoded = (r: TopicRecord) => (r.headers.ce_type === schema.typeName ? fromBinary(schema, r.value) : undefined);
  const found = (records: TopicRecord[]) =>
    records.find((r) => {
      const e = decoded(r);
      return e !== undefined && matches(e);
    });
  const record = found(await topics.waitFor((records) => found(records) !== undefined))!;
  return { value: decoded(record)!, raw: record.value.toString('latin1') };
}

const plan = (patientId: string, overrides: Record<string, unknown> = {}) => ({
  patientId,
  kind: DocumentKind.TREATMENT_PLAN,
  title: 'Treatment plan, winter 2026',
  documentDate: '2026-11-20',
  author: 'Dr Alex Morgan',
  ...overrides,
});

const share = async (by: Person, details: ReturnType<typeof plan>, pdf: Buffer) =>
  (await world.documents.shareDocument(streamOf({ ...details, file: incoming('plan.pdf', pdf) }, pdf), await as(by))).document!;

describe('clinical documents', () => {
  it('staff share a treatment plan; the patient sees it new, opens it, and staff see it opened', async () => {
    const pdf = await samplePdf('Treatment plan');
    const shared = await share(riverside.staff, plan(patient.id), pdf);
    expect(shared).toMatchObject({ kind: DocumentKind.TREATMENT_PLAN, title: 'Treatment plan, winter 2026', author: 'Dr Alex Morgan' });
    expect(shared.openedAt).toBeUndefined();
    const later = await share(
      riverside.staff,
      plan(patient.id, { kind: DocumentKind.NOTE, title: 'Session note' }),
      await samplePdf('Note'),
    );

    const listed = await world.documents.listDocuments({ patientId: patient.id }, await as(patient));
    // Newest first.
    expect(listed.documents.map((d) => d.documentId)).toEqual([later.documentId, shared.documentId]);
    expect(listed.documents.every((d) => d.openedAt === undefined)).toBe(true);

    // Staff reading it do not make it "opened".
    await readBack(world.documents.openDocument({ patientId: patient.id, documentId: shared.documentId }, await as(riverside.staff)));
    const opened = await readBack(
      world.documents.openDocument({ patientId: patient.id, documentId: shared.documentId }, await as(patient)),
    );
    expect(createHash('sha256').update(opened.bytes).digest('hex')).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(opened.description).toMatchObject({ contentType: 'application/pdf', fileName: 'plan.pdf' });

    const seenByStaff = await world.documents.listDocuments({ patientId: patient.id }, await as(riverside.staff));
    const byId = new Map(seenByStaff.documents.map((d) => [d.documentId, d]));
    expect(byId.get(shared.documentId)?.openedAt).toBeDefined();
    expect(byId.get(later.documentId)?.openedAt).toBeUndefined();
  });

  it('publishes DocumentShared and DocumentOpened with ids only', async () => {
    const shared = await share(riverside.staff, plan(patient.id, { title: 'Private title 7f3a' }), await samplePdf());
    await readBack(world.documents.openDocument({ patientId: patient.id, documentId: shared.documentId }, await as(guardian)));
    const sharedEvent = await published(DocumentSharedSchema, (e) => e.documentId === shared.documentId);
    expect(sharedEvent.value).toMatchObject({ patientId: patient.id, clinicId: riverside.id, kind: DocumentKind.TREATMENT_PLAN });
    const openedEvent = await published(DocumentOpenedSchema, (e) => e.documentId === shared.documentId);
    expect(openedEvent.value.actor?.subject).toBe(guardian.id);
    expect(sharedEvent.raw + openedEvent.raw).not.toMatch(/Private title|Alex Morgan|plan\.pdf/);
  });

  it('refuses what staff entered wrongly, and anything but a PDF, storing nothing', async () => {
    const before = await storedFor(world, riverside.id);
    const bad = await failure(
      share(
        riverside.staff,
        plan(patient.id, { title: ' ', documentDate: '2026-02-30', kind: DocumentKind.UNSPECIFIED }),
        await samplePdf(),
      ),
    );
    expect(
      violationsOf(bad)
        .map((v) => v.field)
        .sort(),
    ).toEqual(['document_date', 'kind', 'title']);
    const photo = await failure(share(riverside.staff, plan(patient.id), sampleJpeg()));
    expect(violationsOf(photo)).toEqual([{ field: 'file', message: 'is not a PDF' }]);
    expect(await storedFor(world, riverside.id)).toEqual(before);
  });

  it('only staff of the patient’s clinic share; a patient of another clinic is not found', async () => {
    expect((await failure(share(patient, plan(patient.id), await samplePdf()))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(share(riverside.staff, plan(stranger.id), await samplePdf()))).code).toBe(status.NOT_FOUND);
    expect((await failure(world.documents.listDocuments({ patientId: patient.id }, await as(otherPatient)))).code).toBe(status.NOT_FOUND);
    expect((await failure(world.documents.listDocuments({ patientId: patient.id }, await as(hillside.staff)))).code).toBe(status.NOT_FOUND);
  });
});

describe('resources', () => {
  it('a link for one patient and a file for every patient of the clinic: each patient sees theirs and the clinic’s', async () => {
    const link = (
      await world.documents.shareResource(
        streamOf(
          {
            audience: ResourceAudience.PATIENT,
            patientId: patient.id,
            title: 'Sleep hygiene',
            description: 'Ten habits for better sleep.',
            linkUrl: 'https://example.org/sleep',
          },
          Buffer.alloc(0),
        ),
        await as(riverside.staff),
      )
    ).resource!;
    const leaflet = await samplePdf('Coping with anxiety');
    const forEveryone = (
      await world.documents.shareResource(
        streamOf(
          {
            audience: ResourceAudience.CLINIC,
            patientId: '',
            title: 'Coping with anxiety',
            description: '',
            file: incoming('anxiety.pdf', leaflet),
          },
          leaflet,
        ),
        await as(riverside.staff),
      )
    ).resource!;

    const mine = await world.documents.listResources({ patientId: patient.id }, await as(patient));
    expect(mine.resources.map((r) => r.resourceId)).toEqual([forEveryone.resourceId, link.resourceId]);
    const theirs = await world.documents.listResources({ patientId: otherPatient.id }, await as(otherPatient));
    expect(theirs.resources.map((r) => r.resourceId)).toEqual([forEveryone.resourceId]);
    const elsewhere = await world.documents.listResources({ patientId: stranger.id }, await as(stranger));
    expect(elsewhere.resources).toEqual([]);

    const opened = await readBack(
      world.documents.openResource({ patientId: otherPatient.id, resourceId: forEveryone.resourceId }, await as(otherPatient)),
    );
    expect(opened.bytes.equals(leaflet)).toBe(true);
    expect(
      (
        await failure(
          readBack(world.documents.openResource({ patientId: stranger.id, resourceId: forEveryone.resourceId }, await as(stranger))),
        )
      ).code,
    ).toBe(status.NOT_FOUND);

    const event = await published(ResourceSharedSchema, (e) => e.resourceId === forEveryone.resourceId);
    expect(event.value).toMatchObject({ patientId: '', clinicId: riverside.id, audience: ResourceAudience.CLINIC });
  });

  it('refuses a link that is not https, and a link with a file', async () => {
    const pdf = await samplePdf();
    const error = await failure(
      world.documents.shareResource(
        streamOf(
          {
            audience: ResourceAudience.PATIENT,
            patientId: patient.id,
            title: 'x',
            description: '',
            linkUrl: 'javascript:alert(1)',
            file: incoming('a.pdf', pdf),
          },
          pdf,
        ),
        await as(riverside.staff),
      ),
    );
    expect(violationsOf(error).map((v) => v.field)).toEqual(['link_url', 'link_url']);
  });
});
