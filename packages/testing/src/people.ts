// Call settings as a test person: their token (withTokens, refreshed once a minute) with a
// request id and address like the gateway's.
import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { forwardedMetadata } from '@portico/kit/grpc';
import type { Person } from './keycloak.js';

/** Call settings as `person`, with a request id like the gateway's. */
export const callAs = async (person: Person): Promise<{ metadata: Metadata }> => ({
  metadata: forwardedMetadata(await person.token(), { 'x-request-id': randomUUID(), 'x-forwarded-for': '203.0.113.7' }),
});
