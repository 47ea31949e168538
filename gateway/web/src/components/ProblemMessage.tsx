// Shows a problem the gateway reported (problem+json) in words a patient can act on. Field
// problems that a form placed next to its fields are left out here; the rest are listed.
import { forwardRef } from 'react';
import type { Problem, ProblemFieldError } from '../app/api';
import { readable } from '../app/formErrors';
import { problemDetail, problemTitle, supportReference } from '../app/problemWords';

export interface ProblemMessageProps {
  problem: Problem;
  /** Field problems the form could not place next to a field. */
  otherErrors?: ProblemFieldError[];
  /** A heading that says what failed, e.g. "The contact was not saved". */
  heading?: string;
}

export const ProblemMessage = forwardRef<HTMLDivElement, ProblemMessageProps>(function ProblemMessage(
  { problem, otherErrors, heading },
  ref,
) {
  const errors = otherErrors ?? problem.errors ?? [];
  const title = problemTitle(problem);
  const detail = problemDetail(problem);
  const reference = supportReference(problem);
  return (
    <div ref={ref} className="problem" role="alert" tabIndex={-1}>
      <p className="problem__title">{heading ?? title}</p>
      {heading && title !== heading && <p>{title}</p>}
      {detail && <p>{detail}</p>}
      {errors.length > 0 && (
        <ul>
          {errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              {e.field ? `${humanField(e.field)}: ` : ''}
              {readable(e.message)}
            </li>
          ))}
        </ul>
      )}
      {reference && <p className="problem__reference">{reference}</p>}
    </div>
  );
});

function humanField(field: string): string {
  const last = field.replace(/^(body|params|querystring|headers)\./, '');
  return last
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replaceAll('.', ' ')
    .toLowerCase();
}
