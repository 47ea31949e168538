// Every kind of problem the gateway can answer with has words of the catalog for the person
// reading it: the gateway's English titles ("The resource was changed by someone else") never
// reach the screen, a service's detail only as a sentence where it helps, and a reference to
// quote only when something broke on our side. A new problem type fails this test until the
// catalog says it in people's words.
import { describe, expect, it } from 'vitest';
import { problems } from '../../src/http/problem';
import { readable } from '../src/app/formErrors';
import { problemDetail, problemTitle, problemTypeKey, supportReference } from '../src/app/problemWords';

const all = Object.entries(problems).map(([name, make]) => ({ name, problem: { ...make(), requestId: 'req-42' } }));

describe('the words of every problem type', () => {
  it.each(all)('$name has its own words in the catalog, not the gateway’s title', ({ problem }) => {
    const type = problem.type.replace('/problems/', '');
    expect(problemTypeKey(type), `messages/en.json has no problems.types.${type}`).toBeDefined();
    const title = problemTitle(problem);
    expect(title).not.toBe(problem.title);
    expect(title).toMatch(/^[A-Z].*[.!]$/);
    // Only failures on our side carry a reference to quote.
    expect(Boolean(supportReference(problem))).toBe(problem.status >= 500);
  });

  it('shows what a conflict is about as a sentence, and a bad request’s detail only when no field says more', () => {
    expect(problemDetail(problems.conflict('an invitation for this email is pending'))).toBe('An invitation for this email is pending.');
    expect(
      problemDetail(problems.invalidRequest('the organisation is not valid', [{ field: 'body.name', message: 'is required' }])),
    ).toBeUndefined();
    expect(problemDetail(problems.notFound('contact 6e28 of patient 91ab'))).toBeUndefined();
    expect(supportReference({ ...problems.internal(), requestId: 'req-42' })).toMatch(/quote this reference: req-42/);
  });

  it('puts the services’ field messages in people’s words', () => {
    expect(readable('must be in international format (+...) or come with phone_region')).toBe(
      'Enter the number in international format (starting with +), or choose its country.',
    );
    expect(readable('must match format "email"')).toBe('Enter an email address like name@example.org.');
    expect(readable('must NOT have more than 200 characters')).toBe('Use at most 200 characters.');
  });
});
