// Errors as application/problem+json (RFC 9457) with a stable `type` per kind of problem, and the
// translation of gRPC statuses into them. Internals never leak: unknown failures say only that.
import { status, type ServiceError } from '@grpc/grpc-js';
import type { FastifyReply } from 'fastify';

import type { ProblemBody } from './schemas.js';

type Problem = Omit<ProblemBody, 'instance' | 'requestId'>;
type FieldProblem = NonNullable<ProblemBody['errors']>[number];

const problem =
  (type: string, title: string, httpStatus: number) =>
  (detail?: string, errors?: FieldProblem[]): Problem => ({
    type: `/problems/${type}`,
    title,
    status: httpStatus,
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
  });

export const problems = {
  invalidRequest: problem('invalid-request', 'The request is not valid', 400),
  unauthenticated: problem('unauthenticated', 'Authentication is required', 401),
  forbidden: problem('forbidden', 'Not allowed', 403),
  notFound: problem('not-found', 'Not found', 404),
  conflict: problem('conflict', 'The resource was changed by someone else', 409),
  preconditionFailed: problem('precondition-failed', 'The resource has changed since it was read', 412),
  tooLarge: problem('payload-too-large', 'The request body is too large', 413),
  unsupportedMediaType: problem('unsupported-media-type', 'Send application/json', 415),
  tooManyRequests: problem('too-many-requests', 'Too many requests', 429),
  internal: problem('internal', 'Something went wrong on our side', 500),
  unavailable: problem('unavailable', 'A part of Portico is unavailable; try again shortly', 503),
  timeout: problem('timeout', 'A part of Portico did not answer in time; try again', 504),
};

/** The path the problem is about; a calendar feed's address is its credential, so never that (DESIGN rule 4: no secret in an error body). */
function instanceOf(url: string): string {
  const path = url.split('?')[0]!;
  return path.startsWith('/calendar/') ? '/calendar/{token}.ics' : path;
}

export function sendProblem(reply: FastifyReply, value: Problem): FastifyReply {
  return reply
    .code(value.status)
    .type('application/problem+json')
    .send({ ...value, instance: instanceOf(reply.request.url), requestId: reply.request.id });
}

function isServiceError(error: unknown): error is ServiceError {
  return typeof (error as ServiceError)?.code === 'number' && (error as ServiceError).metadata !== undefined;
}

function violationsOf(error: ServiceError): FieldProblem[] | undefined {
  const raw = error.metadata.get('x-violations')[0];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw.toString()) as FieldProblem[];
  } catch {
    return undefined;
  }
}

/** The problem to answer for an error a service returned (or undefined when it is not a gRPC error). */
export function problemFromGrpc(error: unknown): Problem | undefined {
  if (!isServiceError(error)) return undefined;
  switch (error.code) {
    case status.INVALID_ARGUMENT:
      return problems.invalidRequest(error.details, violationsOf(error));
    case status.NOT_FOUND:
      return problems.notFound();
    case status.UNAUTHENTICATED:
      return problems.unauthenticated();
    case status.PERMISSION_DENIED:
      return problems.forbidden();
    case status.ALREADY_EXISTS:
    case status.ABORTED:
      return problems.conflict(error.details);
    case status.FAILED_PRECONDITION:
      return problems.preconditionFailed(error.details);
    case status.RESOURCE_EXHAUSTED:
      return problems.tooManyRequests();
    case status.UNAVAILABLE:
      return problems.unavailable();
    case status.DEADLINE_EXCEEDED:
      return problems.timeout();
    default:
      return problems.internal();
  }
}
