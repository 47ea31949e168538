// The one way the app talks to the gateway: same-origin fetch with the session cookie, the CSRF
// token on every change, JSON in and out, and errors turned into the gateway's problem+json
// shape so every screen can show them the same way. Tokens never reach this code: the session is
// an HttpOnly cookie the browser sends by itself.
import type { components, paths } from './api-types';
import { t } from './i18n';

/** What the gateway answers when it refuses (problem+json); `type` is missing when the app made it up. */
export type Problem = Omit<components['schemas']['Problem'], 'type'> & { type?: string };
/** Where the gateway found a problem, e.g. `body.email`, `body.address.postalCode`, `phone`. */
export type ProblemFieldError = NonNullable<Problem['errors']>[number];

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title} ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
}

/** What the app shows when the gateway could not be reached at all. */
export function offlineProblem(): Problem {
  return { title: t('problems.offline.title'), detail: t('problems.offline.detail'), status: 0 };
}

let csrfToken: string | null = null;
let redirecting = false;

/** The session provider hands over the token it read from /api/v1/me. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function loginUrl(returnTo: string = currentPath()): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}

export function currentPath(): string {
  return `${window.location.pathname}${window.location.search}${window.location.hash}`;
}

/** Sends the browser to the login page once; the promise never settles so no screen flashes an error. */
export function redirectToLogin(): Promise<never> {
  if (!redirecting) {
    redirecting = true;
    window.location.assign(loginUrl());
  }
  return new Promise<never>(() => {});
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A plain object is sent as JSON; a Blob (a chosen file) or a FormData is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const CHANGES = new Set(['POST', 'PUT', 'DELETE']);

/** For the few addresses outside the API document (the login routes); the API goes through call(). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    // A multipart form (card photos with their details): the browser writes its content type and boundary.
    body = options.body;
  } else if (options.body instanceof Blob) {
    body = options.body;
    headers['content-type'] ??= options.body.type || 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  if (CHANGES.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal ?? null });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(offlineProblem());
  }

  if (response.status === 401) return redirectToLogin();
  if (!response.ok) throw new ApiError(await problemOf(response));
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await response.json()) as T;
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      return {
        ...body,
        title: body.title || fallbackTitle(response.status),
        status: body.status ?? response.status,
      };
    } catch {
      // fall through to a generic problem
    }
  }
  return { title: fallbackTitle(response.status), status: response.status };
}

function fallbackTitle(status: number): string {
  if (status === 403) return t('problems.forbidden');
  if (status === 404) return t('problems.notFound');
  if (status === 409 || status === 412) return t('problems.conflict');
  if (status === 413) return t('problems.tooLarge');
  if (status === 429) return t('problems.tooManyRequests');
  if (status >= 500) return t('problems.serverError');
  return t('problems.other');
}

type Method = 'get' | 'post' | 'put' | 'delete';
type Path = keyof paths;
/** The gateway's paths that answer `M`. */
type PathWith<M extends Method> = { [P in Path]: paths[P][M] extends undefined ? never : P }[Path];
type Operation<P extends Path, M extends Method> = NonNullable<paths[P][M]>;
type Success = 200 | 201 | 204;
/** What a successful answer carries: its JSON body, or nothing (204). */
type Answer<O> = O extends { responses: infer R }
  ? { [S in keyof R & Success]: R[S] extends { content: { 'application/json': infer B } } ? B : undefined }[keyof R & Success]
  : never;
/** What the operation takes: its JSON body, or the bytes of a file for the uploads. */
type Body<C> = 'application/json' extends keyof C ? C['application/json' & keyof C] : Blob;
type BodyOption<O> = O extends { requestBody: { content: infer C } }
  ? { body: Body<C> }
  : O extends { requestBody?: { content: infer C } }
    ? { body?: Body<C> }
    : { body?: never };
type PathOption<O> = O extends { parameters: { path: infer A } } ? { path: A } : { path?: never };
/** The query string an operation reads (`?period=upcoming&pageSize=10`), when it reads one. */
type QueryOption<O> = O extends { parameters: { query?: infer Q } }
  ? [Q] extends [undefined]
    ? { query?: never }
    : { query?: Q }
  : { query?: never };
/** The JSON body an operation takes, e.g. RequestBodyOf<'/api/v1/staff/invitations', 'post'>. */
export type RequestBodyOf<P extends Path, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
export type CallOptions<O> = BodyOption<O> & PathOption<O> & QueryOption<O> & { headers?: Record<string, string>; signal?: AbortSignal };

/** `/api/v1/patients/{patientId}/contacts` with `{ patientId }` → the address, each part encoded. */
function address(template: string, values: Record<string, string> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values?.[name];
    if (value === undefined) throw new Error(`${template}: no value for ${name}`);
    return encodeURIComponent(value);
  });
}

/** `{ period: 'past', pageToken: undefined }` → `?period=past`; the parts left out are not sent. */
export function searchOf(values: Record<string, string | undefined> | undefined): string {
  const given = Object.entries(values ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return given.length ? `?${new URLSearchParams(given)}` : '';
}

/** One operation of the gateway's API, typed by its OpenAPI document (api-types.ts). */
export function call<M extends Method, P extends PathWith<M>>(
  method: M,
  path: P,
  ...[options]: object extends CallOptions<Operation<P, M>> ? [CallOptions<Operation<P, M>>?] : [CallOptions<Operation<P, M>>]
): Promise<Answer<Operation<P, M>>> {
  const given: {
    body?: unknown;
    headers?: Record<string, string>;
    signal?: AbortSignal;
    path?: Record<string, string>;
    query?: Record<string, string | undefined>;
  } = (options as unknown) ?? {};
  const { body, headers, signal } = given;
  return request(`${address(path, given.path)}${searchOf(given.query)}`, {
    method: method.toUpperCase() as RequestOptions['method'],
    ...(body !== undefined ? { body } : {}),
    ...(headers ? { headers } : {}),
    ...(signal ? { signal } : {}),
  });
}

export function problemOfError(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return { title: t('problems.appError.title'), detail: t('problems.appError.detail'), status: 0 };
}

/** A fresh Idempotency-Key, one per form opened: a retried or doubled "Add" makes one thing. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/**
 * Sends a chosen file as the request body (streamed by the browser, never read into memory here),
 * reporting how much has gone: fetch cannot tell upload progress, XMLHttpRequest can. The name
 * goes URI-encoded in X-File-Name; the gateway answers like every other call.
 */
export function sendFile<T>(
  path: string,
  file: Blob & { name?: string },
  options: { onProgress?: (sent: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (file.name) xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onerror = () => reject(new ApiError(offlineProblem()));
    xhr.onabort = () => reject(new DOMException('The upload was stopped', 'AbortError'));
    xhr.onload = () => {
      if (xhr.status === 401) return void redirectToLogin();
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const problem = (body ?? {}) as Partial<Problem>;
      reject(new ApiError({ ...problem, title: problem.title || fallbackTitle(xhr.status), status: problem.status ?? xhr.status }));
    };
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
