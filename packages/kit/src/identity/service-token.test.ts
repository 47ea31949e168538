// The client-credentials token source against the real Keycloak: one token shared by concurrent
// callers and kept until near its expiry, a new one after invalidate(), and failures that say why
// without the secret.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ServiceTokenError, serviceTokenSource, tokenEndpointOf } from './service-token.js';

const issuer = process.env.OIDC_ISSUER ?? 'http://127.0.0.1:8180/realms/portico';
const notifications = {
  tokenUrl: tokenEndpointOf(issuer),
  clientId: 'portico-notifications',
  clientSecret: 'portico-notifications-dev-secret',
};

describe('a service token source', () => {
  it('fetches one token for concurrent callers and keeps it until near expiry', async () => {
    const source = serviceTokenSource(notifications);
    const tokens = await Promise.all(Array.from({ length: 5 }, () => source.token()));
    expect(new Set(tokens).size).toBe(1);
    expect(await source.token()).toBe(tokens[0]);
    const claims = decodeJwt(tokens[0]!);
    expect(claims.azp).toBe('portico-notifications');
    // One audience is a string in the token, several an array (a realm that grew other clients' scopes).
    expect([claims.aud].flat()).toContain('portico-api');
    const metadata = (await source.callOptions({ 'x-request-id': 'r1' })).metadata;
    expect(metadata.get('authorization')).toEqual([`Bearer ${tokens[0]}`]);

    source.invalidate();
    expect(decodeJwt(await source.token()).jti).not.toBe(decodeJwt(tokens[0]!).jti);
  });

  it('renews a token whose life is shorter than the margin at half its life', async () => {
    const source = serviceTokenSource({ ...notifications, renewBeforeMs: 10 * 60_000 });
    const first = await source.token();
    // Keycloak's tokens live 5 minutes here: with a 10-minute margin they are kept 2.5 minutes, not refetched each call.
    expect(await source.token()).toBe(first);
  });

  it('says why no token came, never with the secret', async () => {
    const refused = await serviceTokenSource({ ...notifications, clientSecret: 'wrong-secret' })
      .token()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceTokenError);
    expect(refused).toMatchObject({ status: 401 });
    expect(String((refused as Error).message)).not.toContain('wrong-secret');

    const unreachable = await serviceTokenSource({ ...notifications, tokenUrl: 'http://127.0.0.1:9/token' })
      .token()
      .catch((e: unknown) => e);
    expect(unreachable).toMatchObject({ name: 'ServiceTokenError', status: 0 });
  });
});
