// Keycloak guards the login the gateway sends people to: five wrong passwords lock the account for
// a while (even the right password is refused then), and a new password must meet the policy.
import {
  adminAccessToken,
  BrowserSession,
  createUser,
  deleteUser,
  env,
  startPlatform,
  type RunningPlatform,
  waitUntil,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: RunningPlatform;
let patient: TestUser;

beforeAll(async () => {
  platform = await startPlatform();
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
});

afterAll(async () => {
  await platform?.stop();
  if (patient) await deleteUser(patient);
});

async function lockStatus(user: TestUser): Promise<{ disabled: boolean; numFailures: number }> {
  const response = await fetch(`${env.keycloakUrl}/admin/realms/${env.realm}/attack-detection/brute-force/users/${user.id}`, {
    headers: { authorization: `Bearer ${await adminAccessToken()}` },
  });
  return (await response.json()) as { disabled: boolean; numFailures: number };
}

describe('login protection', () => {
  it('locks the account for a while after five wrong passwords', async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      // Slower than Keycloak's quick-login check (1 s), which would lock even sooner.
      await new Promise((r) => setTimeout(r, 1_100));
      await expect(new BrowserSession(platform.gatewayUrl).logIn(patient.username, `Wrong-password-${attempt}`)).rejects.toThrow(
        /did not send the browser back/,
      );
      // Keycloak counts a failure asynchronously, after answering the login form.
      const status = await waitUntil(
        async () => {
          const now = await lockStatus(patient);
          return now.numFailures >= attempt ? now : undefined;
        },
        15_000,
        `failure ${attempt} counted`,
      );
      expect(status).toMatchObject({ disabled: attempt === 5, numFailures: attempt });
    }
    // Locked: the right password does not get in either.
    await expect(new BrowserSession(platform.gatewayUrl).logIn(patient.username, patient.password)).rejects.toThrow(
      /did not send the browser back/,
    );

    // Staff (here: the admin API) can lift the lock; then the right password works again.
    await fetch(`${env.keycloakUrl}/admin/realms/${env.realm}/attack-detection/brute-force/users/${patient.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await adminAccessToken()}` },
    });
    expect(await new BrowserSession(platform.gatewayUrl).logIn(patient.username, patient.password)).toBe('/');
  });
});
