import { describe, expect, it } from 'vitest';
import { actingAs } from './authorisation.js';
import type { Principal } from './token-verifier.js';

const principal = (p: Partial<Principal>): Principal => ({
  subject: 'u1',
  roles: [],
  patients: [],
  clinicId: 'c1',
  username: undefined,
  ...p,
});

describe('who may act for a patient', () => {
  it('a patient for themself only', () => {
    expect(actingAs(principal({ roles: ['patient'] }), 'u1')).toBe('patient');
    expect(actingAs(principal({ roles: ['patient'] }), 'u2')).toBeUndefined();
  });

  it('a guardian for the listed patients only, not for themself', () => {
    const guardian = principal({ roles: ['guardian'], patients: ['p1', 'p2'] });
    expect(actingAs(guardian, 'p2')).toBe('guardian');
    expect(actingAs(guardian, 'p3')).toBeUndefined();
    expect(actingAs(guardian, 'u1')).toBeUndefined();
  });

  it('staff for their own clinic, never without one', () => {
    expect(actingAs(principal({ roles: ['staff'] }), 'p9')).toBe('staff');
    expect(actingAs(principal({ roles: ['staff'] }), 'p9', 'c2')).toBeUndefined();
    expect(actingAs(principal({ roles: ['staff'], clinicId: undefined }), 'p9')).toBeUndefined();
  });

  it('nobody without a Portico role', () => {
    expect(actingAs(principal({ patients: ['p1'] }), 'u1')).toBeUndefined();
  });
});
