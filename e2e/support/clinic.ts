// A clinic of the browser tests' own: a staff member and a patient (real Keycloak users), the
// clinic's profile saved through the gateway, and a way to call the gateway's API as either.
import { randomUUID } from 'node:crypto';
import { createUser, passwordGrant, type TestUser } from '@portico/testing';
import type { Portal } from './platform.js';

export interface TestClinic {
  staff: TestUser;
  patient: TestUser;
  /** A call to the gateway's API with `user`'s access token. */
  api(user: TestUser, path: string, init?: RequestInit): Promise<Response>;
}

/** A clinic named `name` in New York's zone, with one staff member and one patient. */
export async function testClinic(portal: Portal, name: string): Promise<TestClinic> {
  const api = async (user: TestUser, path: string, init: RequestInit = {}) =>
    fetch(`${portal.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${await passwordGrant(user)}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
  const [staff, patient] = await Promise.all([createUser({ roles: ['staff'], clinicId }), createUser({ roles: ['patient'], clinicId })]);
  const profile = await api(staff, '/api/v1/staff/organisation', {
    method: 'PUT',
    body: JSON.stringify({
      name,
      address: { line1: '5 Harbour Street', line2: '', city: 'Portland', region: 'ME', postalCode: '04101', countryCode: 'US' },
      portalUrl: portal.url,
      timeZone: 'America/New_York',
    }),
  });
  if (!profile.ok) throw new Error(`saving the clinic's profile: HTTP ${profile.status} ${await profile.text()}`);
  return { staff, patient, api };
}
