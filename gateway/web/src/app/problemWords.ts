// What a person reads when the gateway refuses something: the catalog's words for each kind of
// problem (its `type`), never the gateway's English title; a service's detail only where it says
// what to do about it, in sentence form; and a reference to quote only when something broke on
// our side and support may need it. gateway/web/test/problem-words.test.ts walks every type.
import type { Problem } from './api';
import { readable } from './formErrors';
import { i18n, t, type MessageKey } from './i18n';

const typeOf = (problem: Problem) => /^\/problems\/([a-z-]+)$/.exec(problem.type ?? '')?.[1];

/** The catalog key for a problem type, when the catalog has one. */
export function problemTypeKey(type: string): MessageKey | undefined {
  const key = `problems.types.${type}`;
  return i18n.exists(key) ? (key as MessageKey) : undefined;
}

export function problemTitle(problem: Problem): string {
  const type = typeOf(problem);
  const key = type ? problemTypeKey(type) : undefined;
  if (key) return t(key) as string;
  if (problem.status === 403) return t('problems.forbidden');
  if (problem.status === 404) return t('problems.notFound');
  if (problem.status === 409 || problem.status === 412) return t('problems.conflict');
  if (problem.status === 413) return t('problems.tooLarge');
  if (problem.status === 429) return t('problems.tooManyRequests');
  if (problem.status >= 500) return t('problems.serverError');
  return problem.title || t('problems.other');
}

/** A service's own explanation, when it tells the person something the title does not. */
export function problemDetail(problem: Problem): string | undefined {
  if (!problem.detail) return undefined;
  const type = typeOf(problem);
  // What already exists or changed ("an invitation for this email is pending") is worth reading;
  // a bad request's detail only when no field says what is wrong.
  if (type === 'conflict' || type === 'precondition-failed') return readable(problem.detail);
  if (type === 'invalid-request' && !(problem.errors?.length ?? 0)) return readable(problem.detail);
  return undefined;
}

/** "Quote this reference" only for failures on our side (5xx): the clinic's support can find it. */
export function supportReference(problem: Problem): string | undefined {
  return problem.requestId && problem.status >= 500 ? t('problems.supportReference', { requestId: problem.requestId }) : undefined;
}
