// Identity on every gRPC hop: read the caller's bearer token from metadata, verify it, and refuse
// access to another patient's records with NOT_FOUND, so a caller cannot even learn they exist.
import { GrpcError } from '@portico/contracts/grpc';
import { status, type Metadata } from '@grpc/grpc-js';
import { actingAs, type ActingAs } from './authorisation.js';
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

function requestOrigin(metadata: Metadata) {
  return {
    sourceIp: metadata.get('x-forwarded-for')[0]?.toString() ?? '',
    requestId: metadata.get('x-request-id')[0]?.toString() ?? '',
  };
}

export interface PatientAccessOptions {
  /** The patient's clinic when the caller knows it (staff of another clinic are refused). */
  patientClinicId?: string;
  /** Told of every refusal, e.g. to audit it, before NOT_FOUND is answered. */
  onDenied?: (denied: Omit<Caller, 'actingAs'>) => Promise<void>;
}

/** Authenticates the caller and checks they may act for `patientId`; NOT_FOUND otherwise. */
export async function authorisePatientAccess(
  verify: TokenVerifier,
  metadata: Metadata,
  patientId: string,
  options: PatientAccessOptions = {},
): Promise<Caller> {
  const principal = await authenticate(verify, metadata);
  const role = actingAs(principal, patientId, options.patientClinicId);
  if (!role) {
    await options.onDenied?.({ principal, patientId, ...requestOrigin(metadata) });
    throw new GrpcError(status.NOT_FOUND, 'patient not found');
  }
  return { principal, actingAs: role, patientId, ...requestOrigin(metadata) };
}
