// Every hop checks who is asking and for whom: another patient's contacts answer 404 and stay as
// they were; a guardian reaches only the patients in their token; bad tokens get 401.
import { generateKeyPair, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import {
  createUser,
  deleteUser,
  passwordGrant,
  shortLivedClient,
  startPlatform,
  type RunningPlatform,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Short, yet longer than the 1 s token can be old by the time it is first used. */
const TOLERANCE_SECONDS = 2;

let platform: RunningPlatform;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let guardian: TestUser;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  // A clock tolerance of 2 s instead of 5 lets the expiry case wait less; nothing else here depends on it.
  platform = await startPlatform({ gatewayEnvironment: { OIDC_CLOCK_TOLERANCE_SECONDS: String(TOLERANCE_SECONDS) } });
  [alice, bob, carol] = await Promise.all([1, 2, 3].map(() => createUser({ roles: ['patient'], clinicId: 'clinic-a' })));
  guardian = await createUser({ roles: ['guardian'], patients: [alice!.id, bob!.id], clinicId: 'clinic-a' });
  for (const [name, user] of Object.entries({ alice, bob, carol, guardian })) tokens[name] = await passwordGrant(user!);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([alice, bob, carol, guardian].filter(Boolean).map((u) => deleteUser(u!)));
});

function call(token: string, patientId: string, path = '', init: RequestInit = {}) {
  return fetch(`${platform.gatewayUrl}/api/v1/patients/${patientId}/contacts${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
}
const newContact = (name: string) => ({ method: 'POST', body: JSON.stringify({ name, email: 'x@example.org', purposes: ['other'] }) });

describe('who may act for whom', () => {
  it('hides a patient’s contacts from another patient and lets nothing change', async () => {
    const created = await (await call(tokens.alice!, alice.id, '', newContact('Alice Friend'))).json();
    const contactId = created.contact.id;

    for (const [path, init] of [
      ['', {}],
      [`/${contactId}`, {}],
      ['', newContact('Intruder')],
      [`/${contactId}`, { method: 'PUT', body: JSON.stringify({ name: 'Hijacked', purposes: ['other'] }) }],
      [`/${contactId}/inactivate`, { method: 'POST' }],
    ] as const) {
      const response = await call(tokens.bob!, alice.id, path, init);
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.text()).not.toContain('Alice Friend');
    }
    // Bob reaching Alice's contact through his own patient id finds nothing either.
    expect((await call(tokens.bob!, bob.id, `/${contactId}`)).status).toBe(404);

    const docs = await platform.db('contacts').collection('contacts').find({ patientId: alice.id }).toArray();
    expect(docs.map((d) => [d.details.name, d.status, d.version])).toEqual([['Alice Friend', 'active', 1]]);
    expect(await platform.db('contacts').collection('contacts').countDocuments({ 'details.name': 'Intruder' })).toBe(0);
  });

  it('lets a guardian act for the patients listed in their token, and no other', async () => {
    expect((await call(tokens.guardian!, alice.id, '', newContact('For Alice'))).status).toBe(201);
    expect((await call(tokens.guardian!, bob.id, '', newContact('For Bob'))).status).toBe(201);
    const bobsList = await (await call(tokens.guardian!, bob.id)).json();
    expect(bobsList.contacts.map((c: { name: string }) => c.name)).toEqual(['For Bob']);

    expect((await call(tokens.guardian!, carol.id)).status).toBe(404);
    expect((await call(tokens.guardian!, carol.id, '', newContact('For Carol'))).status).toBe(404);
    // A guardian is not a patient: their own id is not theirs to act for.
    expect((await call(tokens.guardian!, guardian.id)).status).toBe(404);
    expect(await platform.db('contacts').collection('contacts').countDocuments({ patientId: carol.id })).toBe(0);
  });

  it('refuses a request without a token, with a forged token, with a wrong audience, or with an expired token', async () => {
    const without = await fetch(`${platform.gatewayUrl}/api/v1/patients/${alice.id}/contacts`);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toBe('Bearer');

    // Same claims and key id as a real token, signed with a key Keycloak never issued.
    const real = decodeJwt(tokens.alice!);
    const { kid } = decodeProtectedHeader(tokens.alice!);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(real).setProtectedHeader({ alg: 'RS256', kid: kid! }).sign(privateKey);
    expect((await call(forged, alice.id)).status).toBe(401);

    // A genuine Keycloak token issued to a client that is not meant for the Portico API.
    const otherAudience = await passwordGrant(alice, { id: 'portico-other', secret: 'portico-other-dev-secret' });
    expect(decodeJwt(otherAudience).aud ?? []).not.toContain('portico-api');
    expect((await call(otherAudience, alice.id)).status).toBe(401);

    // A genuine token that lives one second, used after it expired. The gateway allows 2 s of clock
    // skew here (instead of 5), so the test waits out the token and that short tolerance only.
    const client = await shortLivedClient();
    try {
      const shortLived = await passwordGrant(alice, client);
      expect((await call(shortLived, alice.id)).status).toBe(200);
      const refusedFromMs = (decodeJwt(shortLived).exp! + TOLERANCE_SECONDS) * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, refusedFromMs - Date.now())));
      const expired = await call(shortLived, alice.id);
      expect(expired.status).toBe(401);
      expect((await expired.json()).type).toBe('/problems/unauthenticated');
    } finally {
      await client.remove();
    }
  });
});
