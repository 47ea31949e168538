// The Keycloak realm the invitations rely on, as it runs (deploy/keycloak/portico-realm.json):
// a temporary password must be changed at first login, passwords follow the policy, repeated
// failures lock an account for a while, a second factor can be set up, tokens are short-lived.
import { adminAccessToken, env } from '@portico/testing';
import { describe, expect, it } from 'vitest';

async function admin<T>(path: string): Promise<T> {
  const response = await fetch(`${env.keycloakUrl}/admin/realms/${env.realm}${path}`, {
    headers: { authorization: `Bearer ${await adminAccessToken()}` },
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

describe('the portico realm', () => {
  it('forces the password change, offers one-time passwords, and limits guessing and token life', async () => {
    const realm = await admin<Record<string, unknown>>('');
    expect(realm).toMatchObject({
      passwordPolicy: 'length(12) and notUsername and passwordHistory(3)',
      bruteForceProtected: true,
      failureFactor: 5,
      permanentLockout: false,
      accessTokenLifespan: 300,
      otpPolicyType: 'totp',
    });
    expect(realm.waitIncrementSeconds).toBeGreaterThan(0);
    const actions = await admin<{ alias: string; enabled: boolean }[]>('/authentication/required-actions');
    const enabled = actions.filter((a) => a.enabled).map((a) => a.alias);
    expect(enabled).toEqual(expect.arrayContaining(['UPDATE_PASSWORD', 'CONFIGURE_TOTP']));
  });
});
