// The staff workspace's way in: staff find their clinic's patients by name or email, page through
// them, and open one patient's header (name, email, guardians). Staff of another clinic never see
// them, and patients and guardians are refused the list.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clinicA = `clinic-${randomUUID().slice(0, 8)}`;
const clinicB = `clinic-${randomUUID().slice(0, 8)}`;
// A family name no other test's user has, so a search finds only this test's people.
const family = `Quill${randomUUID().slice(0, 6)}`;
let platform: RunningPlatform;
const users: TestUser[] = [];
let staffA: string;
let staffB: string;
let patientToken: string;
let guardianToken: string;
let ada: TestUser;
let bea: TestUser;
let cyd: TestUser;
let guardian: TestUser;

const make = async (options: Parameters<typeof createUser>[0]) => {
  const user = await createUser(options);
  users.push(user);
  return user;
};

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'audit'] });
  const [staffOfA, staffOfB] = await Promise.all([
    make({ roles: ['staff'], clinicId: clinicA }),
    make({ roles: ['staff'], clinicId: clinicB }),
  ]);
  [ada, bea, cyd] = await Promise.all([
    make({ roles: ['patient'], clinicId: clinicA, givenName: 'Ada', familyName: family, dateOfBirth: '1990-03-14' }),
    make({ roles: ['patient'], clinicId: clinicA, givenName: 'Bea', familyName: family, dateOfBirth: '1985-07-01' }),
    make({ roles: ['patient'], clinicId: clinicA, givenName: 'Cyd', familyName: family }),
  ]);
  // Same family name, other clinic: must never show to clinic A.
  await make({ roles: ['patient'], clinicId: clinicB, givenName: 'Dot', familyName: family, dateOfBirth: '1990-03-14' });
  guardian = await make({ roles: ['guardian'], clinicId: clinicA, patients: [ada.id], givenName: 'Gus', familyName: family });
  [staffA, staffB, patientToken, guardianToken] = await Promise.all([
    passwordGrant(staffOfA),
    passwordGrant(staffOfB),
    passwordGrant(ada),
    passwordGrant(guardian),
  ]);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all(users.map((u) => deleteUser(u)));
});

const get = (token: string, path: string) => fetch(`${platform.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

interface PatientsPage {
  patients: { id: string; name: string; email: string; enabled: boolean; dateOfBirth: string | null }[];
  nextPageToken: string;
}

/** Every page of a search, following the tokens. */
async function allPages(token: string, query: string, pageSize: number, dateOfBirth = ''): Promise<PatientsPage['patients']> {
  const found: PatientsPage['patients'] = [];
  let pageToken = '';
  do {
    const params = new URLSearchParams({
      query,
      pageSize: String(pageSize),
      ...(dateOfBirth ? { dateOfBirth } : {}),
      ...(pageToken ? { pageToken } : {}),
    });
    const response = await get(token, `/api/v1/staff/patients?${params}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as PatientsPage;
    expect(page.patients.length).toBeLessThanOrEqual(pageSize);
    found.push(...page.patients);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return found;
}

describe("the clinic's patients for staff", () => {
  it('finds the patients of the clinic by family name, page by page, without guardians or another clinic’s patients', async () => {
    const found = await allPages(staffA, family, 2);
    expect(found.map((p) => p.name).sort()).toEqual([`Ada ${family}`, `Bea ${family}`, `Cyd ${family}`]);
    expect(found.find((p) => p.id === bea.id)).toMatchObject({ email: `${bea.username}@example.org`, enabled: true });
  });

  it('narrows to one patient by given and family name, or by email', async () => {
    expect((await allPages(staffA, `cyd ${family}`, 10)).map((p) => p.id)).toEqual([cyd.id]);
    expect((await allPages(staffA, `${ada.username}@example.org`, 10)).map((p) => p.id)).toEqual([ada.id]);
  });

  it('finds a patient by date of birth, alone or with words of the name, never another clinic’s patient born that day', async () => {
    const born = await allPages(staffA, '', 10, '1990-03-14');
    expect(born.map((p) => p.id)).toEqual([ada.id]);
    expect(born[0]).toMatchObject({ dateOfBirth: '1990-03-14' });
    expect((await allPages(staffA, `ada ${family}`, 10, '1990-03-14')).map((p) => p.id)).toEqual([ada.id]);
    expect(await allPages(staffA, 'bea', 10, '1990-03-14')).toEqual([]);
    const everyone = await allPages(staffA, family, 10);
    expect(everyone.find((p) => p.id === cyd.id)).toMatchObject({ dateOfBirth: null });
    const bad = await get(staffA, `/api/v1/staff/patients?dateOfBirth=1990-02-30`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/date_?of_?birth/i);
  });

  it('lists the clinic’s patients without a search', async () => {
    const everyone = await allPages(staffA, '', 50);
    expect(everyone.map((p) => p.id).sort()).toEqual([ada.id, bea.id, cyd.id].sort());
  });

  it('shows staff of another clinic only their own patients', async () => {
    const found = await allPages(staffB, family, 10);
    expect(found.map((p) => p.name)).toEqual([`Dot ${family}`]);
  });

  it('opens one patient’s header with their guardians, and is 404 to staff of another clinic', async () => {
    const response = await get(staffA, `/api/v1/staff/patients/${ada.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      patient: { id: ada.id, name: `Ada ${family}`, email: `${ada.username}@example.org`, enabled: true },
      guardians: [{ id: guardian.id, name: `Gus ${family}` }],
    });
    expect((await get(staffB, `/api/v1/staff/patients/${ada.id}`)).status).toBe(404);
    expect((await get(staffA, `/api/v1/staff/patients/${guardian.id}`)).status).toBe(404);
  });

  it('refuses the list and the header to patients and guardians', async () => {
    for (const token of [patientToken, guardianToken]) {
      expect((await get(token, `/api/v1/staff/patients?query=${family}`)).status).toBe(403);
      expect((await get(token, `/api/v1/staff/patients/${ada.id}`)).status).toBe(403);
    }
  });

  it('refuses a search that is too long or a page token it never gave out', async () => {
    expect((await get(staffA, `/api/v1/staff/patients?query=${'x'.repeat(101)}`)).status).toBe(400);
    expect((await get(staffA, `/api/v1/staff/patients?pageToken=bm90LWEtbnVtYmVy`)).status).toBe(400);
  });
});
