// The clinic's profile as Home shows it is kept by the gateway for a short while, per clinic: each
// clinic's patients see their own clinic; a change staff make through the gateway shows at once;
// one made behind its back (another gateway replica, the auth service directly) shows once the
// kept view has expired.
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { createUser, deleteUser, passwordGrant, startPlatform, waitUntil, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const KEPT_SECONDS = 3;
let platform: RunningPlatform;
const users: TestUser[] = [];

beforeAll(async () => {
  platform = await startPlatform({
    services: ['auth', 'documents'],
    gatewayEnvironment: { ORGANISATION_CACHE_SECONDS: String(KEPT_SECONDS) },
  });
});

afterAll(async () => {
  await platform?.stop();
  for (const user of users) await deleteUser(user);
});

async function user(role: 'patient' | 'staff', clinicId: string) {
  const created = await createUser({ roles: [role], clinicId });
  users.push(created);
  return passwordGrant(created);
}

const home = async (token: string) => {
  const response = await fetch(`${platform.gatewayUrl}/api/v1/organisation`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as { name: string; welcomeMessage: string; version: number };
};

const saveProfile = (token: string, name: string, welcomeMessage: string) =>
  fetch(`${platform.gatewayUrl}/api/v1/staff/organisation`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, welcomeMessage, portalUrl: platform.gatewayUrl, timeZone: 'UTC' }),
  });

describe("the clinic's profile kept for Home", () => {
  it("answers each clinic's patients with their own clinic, and shows a change through the gateway at once", async () => {
    const [staffA, staffB, patientA, patientB] = await Promise.all([
      user('staff', 'cache-clinic-a'),
      user('staff', 'cache-clinic-b'),
      user('patient', 'cache-clinic-a'),
      user('patient', 'cache-clinic-b'),
    ]);
    expect((await saveProfile(staffA, 'Alder Clinic', 'Welcome to Alder.')).status).toBe(200);
    expect((await saveProfile(staffB, 'Birch Clinic', 'Welcome to Birch.')).status).toBe(200);
    expect(await home(patientA)).toMatchObject({ name: 'Alder Clinic' });
    expect(await home(patientB)).toMatchObject({ name: 'Birch Clinic' });
    // Asked again while both are kept: still each their own.
    expect(await home(patientB)).toMatchObject({ name: 'Birch Clinic' });
    expect(await home(patientA)).toMatchObject({ name: 'Alder Clinic' });

    expect((await saveProfile(staffA, 'Alder Clinic', 'New opening hours from Monday.')).status).toBe(200);
    expect(await home(patientA)).toMatchObject({ welcomeMessage: 'New opening hours from Monday.', version: 2 });
    expect(await home(patientB)).toMatchObject({ welcomeMessage: 'Welcome to Birch.' });
  });

  it('shows a change made behind the gateway once the kept view expires', async () => {
    const [staff, patient] = await Promise.all([user('staff', 'cache-clinic-c'), user('patient', 'cache-clinic-c')]);
    expect((await saveProfile(staff, 'Cedar Clinic', 'Welcome to Cedar.')).status).toBe(200);
    expect(await home(patient)).toMatchObject({ welcomeMessage: 'Welcome to Cedar.' });

    // As another gateway replica would: straight to the auth service.
    const auth = connectService(AuthService, platform.address('auth'));
    try {
      await auth.updateOrganisation(
        { profile: { name: 'Cedar Clinic', welcomeMessage: 'Closed on Friday.', portalUrl: platform.gatewayUrl, timeZone: 'UTC' } },
        { metadata: forwardedMetadata(staff) },
      );
    } finally {
      auth.close();
    }
    const changedAt = Date.now();
    expect(await home(patient)).toMatchObject({ welcomeMessage: 'Welcome to Cedar.' });
    await waitUntil(async () => ((await home(patient)).welcomeMessage === 'Closed on Friday.' ? true : undefined), 15_000, 'the change');
    expect(Date.now() - changedAt).toBeGreaterThanOrEqual((KEPT_SECONDS - 1) * 1000);
  });
});
