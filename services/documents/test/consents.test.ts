// Consents against the real servers (Keycloak, FerretDB, SeaweedFS, Kafka, and the auth and
// contacts services): staff assign, the signer accepts the ESIGN disclosure and signs once, the
// service stores a signed PDF whose certificate holds the evidence and whose SHA-256 staff can
// verify; a release of information names one of the patient's contacts and can be revoked. Every
// refusal stores nothing; events carry ids only; reads and changes are audited.
import { createHash } from 'node:crypto';
import { fromBinary, type DescMessage } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { ContactPurpose, ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { ConsentsService, ConsentState, ReleaseState } from '@portico/contracts/gen/portico/documents/v1/consents_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import {
  ConsentAssignedSchema,
  ConsentRevokedSchema,
  ConsentSignedSchema,
} from '@portico/contracts/gen/portico/events/documents/v1/consent_events_pb';
import { connectService, type ServiceClient } from '@portico/kit/grpc';
import { ESIGN_DISCLOSURE } from '@portico/kit/signatures';
import { recordTopics, samplePng, type TopicRecord } from '@portico/testing';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, failure, readBack, startWorld, violationsOf, type Clinic, type Person, type World } from './harness.js';

let world: World;
let consents: ServiceClient<(typeof ConsentsService)['method']>;
let contacts: ServiceClient<(typeof ContactsService)['method']>;
let riverside: Clinic;
let hillside: Clinic;
let patient: Person;
let guardian: Person;
let otherPatient: Person;
let topics: Awaited<ReturnType<typeof recordTopics>>;

const USER_AGENT = 'Mozilla/5.0 (consents test)';

beforeAll(async () => {
  topics = await recordTopics(['portico.documents.v1', 'portico.audit.v1'], { fromNow: true });
  world = await startWorld({}, { contacts: true });
  consents = connectService(ConsentsService, world.address, { defaultTimeoutMs: 60_000 });
  contacts = connectService(ContactsService, world.contactsAddress!, { defaultTimeoutMs: 30_000 });
  [riverside, hillside] = await Promise.all([world.clinic(), world.clinic()]);
  [patient, otherPatient] = await Promise.all([world.person(['patient'], riverside), world.person(['patient'], riverside)]);
  guardian = await world.person(['guardian'], riverside, [patient.id]);
});

afterAll(async () => {
  consents?.close();
  contacts?.close();
  await topics?.stop();
  await world?.stop();
});

const ofType =
  <S extends DescMessage>(schema: S) =>
  (records: TopicRecord[]) =>
    records.filter((r) => r.headers.ce_type === schema.typeName).map((r) => fromBinary(schema, r.value));

const assign = async (templateId: string, patientId = patient.id, by: Person = riverside.staff, release?: object) =>
  (await consents.assignConsent({ patientId, templateId, ...(release ? { release } : {}) }, await as(by))).consent!;

const drawing = () => ({
  strokes: [
    {
      points: [
        { x: 10, y: 10, time: 1000, pressure: 0.5 },
        { x: 40, y: 22, time: 1016, pressure: 0.5 },
      ],
      penColor: 'black',
    },
  ],
  imagePng: samplePng(),
});

const sign = async (by: Person, patientId: string, consentId: string, extra: object = {}) =>
  consents.signConsent({ patientId, consentId, typedName: 'Pat Example', userAgent: USER_AGENT, ...extra }, await as(by));

const stored = (consentId: string) => world.db.collection('consents').findOne({ _id: consentId as never });
const storedPdfs = async (clinicId: string) => (await world.objects.keys(`clinics/${clinicId}/`)).filter((k) => k.includes('/consents/'));

const download = async (by: Person, patientId: string, consentId: string) =>
  readBack(consents.downloadSignedConsent({ patientId, consentId }, await as(by)));

describe('a consent assigned by staff and signed by the patient', () => {
  it('is outstanding until signed, then its PDF holds the text, the signature and the certificate, and verifies', async () => {
    const consent = await assign('consent-to-treatment');
    expect(consent.state).toBe(ConsentState.OUTSTANDING);
    expect(consent.textSha256).toBe(
      createHash('sha256')
        .update((await consents.getConsent({ patientId: patient.id, consentId: consent.consentId }, await as(patient))).text)
        .digest('hex'),
    );
    const listed = await consents.listConsents({ patientId: patient.id }, await as(patient));
    expect(listed.outstandingCount).toBe(1);

    // The disclosure comes first: signing before accepting it is refused, and nothing is stored.
    const opened = await consents.getConsent({ patientId: patient.id, consentId: consent.consentId }, await as(patient));
    expect(opened.disclosure?.version).toBe(ESIGN_DISCLOSURE.version);
    expect(opened.disclosure?.sections.map((s) => s.heading)).toContain('Your right to paper');
    expect(opened.disclosureAccepted).toBe(false);
    const early = await failure(sign(patient, patient.id, consent.consentId, { drawing: drawing() }));
    expect(early.code).toBe(status.FAILED_PRECONDITION);
    expect(early.details).toBe('accept the electronic records disclosure before signing');
    const stale = await failure(consents.acceptDisclosure({ version: 'esign-1999-01-01', userAgent: USER_AGENT }, await as(patient)));
    expect(violationsOf(stale)).toEqual([{ field: 'version', message: 'is not the current disclosure; read it again' }]);
    await consents.acceptDisclosure({ version: ESIGN_DISCLOSURE.version, userAgent: USER_AGENT }, await as(patient));
    expect((await consents.getConsent({ patientId: patient.id, consentId: consent.consentId }, await as(patient))).disclosureAccepted).toBe(
      true,
    );

    const signed = (await sign(patient, patient.id, consent.consentId, { drawing: drawing() })).consent!;
    expect(signed).toMatchObject({ state: ConsentState.SIGNED, signedByName: 'Pat Example', signatureMethod: 'typed-name-and-drawing' });
    expect((await consents.listConsents({ patientId: patient.id }, await as(patient))).outstandingCount).toBe(0);
    const kept = await stored(consent.consentId);
    expect(kept?.signature.strokes).toEqual(drawing().strokes);
    expect(Buffer.from(kept?.signature.imagePng.buffer)).toEqual(samplePng());
    expect(kept?.signature.evidence).toMatchObject({
      signerUserId: patient.id,
      actingFor: { patientId: patient.id, relationship: 'self' },
      ipAddress: '203.0.113.7',
      userAgent: USER_AGENT,
      disclosureVersion: ESIGN_DISCLOSURE.version,
      documentSha256: consent.textSha256,
    });

    // Staff download the PDF: the certificate fields are in its text, and verification knows it.
    const pdf = await download(riverside.staff, patient.id, consent.consentId);
    expect(pdf.description.contentType).toBe('application/pdf');
    expect(pdf.description.sha256).toBe(signed.signedPdfSha256);
    expect(createHash('sha256').update(pdf.bytes).digest('hex')).toBe(signed.signedPdfSha256);
    const text = (await extractText(new Uint8Array(pdf.bytes), { mergePages: true })).text.replace(/\s+/g, ' ');
    for (const expected of [
      'Consent to treatment',
      'Certificate of electronic signature',
      'Pat Example',
      '203.0.113.7',
      USER_AGENT,
      ESIGN_DISCLOSURE.version,
      ' UTC',
    ])
      expect(text).toContain(expected);
    expect(text.replace(/ /g, '')).toContain(consent.textSha256);

    const genuine = await consents.verifySignedConsent({ sha256: signed.signedPdfSha256.toUpperCase() }, await as(riverside.staff));
    expect(genuine).toMatchObject({ genuine: true, consentId: consent.consentId, patientId: patient.id, title: 'Consent to treatment' });
    const changed = Buffer.from(pdf.bytes);
    changed[Math.floor(changed.length / 2)] ^= 1;
    const sha = createHash('sha256').update(changed).digest('hex');
    expect((await consents.verifySignedConsent({ sha256: sha }, await as(riverside.staff))).genuine).toBe(false);
    // Another clinic's staff do not learn of it.
    expect((await consents.verifySignedConsent({ sha256: signed.signedPdfSha256 }, await as(hillside.staff))).genuine).toBe(false);
    expect((await failure(consents.verifySignedConsent({ sha256: 'abc' }, await as(riverside.staff)))).code).toBe(status.INVALID_ARGUMENT);
    expect((await failure(consents.verifySignedConsent({ sha256: sha }, await as(patient)))).code).toBe(status.PERMISSION_DENIED);

    await topics.waitFor((records) => ofType(ConsentSignedSchema)(records).some((e) => e.consentId === consent.consentId));
    const assigned = ofType(ConsentAssignedSchema)(topics.records).find((e) => e.consentId === consent.consentId)!;
    expect(assigned).toMatchObject({ patientId: patient.id, clinicId: riverside.id });
    const raw = topics.records
      .filter((r) => r.topic === 'portico.documents.v1' && r.key === patient.id)
      .map((r) => Buffer.from(r.value).toString('latin1'));
    expect(raw.some((r) => r.includes('Pat Example') || r.includes('Consent to treatment'))).toBe(false);
  });

  it('a guardian signs for their patient with the typed name alone, recorded as such', async () => {
    const consent = await assign('telehealth');
    await consents.acceptDisclosure({ version: ESIGN_DISCLOSURE.version, userAgent: USER_AGENT }, await as(guardian));
    const signed = (await sign(guardian, patient.id, consent.consentId, { typedName: '  Gale Guardian ' })).consent!;
    expect(signed).toMatchObject({ signedByName: 'Gale Guardian', signatureMethod: 'typed-name' });
    const kept = await stored(consent.consentId);
    expect(kept?.signature).toMatchObject({
      strokes: null,
      imagePng: null,
      evidence: { signerUserId: guardian.id, actingFor: { patientId: patient.id, relationship: 'guardian' } },
    });
    const text = (await extractText(new Uint8Array((await download(patient, patient.id, consent.consentId)).bytes), { mergePages: true }))
      .text;
    expect(text).toContain('Signed with the typed full name alone');
    expect(text).toContain('as their guardian');
  });
});

describe('refusals store nothing', () => {
  it('a consent signed twice, a blank typed name, an empty drawing', async () => {
    await consents.acceptDisclosure({ version: ESIGN_DISCLOSURE.version, userAgent: USER_AGENT }, await as(patient));
    const consent = await assign('financial-policy');
    const before = (await storedPdfs(riverside.id)).length;

    const blank = await failure(sign(patient, patient.id, consent.consentId, { typedName: '   ' }));
    expect(blank.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(blank)).toEqual([{ field: 'typed_name', message: 'Type your full name to sign' }]);
    const empty = await failure(sign(patient, patient.id, consent.consentId, { drawing: { strokes: [], imagePng: samplePng() } }));
    expect(violationsOf(empty).map((v) => v.field)).toEqual(['drawing.strokes']);
    const notPng = await failure(
      sign(patient, patient.id, consent.consentId, { drawing: { ...drawing(), imagePng: Buffer.from('GIF89a') } }),
    );
    expect(violationsOf(notPng).map((v) => v.field)).toEqual(['drawing.image_png']);
    expect(await stored(consent.consentId)).toMatchObject({ signature: null, signedPdf: null, version: 1 });
    expect(await storedPdfs(riverside.id)).toHaveLength(before);

    await sign(patient, patient.id, consent.consentId);
    const twice = await failure(sign(guardian, patient.id, consent.consentId, { typedName: 'Someone Else' }));
    expect(twice.code).toBe(status.FAILED_PRECONDITION);
    expect(twice.details).toBe('this consent was signed already');
    expect(await stored(consent.consentId)).toMatchObject({ signature: { typedName: 'Pat Example' }, version: 2 });
    expect(await storedPdfs(riverside.id)).toHaveLength(before + 1);
  });

  it('another patient’s consent, another clinic’s staff, staff signing', async () => {
    const consent = await assign('consent-to-treatment');
    const read = { patientId: patient.id, consentId: consent.consentId };
    await consents.acceptDisclosure({ version: ESIGN_DISCLOSURE.version, userAgent: USER_AGENT }, await as(otherPatient));
    expect((await failure(sign(otherPatient, patient.id, consent.consentId))).code).toBe(status.NOT_FOUND);
    expect((await failure(sign(otherPatient, otherPatient.id, consent.consentId))).code).toBe(status.NOT_FOUND);
    expect((await failure(consents.getConsent(read, await as(hillside.staff)))).code).toBe(status.NOT_FOUND);
    expect((await failure(assign('consent-to-treatment', patient.id, hillside.staff))).code).toBe(status.NOT_FOUND);
    expect((await failure(assign('consent-to-treatment', patient.id, patient))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(sign(riverside.staff, patient.id, consent.consentId))).code).toBe(status.PERMISSION_DENIED);
    expect(violationsOf(await failure(assign('no-such-consent')))).toEqual([
      { field: 'template_id', message: 'is not one of the clinic’s consents' },
    ]);
    expect(await stored(consent.consentId)).toMatchObject({ signature: null, version: 1 });
    expect(await world.db.collection('consents').countDocuments({ clinicId: hillside.id })).toBe(0);

    const audited = () =>
      topics.records
        .filter((r) => r.topic === 'portico.audit.v1' && r.key === patient.id)
        .map((r) => fromBinary(PatientRecordAccessedSchema, r.value))
        .map((a) => `${a.action}${a.outcome === AccessOutcome.DENIED ? ' (denied)' : ''}`);
    const expected = [
      'consents.assign',
      'consents.list',
      'consents.read',
      'consents.sign',
      'consents.download',
      'consents.sign (denied)',
      'consents.read (denied)',
    ];
    await topics.waitFor(() => expected.every((action) => audited().includes(action)));
  });
});

describe('a release of information', () => {
  const addContact = async (owner: Person, name: string) =>
    (await contacts.addContact({ patientId: owner.id, details: { name, purposes: [ContactPurpose.OTHER] } }, await as(owner))).contact!;
  const inAYear = () => `${new Date().getUTCFullYear() + 1}-06-30`;

  it('names one of the patient’s contacts, holds once signed, and is revoked by the patient', async () => {
    const contact = await addContact(patient, 'Dr Referral');
    const othersContact = await addContact(otherPatient, 'Not Theirs');
    const release = { contactId: contact.contactId, scope: 'Attendance and treatment progress', expiresOn: inAYear() };

    const wrong = await failure(
      assign('release-of-information', patient.id, riverside.staff, { ...release, contactId: othersContact.contactId }),
    );
    expect(violationsOf(wrong)).toEqual([{ field: 'release.contact_id', message: 'is not one of this patient’s contacts' }]);
    const incomplete = await failure(
      assign('release-of-information', patient.id, riverside.staff, { contactId: contact.contactId, scope: '', expiresOn: '2001-01-01' }),
    );
    expect(violationsOf(incomplete).map((v) => v.field)).toEqual(['release.scope', 'release.expires_on']);
    expect(await world.db.collection('consents').countDocuments({ patientId: patient.id, kind: 'release_of_information' })).toBe(0);

    const consent = await assign('release-of-information', patient.id, riverside.staff, release);
    expect(consent.release).toMatchObject({ ...release, state: ReleaseState.PENDING });
    await consents.acceptDisclosure({ version: ESIGN_DISCLOSURE.version, userAgent: USER_AGENT }, await as(patient));
    expect(
      (await failure(consents.revokeRelease({ patientId: patient.id, consentId: consent.consentId }, await as(patient)))).details,
    ).toBe('this release is not signed yet');
    const signed = (await sign(patient, patient.id, consent.consentId)).consent!;
    expect(signed.release?.state).toBe(ReleaseState.ACTIVE);

    expect(
      (await failure(consents.revokeRelease({ patientId: patient.id, consentId: consent.consentId }, await as(riverside.staff)))).code,
    ).toBe(status.PERMISSION_DENIED);
    const revoked = (await consents.revokeRelease({ patientId: patient.id, consentId: consent.consentId }, await as(patient))).consent!;
    expect(revoked.release?.state).toBe(ReleaseState.REVOKED);
    const seenByStaff = await consents.listConsents({ patientId: patient.id }, await as(riverside.staff));
    expect(seenByStaff.consents.find((c) => c.consentId === consent.consentId)?.release?.state).toBe(ReleaseState.REVOKED);
    expect(
      (await failure(consents.revokeRelease({ patientId: patient.id, consentId: consent.consentId }, await as(patient)))).details,
    ).toBe('this release was revoked already');
    await topics.waitFor((records) => ofType(ConsentRevokedSchema)(records).some((e) => e.consentId === consent.consentId));
  });
});
