// Identity on every gRPC hop: read the caller's bearer token from metadata and verify it. Who may
// act for which patient is decided in ../requests (authorisePatient, authoriseStaff).
import { GrpcError } from '@portico/contracts/grpc';
import { status, type Metadata } from '@grpc/grpc-js';
import type { ActingAs } from './authorisation.js';
import { bearerToken, InvalidTokenError, type Principal, type TokenVerifier } from './token-verifier.js';

export interface Caller {
  principal: Principal;
  actingAs: ActingAs;
  patientId: string;
  /** From metadata set by the gateway, for the audit trail. */
  sourceIp: string;
  requestId: string;
}

export async function authenticate(verify: TokenVerifier, metadata: Metadata): Promise<Principal> {
  const token = bearerToken(metadata.get('authorization')[0]?.toString());
  if (!token) throw new GrpcError(status.UNAUTHENTICATED, 'missing bearer token');
  try {
    return await verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new GrpcError(status.UNAUTHENTICATED, 'invalid access token');
    throw new GrpcError(status.UNAVAILABLE, 'cannot verify access token now');
  }
}
