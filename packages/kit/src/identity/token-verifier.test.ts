// The verifier against a key set served over HTTP as Keycloak serves its certs: a token is
// verified once and then answered from memory, but never past its expiry, and a token that
// failed is never taken for one that passed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, InvalidTokenError } from './token-verifier.js';

const issuer = 'http://127.0.0.1/realms/test';
const audience = 'portico-api';
let server: Server;
let jwksUrl: string;
let sign: (claims: Record<string, unknown>, expiresInSeconds: number) => Promise<string>;
let certsServed = 0;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_, res) => {
    certsServed++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  sign = (claims, expiresInSeconds) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(privateKey);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the token verifier', () => {
  it('answers a verified token again from memory, the same principal, which nobody can change', async () => {
    const verify = createTokenVerifier({ issuer, audience, jwksUrl });
    const token = await sign({ sub: 'patient-1', realm_access: { roles: ['patient'] }, clinic_id: 'clinic-a' }, 300);
    const first = await verify(token);
    expect(first).toMatchObject({ subject: 'patient-1', roles: ['patient'], clinicId: 'clinic-a' });
    expect(await verify(token)).toBe(first);
    expect(() => (first.roles as string[]).push('staff')).toThrow(TypeError);
    expect(certsServed).toBe(1);
  });

  it('refuses a token it verified once it has expired', async () => {
    const verify = createTokenVerifier({ issuer, audience, jwksUrl, clockToleranceSeconds: 0 });
    const token = await sign({ sub: 'patient-2', realm_access: { roles: ['patient'] } }, 2);
    expect((await verify(token)).subject).toBe('patient-2');
    await new Promise((resolve) => setTimeout(resolve, 2_600));
    await expect(verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('refuses a token whose signature was altered, even after the genuine one was verified', async () => {
    const verify = createTokenVerifier({ issuer, audience, jwksUrl });
    const token = await sign({ sub: 'patient-3', realm_access: { roles: ['patient'] } }, 300);
    await verify(token);
    // The same header and claims, one character of the signature changed.
    const [header, claims, signature] = token.split('.');
    const altered = `${header}.${claims}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    await expect(verify(altered)).rejects.toThrow(InvalidTokenError);
    // And a token naming another subject but signed by nobody.
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'staff-1', iss: issuer, aud: audience, exp: 9_999_999_999 })).toString('base64url')}.${signature}`;
    await expect(verify(forged)).rejects.toThrow(InvalidTokenError);
  });
});
