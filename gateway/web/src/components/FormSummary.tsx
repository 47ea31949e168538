// The summary above a form: the gateway's problem (with the field problems no field showed), or
// "correct the fields marked below"; focused after a refused submission (useServerProblem).
import type { ReactNode, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem, ProblemFieldError } from '../app/api';
import { ProblemMessage } from './ProblemMessage';

export function FormSummary({
  server,
  hasFieldErrors,
  heading,
  children,
}: {
  server: { problem: Problem | null; other: ProblemFieldError[]; summaryRef: RefObject<HTMLDivElement | null> };
  hasFieldErrors: boolean;
  heading: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div ref={server.summaryRef} tabIndex={-1} className="form-summary">
      {server.problem && <ProblemMessage problem={server.problem} otherErrors={server.other} heading={heading} />}
      {!server.problem && hasFieldErrors && (
        <p className="problem problem--inline" role="alert">
          {t('common.correctFields')}
        </p>
      )}
      {children}
    </div>
  );
}
