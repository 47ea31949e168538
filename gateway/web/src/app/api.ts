// The one way the app talks to the gateway: same-origin fetch with the session cookie, the CSRF
// token on every change, JSON in and out, and errors turned into the gateway's problem+json
// shape so every screen can show them the same way. Tokens never reach this code: the session is
// an HttpOnly cookie the browser sends by itself.
import { t } from './i18n';

export interface ProblemFieldError {
  /** Where the gateway found the problem, e.g. `body.email`, `body.address.postalCode`, `phone`. */
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemFieldError[];
  requestId?: string;
}

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
  /** A plain object is sent as JSON; a Blob (a chosen file) is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const CHANGES = new Set(['POST', 'PUT', 'DELETE']);

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof Blob) {
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

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>(path, signal ? { signal } : {}),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>(path, { method: 'POST', body, ...(headers ? { headers } : {}) }),
  put: <T>(path: string, body: unknown, headers?: Record<string, string>) =>
    request<T>(path, { method: 'PUT', body, ...(headers ? { headers } : {}) }),
  delete: <T>(path: string) => request<T>(path, { method: 'DELETE' }),
};

export function problemOfError(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return { title: t('problems.appError.title'), detail: t('problems.appError.detail'), status: 0 };
}

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
