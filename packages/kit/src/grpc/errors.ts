// The one shape of "your input is wrong" every service answers: INVALID_ARGUMENT with the list of
// broken rules in `x-violations` (JSON), which the gateway turns into problem+json `errors`.
import { GrpcError } from '@portico/contracts/grpc';
import { status } from '@grpc/grpc-js';

/** A rule the input broke; `message` never repeats the submitted value. */
export interface Violation {
  field: string;
  message: string;
}

export function invalidArgument(what: string, violations: Violation[]): GrpcError {
  return new GrpcError(status.INVALID_ARGUMENT, `the ${what} is not valid`, { 'x-violations': JSON.stringify(violations) });
}
