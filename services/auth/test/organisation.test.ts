// Seed step 3's organisation profile against the real servers: staff keep it valid (bad input
// changes nothing), every user of the clinic reads it, and the handbook and logo round-trip
// through the real S3 store byte for byte, in files far larger than one default gRPC message.
import { randomBytes, randomUUID } from 'node:crypto';
import { create, fromBinary } from '@bufbuild/protobuf';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { status } from '@grpc/grpc-js';
import { UpdateOrganisationRequestSchema } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { OrganisationUpdatedSchema } from '@portico/contracts/gen/portico/events/auth/v1/auth_events_pb';
import { createUser, deleteUser, passwordGrant, recordTopics, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, failure, startAuth, violationsOf, type RunningAuth } from './auth-service.js';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let auth: RunningAuth;
let staff: TestUser;
let patient: TestUser;
let outsider: TestUser;
const tokens: Record<string, string> = {};

const profile = {
  name: 'Riverside Family Clinic',
  address: { line1: '12 River Road', line2: '', city: 'Springfield', region: 'IL', postalCode: '62701', countryCode: 'us' },
  phone: '(217) 555-0142',
  phoneRegion: 'US',
  email: 'Front.Desk@Riverside.example',
  openingHours: ['Mon–Fri 8:00–18:00', 'Sat 9:00–12:00'],
  welcomeMessage: 'Welcome to your portal. Call us with any question.',
  portalUrl: 'https://portal.riverside.example',
  timeZone: 'America/Chicago',
};

async function download(kind: 'handbook' | 'logo', token: string) {
  const parts = kind === 'handbook' ? auth.client.getHandbook({}, as(token)) : auth.client.getLogo({}, as(token));
  const chunks: Buffer[] = [];
  let file;
  let largest = 0;
  for await (const part of parts) {
    if (part.part.case === 'file') file = part.part.value;
    else if (part.part.case === 'chunk') {
      chunks.push(Buffer.from(part.part.value));
      largest = Math.max(largest, part.part.value.length);
    }
  }
  return { file, content: Buffer.concat(chunks), largest };
}

beforeAll(async () => {
  auth = await startAuth();
  [staff, patient, outsider] = await Promise.all([
    createUser({ roles: ['staff'], clinicId }),
    createUser({ roles: ['patient'], clinicId }),
    createUser({ roles: ['staff'], clinicId: `${clinicId}-other` }),
  ]);
  for (const [name, user] of Object.entries({ staff, patient, outsider })) tokens[name] = await passwordGrant(user!);
});

afterAll(async () => {
  await auth?.stop();
  await Promise.all([staff, patient, outsider].filter(Boolean).map((u) => deleteUser(u!)));
});

describe('the organisation profile', () => {
  it('is saved by staff in canonical form, read by any user of the clinic, and announced with the changed fields', async () => {
    const reader = await recordTopics(['portico.auth.v1']);
    try {
      expect((await failure(auth.client.getOrganisation({}, as(tokens.patient!)))).code).toBe(status.NOT_FOUND);
      const saved = (await auth.client.updateOrganisation({ profile }, as(tokens.staff!))).organisation!;
      expect(saved.profile).toMatchObject({
        phone: '+12175550142',
        email: 'front.desk@riverside.example',
        portalUrl: 'https://portal.riverside.example/',
        timeZone: 'America/Chicago',
        address: { countryCode: 'US' },
      });
      expect(saved.version).toBe(1n);
      const read = (await auth.client.getOrganisation({}, as(tokens.patient!))).organisation!;
      expect(read.profile?.welcomeMessage).toBe(profile.welcomeMessage);
      expect(read.profile?.openingHours).toEqual(profile.openingHours);
      // Another clinic's staff see their own clinic, which has no profile.
      expect((await failure(auth.client.getOrganisation({}, as(tokens.outsider!)))).code).toBe(status.NOT_FOUND);

      await auth.client.updateOrganisation(
        { profile: { ...profile, welcomeMessage: 'Hello again' }, expectedVersion: 1n },
        as(tokens.staff!),
      );
      const records = await reader.waitFor((r) => r.filter((x) => x.key === clinicId).length >= 2);
      const updates = records.filter((x) => x.key === clinicId).map((x) => fromBinary(OrganisationUpdatedSchema, x.value));
      expect(updates.map((u) => u.changedFields)).toEqual([
        ['name', 'address', 'phone', 'email', 'openingHours', 'welcomeMessage', 'portalUrl', 'timeZone'],
        ['welcomeMessage'],
      ]);
      expect(updates[1]!.actor).toMatchObject({ subject: staff.id, clinicId });
      // A stale version is refused.
      const stale = await failure(auth.client.updateOrganisation({ profile, expectedVersion: 1n }, as(tokens.staff!)));
      expect(stale.code).toBe(status.FAILED_PRECONDITION);
    } finally {
      await reader.stop();
    }
  });

  it('refuses a bad phone number, an unknown time zone and unknown fields with the violations, and writes nothing', async () => {
    const before = await auth.db.collection('organisations').findOne({ _id: clinicId as never });
    const bad = await failure(
      auth.client.updateOrganisation({ profile: { ...profile, phone: '+1 555', timeZone: 'Mars/Olympus_Mons' } }, as(tokens.staff!)),
    );
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(bad)).toEqual([{ field: 'timeZone', message: 'must be an IANA time zone, e.g. America/New_York' }]);
    const badPhone = await failure(auth.client.updateOrganisation({ profile: { ...profile, phone: '+1 555' } }, as(tokens.staff!)));
    expect(violationsOf(badPhone)).toEqual([{ field: 'phone', message: 'is not a valid phone number' }]);

    // A field this contract does not have (as a newer or wrong client would send) is refused, not dropped.
    const request = create(UpdateOrganisationRequestSchema, { profile: { ...profile, welcomeMessage: 'Sneaked in' } });
    request.profile!.$unknown = [{ no: 99, wireType: WireType.LengthDelimited, data: new BinaryWriter().string('colour: red').finish() }];
    const unknown = await failure(auth.client.updateOrganisation(request, as(tokens.staff!)));
    expect(unknown.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(unknown)).toEqual([{ field: 'profile#99', message: 'is not a field this service knows' }]);

    expect((await failure(auth.client.updateOrganisation({ profile }, as(tokens.patient!)))).code).toBe(status.PERMISSION_DENIED);
    const after = await auth.db.collection('organisations').findOne({ _id: clinicId as never });
    expect(after?.version).toBe(before?.version);
    expect(after?.profile).toEqual(before?.profile);
  });
});

describe('the handbook and the logo', () => {
  it('round-trip a 6 MiB handbook through the S3 store byte for byte, for any user of the clinic', async () => {
    const handbook = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(6 * 1024 * 1024)]);
    const uploaded = await auth.client.uploadHandbook(
      { content: handbook, contentType: 'application/pdf', fileName: 'Client handbook.pdf' },
      as(tokens.staff!),
    );
    const stored = uploaded.organisation!.handbook!;
    expect(stored).toMatchObject({ contentType: 'application/pdf', sizeBytes: BigInt(handbook.length), fileName: 'Client handbook.pdf' });
    // Really in the object store, under the clinic's folder.
    expect(stored.objectKey).toMatch(new RegExp(`^organisations/${clinicId}/handbook/[0-9a-f-]+\\.pdf$`));
    expect((await auth.service.objects.readAll(stored.objectKey)).equals(handbook)).toBe(true);

    const { file, content, largest } = await download('handbook', tokens.patient!);
    expect(file).toMatchObject({ objectKey: stored.objectKey, sizeBytes: BigInt(handbook.length) });
    expect(content.equals(handbook)).toBe(true);
    expect(largest).toBeLessThanOrEqual(64 * 1024);

    // A new handbook replaces the old one, whose object is removed.
    const second = Buffer.from('%PDF-1.4\nsecond edition');
    const replaced = await auth.client.uploadHandbook(
      { content: second, contentType: 'application/pdf', fileName: 'v2.pdf' },
      as(tokens.staff!),
    );
    expect((await download('handbook', tokens.staff!)).content.equals(second)).toBe(true);
    await expect(auth.service.objects.stat(stored.objectKey)).rejects.toThrow('object not found');
    expect(replaced.organisation!.version).toBeGreaterThan(uploaded.organisation!.version);

    expect((await failure(download('handbook', tokens.outsider!))).code).toBe(status.NOT_FOUND);
  });

  it('refuses files over 10 MiB, of the wrong type, or whose bytes are not what they claim, and stores nothing', async () => {
    const before = await auth.db.collection('organisations').findOne({ _id: clinicId as never });
    const tooBig = await failure(
      auth.client.uploadHandbook(
        {
          content: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024)]),
          contentType: 'application/pdf',
          fileName: 'big.pdf',
        },
        as(tokens.staff!),
      ),
    );
    expect(tooBig.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(tooBig)).toEqual([{ field: 'content', message: 'must be at most 10 MiB' }]);
    const notPdf = await failure(
      auth.client.uploadHandbook(
        { content: Buffer.from('MZ\x90\x00'), contentType: 'application/pdf', fileName: 'x.pdf' },
        as(tokens.staff!),
      ),
    );
    expect(violationsOf(notPdf)).toEqual([{ field: 'content', message: 'is not a application/pdf file' }]);
    const wrongType = await failure(
      auth.client.uploadLogo({ content: Buffer.from('%PDF-1.7\n'), contentType: 'application/pdf' }, as(tokens.staff!)),
    );
    expect(violationsOf(wrongType)[0]).toMatchObject({ field: 'content_type' });
    expect((await failure(auth.client.uploadLogo({ content: Buffer.from('x'), contentType: 'image/png' }, as(tokens.patient!)))).code).toBe(
      status.PERMISSION_DENIED,
    );
    const after = await auth.db.collection('organisations').findOne({ _id: clinicId as never });
    expect(after?.version).toBe(before?.version);
  });

  it('serves the uploaded logo to patients', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    const saved = await auth.client.uploadLogo({ content: svg, contentType: 'image/svg+xml' }, as(tokens.staff!));
    expect(saved.organisation!.logo).toMatchObject({ contentType: 'image/svg+xml', sizeBytes: BigInt(svg.length) });
    const { file, content } = await download('logo', tokens.patient!);
    expect(file?.contentType).toBe('image/svg+xml');
    expect(content.equals(svg)).toBe(true);
  });

  it('is removed by staff: patients get none, its file is deleted, the change is announced; others are refused', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const events = await recordTopics(['portico.auth.v1']);
    const saved = await auth.client.uploadLogo({ content: png, contentType: 'image/png' }, as(tokens.staff!));
    const objectKey = saved.organisation!.logo!.objectKey;
    // Only staff of the clinic remove it; the logo stays.
    expect((await failure(auth.client.removeLogo({}, as(tokens.patient!)))).code).toBe(status.PERMISSION_DENIED);
    await auth.client.removeLogo({}, as(tokens.outsider!));
    expect((await download('logo', tokens.patient!)).content.equals(png)).toBe(true);

    const removed = await auth.client.removeLogo({}, as(tokens.staff!));
    expect(removed.organisation!.logo).toBeUndefined();
    expect(removed.organisation!.version).toBe(saved.organisation!.version + 1n);
    expect((await failure(download('logo', tokens.patient!))).code).toBe(status.NOT_FOUND);
    await expect(auth.service.objects.stat(objectKey)).rejects.toThrow('object not found');
    // Announced as changes of the logo: the upload, then the removal (its version).
    const logoChanges = (records: { key: string; value: Buffer }[]) =>
      records
        .filter((x) => x.key === clinicId)
        .map((x) => fromBinary(OrganisationUpdatedSchema, x.value))
        .filter((u) => u.changedFields.includes('logo') && u.version >= saved.organisation!.version);
    try {
      const records = await events.waitFor((r) => logoChanges(r).length >= 2);
      expect(logoChanges(records).map((u) => u.version)).toEqual([saved.organisation!.version, removed.organisation!.version]);
      // Removing again changes nothing.
      expect((await auth.client.removeLogo({}, as(tokens.staff!))).organisation!.version).toBe(removed.organisation!.version);
    } finally {
      await events.stop();
    }
  });
});
