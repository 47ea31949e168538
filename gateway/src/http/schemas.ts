// Schemas every area of the API shares: ids, the Problem body of every error, the patient in the
// path, and If-Match. Declared once with TypeBox, they validate requests, type the handlers and
// write the OpenAPI document.
import { Type, type Static, type TSchema, type TUnsafe } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });

/** A string of at most `maxLength` characters; the services apply the domain's own rules too. */
export const Text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) });

/** One of the given names, as a plain string enum (clearer errors and OpenAPI than a union of literals). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CountryCode = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' });

export const FieldProblem = Type.Object({ field: Type.String(), message: Type.String() });

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'Stable identifier of the kind of problem, e.g. /problems/not-found' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldProblem)),
  },
  { $id: 'Problem', description: 'An error, as application/problem+json (RFC 9457)' },
);
export type ProblemBody = Static<typeof Problem>;

/** A reference to a schema registered with addSchema: one component in the document, its type in code. */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') throw new Error('only a schema with an $id, registered with addSchema, can be referenced');
  return Type.Unsafe<Static<T>>({ $ref: `${id}#` });
}

/** Problem responses for the given statuses, documented with their media type, application/problem+json. */
export const problemResponses = <S extends number>(...statuses: S[]) => {
  const response = { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: ref(Problem) } } };
  return Object.fromEntries(statuses.map((s) => [s, response])) as Record<S, typeof response>;
};

export const PatientParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });

/** Paging of a list: the query parameters (text, since the gateway does not coerce types) and what they ask the service for. */
export const PageQuery = {
  pageSize: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: 'Entries per page, 1 to 100; 50 when absent' })),
  pageToken: Type.Optional(Type.String({ maxLength: 200, description: 'The nextPageToken of the previous page' })),
};
export const NextPageToken = Type.String({ description: 'Empty on the last page' });
export const pageRequest = (query: { pageSize?: string; pageToken?: string }) => ({
  pageSize: query.pageSize ? Number(query.pageSize) : 0,
  pageToken: query.pageToken ?? '',
});

/** Makes a create safe to retry: the same key returns what the first request made. */
export const IdempotencyKeyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{8,128}$' })),
});

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      pattern: '^"?\\d{1,16}"?$',
      description: 'The version you read (e.g. "3"): the change is refused when someone changed the resource meanwhile',
    }),
  ),
});

/** Versions are counted from 1 and cross the wire as JSON numbers, so none exceeds this. */
const HIGHEST_VERSION = BigInt(Number.MAX_SAFE_INTEGER);

export class RequestProblem extends Error {
  constructor(
    readonly detail: string,
    readonly errors: Static<typeof FieldProblem>[] = [],
  ) {
    super(detail);
    this.name = 'RequestProblem';
  }
}

/** The version an If-Match header names; 0 (no expectation) without one. */
export function expectedVersion(ifMatch: string | undefined): bigint {
  if (ifMatch === undefined) return 0n;
  const version = BigInt(ifMatch.replaceAll('"', ''));
  if (version > HIGHEST_VERSION)
    throw new RequestProblem('If-Match names a version no resource has.', [{ field: 'headers.if-match', message: 'is not a version' }]);
  return version;
}
