// A test user who calls services: their token fetched once a minute (a slow machine never holds an
// expired one), and call settings that carry it with a request id and address like the gateway's.
import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { forwardedMetadata } from '@portico/kit/grpc';
import { passwordGrant, type TestUser } from './keycloak.js';

export interface Person extends TestUser {
  token(): Promise<string>;
}

export function withTokens(user: TestUser): Person {
  let cached: { token: string; at: number } | undefined;
  return {
    ...user,
    async token() {
      if (!cached || Date.now() - cached.at > 60_000) cached = { token: await passwordGrant(user), at: Date.now() };
      return cached.token;
    },
  };
}

/** Call settings as `person`, with a request id like the gateway's. */
export const callAs = async (person: Person): Promise<{ metadata: Metadata }> => ({
  metadata: forwardedMetadata(await person.token(), { 'x-request-id': randomUUID(), 'x-forwarded-for': '203.0.113.7' }),
});
