// The clinic the gateway's billing tests work in: the real auth and billing services behind the
// gateway, a staff member, a patient, that patient's guardian and another patient (the stranger)
// of one clinic with its profile saved, and `call` to send a request as one of them. Registers its
// own beforeAll and afterAll, so a test file only says which people it needs.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, expect } from 'vitest';

const people = ['staff', 'patient', 'guardian', 'stranger'] as const;
export type Who = (typeof people)[number];

export interface BillingClinic extends Record<Who, TestUser> {
  platform: RunningPlatform;
  /** A request to the gateway with `who`'s token (and a JSON content type when the body is a string). */
  call(who: Who, path: string, init?: RequestInit): Promise<Response>;
}

export function billingClinic(): BillingClinic {
  const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
  const tokens: Partial<Record<Who, string>> = {};
  const clinic = {
    call: (who: Who, path: string, init: RequestInit = {}) =>
      fetch(`${clinic.platform.gatewayUrl}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${tokens[who]}`,
          ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
          ...(init.headers ?? {}),
        },
      }),
  } as BillingClinic;

  beforeAll(async () => {
    clinic.platform = await startPlatform({ services: ['auth', 'billing'] });
    clinic.staff = await createUser({ roles: ['staff'], clinicId });
    clinic.patient = await createUser({ roles: ['patient'], clinicId });
    clinic.guardian = await createUser({ roles: ['guardian'], patients: [clinic.patient.id], clinicId });
    clinic.stranger = await createUser({ roles: ['patient'], clinicId });
    for (const who of people) tokens[who] = await passwordGrant(clinic[who]);
    const organisation = await clinic.call('staff', '/api/v1/staff/organisation', {
      method: 'PUT',
      body: JSON.stringify({
        name: 'Riverside Family Clinic',
        address: { line1: '1 River Road', line2: '', city: 'Portland', region: 'ME', postalCode: '04101', countryCode: 'US' },
        timeZone: 'America/New_York',
        portalUrl: clinic.platform.gatewayUrl,
      }),
    });
    expect(organisation.status, await organisation.clone().text()).toBe(200);
  });

  afterAll(async () => {
    await clinic.platform?.stop();
    await Promise.all(
      people
        .map((who) => clinic[who])
        .filter(Boolean)
        .map((user) => deleteUser(user)),
    );
  });

  return clinic;
}
