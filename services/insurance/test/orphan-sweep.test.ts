// The sweep of card photos no coverage names, against the real servers (FerretDB, SeaweedFS): a
// crash between a photo and its coverage document leaves the photo behind; once older than the
// grace period the sweep removes it, while a photo still within the grace period (a coverage
// being added) and both photos a coverage names stay. The service runs on a bucket of this
// test's own, since the sweep treats every object its database does not name as an orphan.
import { randomUUID } from 'node:crypto';
import { CardSide } from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, coverage, jpegImage, pngImage, startWorld, type Person, type World } from './harness.js';

const GRACE_MS = 3_000;
let world: World;
let patient: Person;

beforeAll(async () => {
  world = await startWorld({
    bucket: 'portico-insurance-sweep-test',
    // The test runs the rounds itself (interval 0: no periodic job).
    environment: { OBJECT_SWEEP_GRACE_MS: String(GRACE_MS), OBJECT_SWEEP_INTERVAL_MS: '0' },
    captureLogs: true,
  });
  patient = await world.person(['patient'], (await world.clinic()).id);
});

afterAll(async () => {
  for (const key of patient ? await world.objects.keys(`coverages/${patient.id}/`) : []) await world.objects.remove(key);
  await world?.stop();
});

/** A photo as a crash before its coverage was written leaves it: in the bucket, named by no coverage. */
const crashedPhoto = async () => {
  const key = `coverages/${patient.id}/${randomUUID()}/front-${randomUUID()}`;
  await world.objects.put(key, pngImage(), 'image/png');
  return key;
};

describe('the card photo orphan sweep', () => {
  it('removes a photo no coverage names once it is older than the grace period, and keeps the rest', async () => {
    const { coverage: added } = await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage(), frontPhoto: { content: pngImage(8, 40) }, backPhoto: { content: jpegImage() } },
      await as(patient),
    );
    const named = await world.photoKeys(patient.id);
    expect(named).toHaveLength(2);
    const old = await crashedPhoto();
    // The store stamps objects to the second: wait past the grace period with a second to spare.
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 1_500));
    const fresh = await crashedPhoto();

    const removed = await world.orphans.sweepOnce();
    const left = await world.photoKeys(patient.id);
    expect(left).not.toContain(old);
    expect(left).toEqual(expect.arrayContaining([fresh, ...named]));
    expect(removed).toBeGreaterThanOrEqual(1);
    // The photos the coverage names are still served, byte for byte.
    const front = await world.insurance.getCardPhoto(
      { patientId: patient.id, coverageId: added!.coverageId, side: CardSide.FRONT },
      await as(patient),
    );
    expect(Buffer.from(front.content).equals(pngImage(8, 40))).toBe(true);

    const line = world.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).includes('no metadata names'));
    expect(line).toMatchObject({ removed, bucket: 'portico-insurance-sweep-test' });
    expect(world.logs.join('\n')).not.toContain(patient.id);
  });
});
