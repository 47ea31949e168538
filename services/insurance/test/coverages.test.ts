// Seed step 8 against the real servers: a patient adds insurance with photos of the card, staff of
// their clinic see it with the same bytes and verify it or ask for more, the patient edits and
// deactivates; a guardian adds one for their child. Every bad input is refused with nothing
// stored — no coverage in the database, no photo in the object store.
import { status } from '@grpc/grpc-js';
import {
  CardSide,
  CoveragePriority,
  CoverageStatus,
  SubscriberRelationship,
  VerificationState,
} from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  coverage,
  failure,
  heicImage,
  jpegImage,
  pdfDocument,
  pngImage,
  startWorld,
  storedFor,
  violationsOf,
  type Clinic,
  type Person,
  type World,
} from './harness.js';

let world: World;
let clinic: Clinic;
let elsewhere: Clinic;

beforeAll(async () => {
  world = await startWorld();
  [clinic, elsewhere] = await Promise.all([world.clinic(), world.clinic()]);
});

afterAll(async () => {
  await world?.stop();
});

const newPatient = () => world.person(['patient'], clinic);

describe('seed step 8: adding insurance', () => {
  it('a patient adds a primary coverage with both card photos; staff see the same bytes and verify it; the patient sees it verified', async () => {
    const patient = await newPatient();
    const front = pngImage(8, 40);
    const back = jpegImage();
    const { coverage: added } = await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage(), frontPhoto: { content: front }, backPhoto: { content: back } },
      await as(patient),
    );
    expect(added!.verification).toBe(VerificationState.SUBMITTED);
    expect(added!.status).toBe(CoverageStatus.ACTIVE);
    expect(added!.frontPhoto?.contentType).toBe('image/png');
    expect(added!.backPhoto?.contentType).toBe('image/jpeg');
    expect(added!.details?.copay?.amountMinor).toBe(2500n);

    const staff = await as(clinic.staff);
    const { coverages: clinicList } = await world.insurance.listClinicCoverages({ verification: VerificationState.SUBMITTED }, staff);
    expect(clinicList.map((c) => c.coverageId)).toContain(added!.coverageId);
    const frontRead = await world.insurance.getCardPhoto(
      { patientId: patient.id, coverageId: added!.coverageId, side: CardSide.FRONT },
      staff,
    );
    const backRead = await world.insurance.getCardPhoto(
      { patientId: patient.id, coverageId: added!.coverageId, side: CardSide.BACK },
      staff,
    );
    expect(Buffer.from(frontRead.content).equals(front)).toBe(true);
    expect(Buffer.from(backRead.content).equals(back)).toBe(true);
    expect(frontRead.contentType).toBe('image/png');

    await world.insurance.verifyCoverage({ patientId: patient.id, coverageId: added!.coverageId, expectedVersion: added!.version }, staff);
    const { coverages } = await world.insurance.listCoverages({ patientId: patient.id }, await as(patient));
    expect(coverages.map((c) => c.verification)).toEqual([VerificationState.VERIFIED]);

    const { coverage: secondary } = await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage({ payerName: 'Aetna', memberId: 'W2849', priority: CoveragePriority.SECONDARY }) },
      await as(patient),
    );
    const listed = await world.insurance.listCoverages({ patientId: patient.id }, await as(patient));
    expect(listed.coverages.map((c) => c.coverageId)).toEqual([added!.coverageId, secondary!.coverageId]);

    const { changes } = await world.insurance.listCoverageHistory({ patientId: patient.id, coverageId: added!.coverageId }, staff);
    expect(changes.map((c) => [c.action, c.actorSubject, c.actorRole])).toEqual([
      ['added', patient.id, 'patient'],
      ['verified', clinic.staff.id, 'staff'],
    ]);
  });

  it('accepts a HEIC photo from an iPhone', async () => {
    const patient = await newPatient();
    const { coverage: added } = await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage(), frontPhoto: { content: heicImage() } },
      await as(patient),
    );
    expect(added!.frontPhoto?.contentType).toBe('image/heic');
    expect(added!.backPhoto).toBeUndefined();
  });

  it('a guardian adds a coverage for their child with themself as the subscriber', async () => {
    const child = await newPatient();
    const guardian = await world.person(['guardian'], clinic, [child.id]);
    const subscriber = { relationship: SubscriberRelationship.GUARDIAN, name: 'Dana Rivera', dateOfBirth: '1984-03-09' };
    const { coverage: added } = await world.insurance.addCoverage(
      { patientId: child.id, details: coverage({ subscriber }), frontPhoto: { content: pngImage() } },
      await as(guardian),
    );
    expect(added!.patientId).toBe(child.id);
    expect(added!.details?.subscriber).toMatchObject(subscriber);
    const { coverages } = await world.insurance.listCoverages({ patientId: child.id }, await as(child));
    expect(coverages.map((c) => c.details?.subscriber?.name)).toEqual(['Dana Rivera']);
    const { changes } = await world.insurance.listCoverageHistory(
      { patientId: child.id, coverageId: added!.coverageId },
      await as(clinic.staff),
    );
    expect(changes[0]).toMatchObject({ action: 'added', actorSubject: guardian.id, actorRole: 'guardian' });
  });

  it('a retried add with the same idempotency key keeps one coverage', async () => {
    const patient = await newPatient();
    const request = { patientId: patient.id, details: coverage(), frontPhoto: { content: pngImage() }, idempotencyKey: 'add-cov-0001' };
    const first = await world.insurance.addCoverage(request, await as(patient));
    const again = await world.insurance.addCoverage(request, await as(patient));
    expect(again.coverage!.coverageId).toBe(first.coverage!.coverageId);
    expect(await storedFor(world, patient.id)).toBe(1);
    expect(await world.photoKeys(patient.id)).toHaveLength(1);
  });
});

describe('bad input is refused clearly and nothing is stored', () => {
  let patient: Person;
  beforeAll(async () => {
    patient = await newPatient();
    await world.insurance.addCoverage({ patientId: patient.id, details: coverage() }, await as(patient));
  });

  const refused = async (request: Parameters<World['insurance']['addCoverage']>[0], by?: Person) => {
    const before = await storedFor(world, request.patientId);
    const photosBefore = await world.photoKeys(request.patientId);
    const error = await failure(world.insurance.addCoverage(request, await as(by ?? patient)));
    expect(await storedFor(world, request.patientId)).toBe(before);
    expect(await world.photoKeys(request.patientId)).toEqual(photosBefore);
    return error;
  };

  it('a second active primary coverage', async () => {
    const error = await refused({
      patientId: patient.id,
      details: coverage({ payerName: 'Cigna' }),
      frontPhoto: { content: pngImage() },
    });
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error)).toEqual([
      { field: 'priority', message: expect.stringContaining('an active primary coverage exists already') },
    ]);
  });

  it('two primaries added at the same moment: one is kept', async () => {
    const other = await newPatient();
    const settings = await as(other);
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map((n) => world.insurance.addCoverage({ patientId: other.id, details: coverage({ memberId: `M${n}` }) }, settings)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(await storedFor(world, other.id)).toBe(1);
  });

  it('an end date before the effective date', async () => {
    const error = await refused({
      patientId: patient.id,
      details: coverage({ priority: CoveragePriority.SECONDARY, effectiveDate: '2026-06-01', endDate: '2026-05-31' }),
      frontPhoto: { content: pngImage() },
    });
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error)).toEqual([{ field: 'endDate', message: 'must not be before the effective date' }]);
  });

  it('a card photo that is not an image (a PDF renamed .jpg)', async () => {
    const error = await refused({
      patientId: patient.id,
      details: coverage({ priority: CoveragePriority.SECONDARY }),
      frontPhoto: { content: pngImage() },
      backPhoto: { content: pdfDocument() },
    });
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error)).toEqual([{ field: 'backPhoto', message: 'must be a JPEG, PNG or HEIC image' }]);
  });

  it('a 12 MB photo', async () => {
    const big = Buffer.concat([pngImage(), Buffer.alloc(12 * 1024 * 1024)]);
    const error = await refused({
      patientId: patient.id,
      details: coverage({ priority: CoveragePriority.SECONDARY }),
      frontPhoto: { content: big },
    });
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error)).toEqual([{ field: 'frontPhoto', message: 'must be at most 10 MB' }]);
  });

  it('a subscriber date of birth in the future', async () => {
    const error = await refused({
      patientId: patient.id,
      details: coverage({
        priority: CoveragePriority.SECONDARY,
        subscriber: { relationship: SubscriberRelationship.PARENT, name: 'Sam Lee', dateOfBirth: '2027-02-01' },
      }),
    });
    expect(violationsOf(error)).toEqual([{ field: 'subscriber.dateOfBirth', message: 'must not be in the future' }]);
  });

  it('several mistakes at once are all named', async () => {
    const error = await refused({
      patientId: patient.id,
      details: coverage({ payerName: '', memberId: '', priority: CoveragePriority.UNSPECIFIED, effectiveDate: '2026-02-30' }),
    });
    expect(
      violationsOf(error)
        .map((v) => v.field)
        .sort(),
    ).toEqual(['effectiveDate', 'memberId', 'payerName', 'priority']);
  });

  it('a patient of another clinic, for staff; another patient, for a patient', async () => {
    const staffError = await refused(
      { patientId: patient.id, details: coverage({ priority: CoveragePriority.TERTIARY }) },
      elsewhere.staff,
    );
    expect(staffError.code).toBe(status.NOT_FOUND);
    const stranger = await newPatient();
    const strangerError = await refused({ patientId: patient.id, details: coverage({ priority: CoveragePriority.TERTIARY }) }, stranger);
    expect(strangerError.code).toBe(status.NOT_FOUND);
    const { coverages } = await world.insurance.listClinicCoverages({}, await as(elsewhere.staff));
    expect(coverages.filter((c) => c.patientId === patient.id)).toEqual([]);
    const listError = await failure(world.insurance.listCoverages({ patientId: patient.id }, await as(elsewhere.staff)));
    expect(listError.code).toBe(status.NOT_FOUND);
  });
});

describe('editing, deactivating and the staff’s review', () => {
  it('an edit makes the coverage submitted again, replaces only the photo given, and is in the history', async () => {
    const patient = await newPatient();
    const front = pngImage(4, 10);
    const { coverage: added } = await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage(), frontPhoto: { content: front }, backPhoto: { content: pngImage(4, 20) } },
      await as(patient),
    );
    const staff = await as(clinic.staff);
    const { coverage: asked } = await world.insurance.requestCoverageInformation(
      { patientId: patient.id, coverageId: added!.coverageId, message: 'Please send a clearer photo of the back of the card.' },
      staff,
    );
    expect(asked!.verification).toBe(VerificationState.NEEDS_INFORMATION);
    const seen = await world.insurance.getCoverage({ patientId: patient.id, coverageId: added!.coverageId }, await as(patient));
    expect(seen.coverage!.informationRequest).toBe('Please send a clearer photo of the back of the card.');

    const newBack = jpegImage();
    const { coverage: edited } = await world.insurance.updateCoverage(
      {
        patientId: patient.id,
        coverageId: added!.coverageId,
        details: coverage({ groupNumber: 'GRP-99' }),
        backPhoto: { content: newBack },
        expectedVersion: asked!.version,
      },
      await as(patient),
    );
    expect(edited!.verification).toBe(VerificationState.SUBMITTED);
    expect(edited!.informationRequest).toBe('');
    const back = await world.insurance.getCardPhoto({ patientId: patient.id, coverageId: added!.coverageId, side: CardSide.BACK }, staff);
    expect(Buffer.from(back.content).equals(newBack)).toBe(true);
    const frontRead = await world.insurance.getCardPhoto(
      { patientId: patient.id, coverageId: added!.coverageId, side: CardSide.FRONT },
      staff,
    );
    expect(Buffer.from(frontRead.content).equals(front)).toBe(true);
    // The replaced back photo is gone from the store: two photos remain.
    expect(await world.photoKeys(patient.id)).toHaveLength(2);

    const { changes } = await world.insurance.listCoverageHistory({ patientId: patient.id, coverageId: added!.coverageId }, staff);
    expect(changes.map((c) => ({ action: c.action, fields: c.changedFields, message: c.message }))).toEqual([
      { action: 'added', fields: [], message: '' },
      { action: 'information_requested', fields: [], message: 'Please send a clearer photo of the back of the card.' },
      { action: 'updated', fields: ['groupNumber', 'backPhoto'], message: '' },
    ]);

    const stale = await failure(
      world.insurance.updateCoverage(
        { patientId: patient.id, coverageId: added!.coverageId, details: coverage({ groupNumber: 'X' }), expectedVersion: added!.version },
        await as(patient),
      ),
    );
    expect(stale.code).toBe(status.FAILED_PRECONDITION);
  });

  it('only staff verify or ask for information; a patient is refused', async () => {
    const patient = await newPatient();
    const { coverage: added } = await world.insurance.addCoverage({ patientId: patient.id, details: coverage() }, await as(patient));
    const error = await failure(
      world.insurance.verifyCoverage({ patientId: patient.id, coverageId: added!.coverageId }, await as(patient)),
    );
    expect(error.code).toBe(status.PERMISSION_DENIED);
    const history = await failure(
      world.insurance.listCoverageHistory({ patientId: patient.id, coverageId: added!.coverageId }, await as(patient)),
    );
    expect(history.code).toBe(status.PERMISSION_DENIED);
    const empty = await failure(
      world.insurance.requestCoverageInformation(
        { patientId: patient.id, coverageId: added!.coverageId, message: '' },
        await as(clinic.staff),
      ),
    );
    expect(violationsOf(empty)).toEqual([{ field: 'message', message: 'is required' }]);
  });

  it('deactivating frees the priority; the deactivated coverage stays listed after the active ones', async () => {
    const patient = await newPatient();
    const settings = await as(patient);
    const { coverage: old } = await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage({ memberId: 'OLD1' }) },
      settings,
    );
    const { coverage: off } = await world.insurance.deactivateCoverage({ patientId: patient.id, coverageId: old!.coverageId }, settings);
    expect(off!.status).toBe(CoverageStatus.INACTIVE);
    const { coverage: current } = await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage({ memberId: 'NEW1' }) },
      settings,
    );
    const { coverages } = await world.insurance.listCoverages({ patientId: patient.id }, settings);
    expect(coverages.map((c) => c.coverageId)).toEqual([current!.coverageId, old!.coverageId]);
    const edit = await failure(
      world.insurance.updateCoverage(
        { patientId: patient.id, coverageId: old!.coverageId, details: coverage({ memberId: 'OLD2' }) },
        settings,
      ),
    );
    expect(edit.code).toBe(status.FAILED_PRECONDITION);
  });

  it('a coverage whose end date has passed shows as ended and is not billed to', async () => {
    const patient = await newPatient();
    const settings = await as(patient);
    await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage({ effectiveDate: '2025-01-01', endDate: '2026-06-30', memberId: 'ENDED9' }) },
      settings,
    );
    const { coverages } = await world.insurance.listCoverages({ patientId: patient.id }, settings);
    expect(coverages[0]!.ended).toBe(true);
    const primary = await world.insurance.getPrimaryCoverage({ patientId: patient.id }, await as(clinic.staff));
    expect(primary.found).toBe(false);
  });
});

describe('the primary coverage for the superbill', () => {
  it('gives the active primary coverage’s member id to the clinic, and nothing to another clinic', async () => {
    const patient = await newPatient();
    await world.insurance.addCoverage({ patientId: patient.id, details: coverage({ memberId: 'SUP-778' }) }, await as(patient));
    await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage({ memberId: 'SEC-1', priority: CoveragePriority.SECONDARY }) },
      await as(patient),
    );
    const primary = await world.insurance.getPrimaryCoverage({ patientId: patient.id }, await as(clinic.staff));
    expect(primary).toMatchObject({ found: true, memberId: 'SUP-778', payerName: 'Blue Cross Blue Shield' });
    const error = await failure(world.insurance.getPrimaryCoverage({ patientId: patient.id }, await as(elsewhere.staff)));
    expect(error.code).toBe(status.NOT_FOUND);
    const none = await newPatient();
    expect((await world.insurance.getPrimaryCoverage({ patientId: none.id }, await as(none))).found).toBe(false);
  });
});
