// What a refused gRPC call says, as a test reads it: its error, and the field violations the
// kit's bridge puts in the `x-violations` trailer.
import type { ServiceError } from '@grpc/grpc-js';

/** The gRPC error `call` ended with; throws when it succeeded instead. */
export async function failure(call: Promise<unknown>): Promise<ServiceError> {
  const outcome = await call.then(
    () => ({ failed: false as const }),
    (error: unknown) => ({ failed: true as const, error: error as ServiceError }),
  );
  if (!outcome.failed) throw new Error('the call should have failed, and it succeeded');
  return outcome.error;
}

/** The {field, message} list of an INVALID_ARGUMENT answer (empty when there is none). */
export function violationsOf(error: ServiceError): { field: string; message: string }[] {
  return JSON.parse(String(error.metadata.get('x-violations')[0] ?? '[]')) as { field: string; message: string }[];
}
