// Seed step 8 through the gateway with real tokens: a coverage and its card photos sent as one
// multipart form, the photos read back byte for byte, refusals that name the field and store
// nothing (a photo over 10 MB is stopped at the gateway), and the staff's review on the staff API.
import { createUser, deleteUser, passwordGrant, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: RunningPlatform;
let patient: TestUser;
let staff: TestUser;
const tokens = { patient: '', staff: '' };

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'insurance'] });
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-ins', givenName: 'Ines', familyName: 'Alvarez' });
  staff = await createUser({ roles: ['staff'], clinicId: 'clinic-ins' });
  tokens.patient = await passwordGrant(patient);
  tokens.staff = await passwordGrant(staff);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([patient, staff].filter(Boolean).map((u) => deleteUser(u!)));
});

const call = (who: keyof typeof tokens, path: string, init: RequestInit = {}) =>
  fetch(`${platform.gatewayUrl}${path}`, { ...init, headers: { authorization: `Bearer ${tokens[who]}`, ...(init.headers ?? {}) } });

const mine = (path = '') => `/api/v1/patients/${patient.id}/insurance${path}`;

const details = (overrides: Record<string, unknown> = {}) => ({
  payerName: 'Blue Cross Blue Shield',
  planName: 'Blue Choice PPO',
  planType: 'ppo',
  memberId: 'XJH123456789',
  groupNumber: 'GRP-20417',
  subscriber: { relationship: 'self' },
  priority: 'primary',
  effectiveDate: '2026-01-01',
  copay: { amountMinor: 2500, currencyCode: 'USD' },
  ...overrides,
});

// The smallest PNG there is (1×1), and the start of a JPEG: told apart by their bytes only.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082',
  'hex',
);
const JPEG = Buffer.concat([
  Buffer.from('ffd8ffe000104a46494600010101004800480000', 'hex'),
  Buffer.alloc(64, 1),
  Buffer.from('ffd9', 'hex'),
]);

function form(fields: Record<string, unknown>, photos: Record<string, { bytes: Buffer; name: string; type: string }> = {}) {
  const body = new FormData();
  body.set('details', JSON.stringify(fields));
  for (const [name, photo] of Object.entries(photos)) body.set(name, new Blob([photo.bytes], { type: photo.type }), photo.name);
  return body;
}

const stored = () => platform.db('insurance').collection('coverages').countDocuments({ patientId: patient.id });

describe('insurance through the gateway', () => {
  let coverageId: string;

  it('adds a coverage with both photos in one form; the photos come back byte for byte, as attachments', async () => {
    const response = await call('patient', mine(), {
      method: 'POST',
      body: form(details(), {
        frontPhoto: { bytes: PNG, name: 'front.png', type: 'image/png' },
        backPhoto: { bytes: JPEG, name: 'back.jpg', type: 'image/jpeg' },
      }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const { coverage } = (await response.json()) as { coverage: Record<string, unknown> & { id: string } };
    coverageId = coverage.id;
    expect(coverage).toMatchObject({
      payerName: 'Blue Cross Blue Shield',
      priority: 'primary',
      planType: 'ppo',
      subscriber: { relationship: 'self', name: '', dateOfBirth: '' },
      copay: { amountMinor: 2500, currencyCode: 'USD' },
      verification: 'submitted',
      status: 'active',
      ended: false,
      frontPhoto: { contentType: 'image/png', sizeBytes: PNG.length },
      backPhoto: { contentType: 'image/jpeg', sizeBytes: JPEG.length },
    });
    const front = await call('staff', mine(`/${coverageId}/photos/front`));
    expect(front.status).toBe(200);
    expect(front.headers.get('content-type')).toBe('image/png');
    expect(front.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(front.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await front.arrayBuffer()).equals(PNG)).toBe(true);
    const back = await call('patient', mine(`/${coverageId}/photos/back`));
    expect(Buffer.from(await back.arrayBuffer()).equals(JPEG)).toBe(true);
  });

  it('refuses a photo over 10 MB with 413 naming it, and stores nothing', async () => {
    const before = await stored();
    const big = Buffer.concat([PNG, Buffer.alloc(12 * 1024 * 1024)]);
    const response = await call('patient', mine(), {
      method: 'POST',
      body: form(details({ priority: 'secondary' }), { frontPhoto: { bytes: big, name: 'front.png', type: 'image/png' } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ type: '/problems/payload-too-large', errors: [{ field: 'frontPhoto' }] });
    expect(await stored()).toBe(before);
  });

  it('refuses a PDF renamed .jpg, a second primary and an end before the start, naming the field', async () => {
    const before = await stored();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n');
    const cases: [FormData, string][] = [
      [form(details({ priority: 'secondary' }), { backPhoto: { bytes: pdf, name: 'card.jpg', type: 'image/jpeg' } }), 'backPhoto'],
      [form(details({ payerName: 'Cigna' })), 'priority'],
      [form(details({ priority: 'tertiary', effectiveDate: '2026-05-01', endDate: '2026-04-30' })), 'endDate'],
      [form(details({ priority: 'tertiary', planType: 'cheap' })), 'details.planType'],
    ];
    for (const [body, field] of cases) {
      const response = await call('patient', mine(), { method: 'POST', body });
      expect(response.status, field).toBe(400);
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toEqual([field]);
    }
    const notJson = new FormData();
    notJson.set('details', '{not json');
    const broken = await call('patient', mine(), { method: 'POST', body: notJson });
    expect(await broken.json()).toMatchObject({ status: 400, errors: [{ field: 'details', message: 'is not valid JSON' }] });
    expect(await stored()).toBe(before);
  });

  it('staff ask for information, the patient sees the message and edits; staff verify; patients may not', async () => {
    const asked = await call('staff', `/api/v1/staff/patients/${patient.id}/insurance/${coverageId}/request-information`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'The back photo is blurred; please take it again.' }),
    });
    expect(asked.status).toBe(200);
    const listed = (await (await call('patient', mine())).json()) as { coverages: { verification: string; informationRequest: string }[] };
    expect(listed.coverages[0]).toMatchObject({
      verification: 'needs_information',
      informationRequest: 'The back photo is blurred; please take it again.',
    });

    const edited = await call('patient', mine(`/${coverageId}`), {
      method: 'PUT',
      body: form(details({ groupNumber: 'GRP-1' }), { backPhoto: { bytes: PNG, name: 'back.png', type: 'image/png' } }),
    });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({
      coverage: { verification: 'submitted', groupNumber: 'GRP-1', backPhoto: { contentType: 'image/png' } },
    });

    const refused = await call('patient', `/api/v1/staff/patients/${patient.id}/insurance/${coverageId}/verify`, { method: 'POST' });
    expect(refused.status).toBe(403);
    const verified = await call('staff', `/api/v1/staff/patients/${patient.id}/insurance/${coverageId}/verify`, { method: 'POST' });
    expect(await verified.json()).toMatchObject({ coverage: { verification: 'verified' } });

    const history = (await (await call('staff', `/api/v1/staff/patients/${patient.id}/insurance/${coverageId}/history`)).json()) as {
      changes: { action: string; actorId: string; changedFields: string[] }[];
    };
    expect(history.changes.map((c) => [c.action, c.actorId])).toEqual([
      ['added', patient.id],
      ['information_requested', staff.id],
      ['updated', patient.id],
      ['verified', staff.id],
    ]);
    expect(history.changes[2]!.changedFields).toEqual(['groupNumber', 'backPhoto']);

    const clinic = (await (await call('staff', '/api/v1/staff/insurance?verification=verified')).json()) as {
      coverages: { id: string; patientId: string }[];
      patients: { id: string; name: string }[];
    };
    expect(clinic.coverages.map((c) => c.id)).toContain(coverageId);
    // The work list names each patient of the page.
    expect(clinic.patients).toContainEqual({ id: patient.id, name: 'Ines Alvarez' });
  });

  it('deactivates a coverage: it stays listed as inactive', async () => {
    const response = await call('patient', mine(`/${coverageId}/deactivate`), { method: 'POST' });
    expect(await response.json()).toMatchObject({ coverage: { id: coverageId, status: 'inactive' } });
  });
});
