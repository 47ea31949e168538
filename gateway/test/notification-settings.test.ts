// What people set about the portal's emails, through the gateway and the real notifications
// service: a patient (or a guardian) turns appointment emails off and on for themself; staff set
// how long before a visit its reminder goes out, within 1 to 168 hours; patients and guardians
// cannot touch the clinic's settings.
import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let platform: RunningPlatform;
let staff: TestUser;
let patient: TestUser;
let guardian: TestUser;
const tokens = { staff: '', patient: '', guardian: '' };
type Who = keyof typeof tokens;

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'notifications'] });
  staff = await createUser({ roles: ['staff'], clinicId });
  patient = await createUser({ roles: ['patient'], clinicId });
  guardian = await createUser({ roles: ['guardian'], patients: [patient.id], clinicId });
  for (const [who, user] of [
    ['staff', staff],
    ['patient', patient],
    ['guardian', guardian],
  ] as const)
    tokens[who] = await passwordGrant(user);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([staff, patient, guardian].filter(Boolean).map((u) => deleteUser(u!)));
});

const call = (who: Who, path: string, body?: unknown) =>
  fetch(`${platform.gatewayUrl}${path}`, {
    method: body === undefined ? 'GET' : 'PUT',
    headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('notification preferences and settings', () => {
  it('lets a patient and a guardian each turn appointment emails off and on, for themself only', async () => {
    const path = '/api/v1/me/notification-preferences';
    for (const who of ['patient', 'guardian'] as const) {
      const initial = await call(who, path);
      expect(initial.status, who).toBe(200);
      expect(await initial.json()).toEqual({ appointmentEmails: true });
    }
    const off = await call('patient', path, { appointmentEmails: false });
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ appointmentEmails: false });
    expect(await (await call('patient', path)).json()).toEqual({ appointmentEmails: false });
    expect(await (await call('guardian', path)).json()).toEqual({ appointmentEmails: true });

    const bad = await call('patient', path, { appointmentEmails: 'no', marketing: true });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body.appointmentEmails', 'body.marketing']),
    );
    expect(await (await call('patient', path)).json()).toEqual({ appointmentEmails: false });
    expect(await (await call('patient', path, { appointmentEmails: true })).json()).toEqual({ appointmentEmails: true });
  });

  it('lets staff set the reminder lead time within 1 to 168 hours, and refuses patients and guardians', async () => {
    const path = '/api/v1/staff/notification-settings';
    expect(await (await call('staff', path)).json()).toEqual({ reminderLeadHours: 24 });
    const saved = await call('staff', path, { reminderLeadHours: 48 });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ reminderLeadHours: 48 });
    for (const wrong of [0, 169, 1.5, '24', null]) {
      const response = await call('staff', path, { reminderLeadHours: wrong });
      expect(response.status, String(wrong)).toBe(400);
      expect(await response.json()).toMatchObject({ type: '/problems/invalid-request' });
    }
    for (const who of ['patient', 'guardian'] as const) {
      for (const body of [undefined, { reminderLeadHours: 1 }]) {
        const response = await call(who, path, body);
        expect(response.status, who).toBe(403);
        expect(await response.json()).toMatchObject({ type: '/problems/forbidden' });
      }
    }
    expect(await (await call('staff', path)).json()).toEqual({ reminderLeadHours: 48 });
  });
});
