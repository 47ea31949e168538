// The one shape of "your input is wrong" every service answers: INVALID_ARGUMENT with the list of
// broken rules in `x-violations` (JSON), which the gateway turns into problem+json `errors`; and
// the table that turns every other domain error into its gRPC status, applied by the bridge.
import { GrpcError } from '@portico/contracts/grpc';
import { status } from '@grpc/grpc-js';
import {
  AlreadyExists,
  DependencyUnavailable,
  InvalidInput,
  NotAllowedNow,
  NotFound,
  NotPermitted,
  StaleVersion,
  VersionConflict,
  type Violation,
} from '../domain/index.js';

export type { Violation };

export function invalidArgument(what: string, violations: Violation[]): GrpcError {
  return new GrpcError(status.INVALID_ARGUMENT, `the ${what} is not valid`, { 'x-violations': JSON.stringify(violations) });
}

/** A service's own translation of an error it knows, or undefined to leave it to the table. */
export type ErrorTranslation = (error: unknown) => GrpcError | undefined;

const STATUS_OF: [abstract new (...args: never[]) => Error, status][] = [
  [NotFound, status.NOT_FOUND],
  [VersionConflict, status.ABORTED],
  [StaleVersion, status.FAILED_PRECONDITION],
  [NotAllowedNow, status.FAILED_PRECONDITION],
  [AlreadyExists, status.ALREADY_EXISTS],
  [NotPermitted, status.PERMISSION_DENIED],
  [DependencyUnavailable, status.UNAVAILABLE],
];

/** What the caller is answered for `error`; anything unknown is left as is (INTERNAL, logged). */
export function toGrpcError(error: unknown, translations: ErrorTranslation[] = []): unknown {
  if (error instanceof GrpcError) return error;
  for (const translate of translations) {
    const translated = translate(error);
    if (translated) return translated;
  }
  if (error instanceof InvalidInput) return invalidArgument(error.what, error.violations);
  const known = STATUS_OF.find(([type]) => error instanceof type);
  return known ? new GrpcError(known[1], (error as Error).message) : error;
}
