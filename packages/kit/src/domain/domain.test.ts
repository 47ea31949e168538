import { status } from '@grpc/grpc-js';
import { GrpcError } from '@portico/contracts/grpc';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toGrpcError } from '../grpc/errors.js';
import {
  calendarDate,
  dateOfBirth,
  emptyOr,
  InvalidInput,
  NotAllowedNow,
  NotFound,
  requireUuid,
  requireUuids,
  snakeCase,
  StaleVersion,
  validate,
  VersionConflict,
} from './index.js';

const invalid = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInput) return error;
    throw error;
  }
  throw new Error('expected InvalidInput');
};

describe('domain rules', () => {
  it('validate lists every broken rule at once, named in the wire spelling, never repeating the value', () => {
    const schema = z.object({ givenName: z.string().min(1, 'is required'), email: z.email('must be an email address') });
    const error = invalid(() => validate(schema, { givenName: '', email: 'secret(at)example' }, 'invitation', { field: snakeCase }));
    expect(error.violations).toEqual([
      { field: 'given_name', message: 'is required' },
      { field: 'email', message: 'must be an email address' },
    ]);
    expect(JSON.stringify(error.violations)).not.toContain('secret(at)example');
    expect(invalid(() => validate(schema, 'not an object', 'invitation')).violations[0]!.field).toBe('invitation');
  });

  it('requireUuids names every id that is not a UUID and lower-cases the others', () => {
    expect(requireUuid('0E9D8C4A-1B2C-4D5E-8F90-A1B2C3D4E5F6', 'patient_id')).toBe('0e9d8c4a-1b2c-4d5e-8f90-a1b2c3d4e5f6');
    expect(invalid(() => requireUuids({ guardian_id: 'g', patient_id: 'p' })).violations).toEqual([
      { field: 'guardian_id', message: 'must be a UUID' },
      { field: 'patient_id', message: 'must be a UUID' },
    ]);
  });

  it('answer callers through one table of gRPC status', () => {
    const answer = (error: Error) => toGrpcError(error) as GrpcError;
    const bad = answer(new InvalidInput('contact', [{ field: 'name', message: 'is required' }]));
    expect([bad.code, bad.message, JSON.parse(bad.details['x-violations']!)]).toEqual([
      status.INVALID_ARGUMENT,
      'the contact is not valid',
      [{ field: 'name', message: 'is required' }],
    ]);
    expect(answer(new NotFound('contact not found'))).toMatchObject({ code: status.NOT_FOUND, message: 'contact not found' });
    expect(answer(new VersionConflict('contact'))).toMatchObject({
      code: status.ABORTED,
      message: 'the contact was changed at the same time; read it again',
    });
    expect(answer(new StaleVersion('contact')).code).toBe(status.FAILED_PRECONDITION);
    expect(answer(new NotAllowedNow('the invitation was revoked')).code).toBe(status.FAILED_PRECONDITION);
    // Anything else stays as it is: the bridge logs it and answers INTERNAL without details.
    const unknown = new Error('connection string with a password');
    expect(toGrpcError(unknown)).toBe(unknown);
    // A service's own translation comes first, and may answer with a domain error.
    expect((toGrpcError(unknown, [() => new NotFound('gone')]) as GrpcError).code).toBe(status.NOT_FOUND);
  });

  it('takes a calendar date only when it exists, and a date of birth only in the past since 1900', () => {
    expect(calendarDate.safeParse('2024-02-29').success).toBe(true);
    expect(calendarDate.safeParse('2026-02-29').error?.issues[0]?.message).toBe('must be a date that exists');
    expect(calendarDate.safeParse('29/02/2024').error?.issues[0]?.message).toBe('must be a date (YYYY-MM-DD)');
    const born = dateOfBirth('2026-12-07');
    expect(born.safeParse('2026-12-07').success).toBe(true);
    expect(born.safeParse('2026-12-08').error?.issues[0]?.message).toBe('must not be in the future');
    expect(born.safeParse('0199-05-01').error?.issues[0]?.message).toBe('must be after 1900');
    // Not given is allowed; given, it is checked and the answer says what is wrong.
    expect(emptyOr(born).safeParse('').success).toBe(true);
    expect(
      emptyOr(born)
        .safeParse('2027-01-01')
        .error?.issues.map((i) => i.message),
    ).toEqual(['must not be in the future']);
  });
});
