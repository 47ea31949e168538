// The shape every rule in this service reports a problem in, so the gRPC layer can answer
// INVALID_ARGUMENT with one `x-violations` list whatever was wrong.
import type { z } from 'zod';

/** A rule a submission broke; `message` never repeats the submitted value. */
export interface Violation {
  field: string;
  message: string;
}

export class InvalidSubmissionError extends Error {
  constructor(
    readonly what: string,
    readonly violations: Violation[],
  ) {
    super(`invalid ${what}: ${violations.map((v) => `${v.field} ${v.message}`).join('; ')}`);
    this.name = 'InvalidSubmissionError';
  }
}

export function violationsOf(issues: z.core.$ZodIssue[], whole: string): Violation[] {
  return issues.map((issue) => ({ field: issue.path.join('.') || whole, message: issue.message }));
}
