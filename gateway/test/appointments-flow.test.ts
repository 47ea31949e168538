// Seed step 5 through the gateway, with real Keycloak tokens and the real appointments service:
// staff schedule a visit in the clinic's own time; the patient and their guardian see it, take it
// to their calendar as a file or a private feed (read by a calendar program without logging in,
// dead once revoked), join a telehealth visit only inside its window; staff reschedule, cancel and
// see a clinician's day. Patients and guardians are refused the staff routes, and an appointments
// outage answers 503 on its own routes while the rest of the portal keeps serving.
import { randomUUID } from 'node:crypto';
import {
  createUser,
  deleteUser,
  passwordGrant,
  startPlatform,
  wallClock as wallClockIn,
  type RunningPlatform,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ZONE = 'America/New_York';
const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let platform: RunningPlatform;
let clinician: TestUser;
let patient: TestUser;
let guardian: TestUser;
const tokens = { clinician: '', patient: '', guardian: '' };
type Who = keyof typeof tokens;

interface Appointment {
  id: string;
  patientId: string;
  clinicianId: string;
  clinicianName: string;
  serviceType: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  mode: 'in_person' | 'telehealth';
  location: string;
  noteForPatient: string;
  status: string;
  cancellationReason: string;
  telehealthOpensAt: string | null;
  canJoinNow: boolean;
  version: number;
  sequence: number;
}

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'appointments', 'contacts'] });
  clinician = await createUser({ roles: ['staff'], clinicId });
  patient = await createUser({ roles: ['patient'], clinicId });
  guardian = await createUser({ roles: ['guardian'], patients: [patient.id], clinicId });
  for (const [who, user] of [
    ['clinician', clinician],
    ['patient', patient],
    ['guardian', guardian],
  ] as const)
    tokens[who] = await passwordGrant(user);
  // The clinic's zone is the one its staff enter times in.
  const organisation = await call('clinician', '/api/v1/staff/organisation', {
    method: 'PUT',
    body: JSON.stringify({ name: 'Riverside Family Clinic', timeZone: ZONE, portalUrl: platform.gatewayUrl }),
  });
  expect(organisation.status, await organisation.clone().text()).toBe(200);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([clinician, patient, guardian].filter(Boolean).map((u) => deleteUser(u!)));
});

function call(who: Who | 'nobody', path: string, init: RequestInit = {}) {
  return fetch(`${platform.gatewayUrl}${path}`, {
    ...init,
    headers: {
      ...(who === 'nobody' ? {} : { authorization: `Bearer ${tokens[who]}` }),
      ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...(init.headers ?? {}),
    },
  });
}

const wallClock = (instant: Date, zone = ZONE) => wallClockIn(instant, zone);
/** The clinic's date `days` from now, at `time`. */
const dayAt = (days: number, time: string) => `${wallClock(new Date(Date.now() + days * 86_400_000)).slice(0, 10)}T${time}`;

const patientPath = (suffix = '') => `/api/v1/patients/${patient.id}/appointments${suffix}`;
const staffPath = (suffix = '') => `/api/v1/staff/patients/${patient.id}/appointments${suffix}`;

async function schedule(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Appointment> {
  const response = await call('clinician', staffPath(), {
    method: 'POST',
    headers,
    body: JSON.stringify({ clinicianId: clinician.id, serviceType: 'Individual therapy, 50 min', ...body }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const { appointment } = (await response.json()) as { appointment: Appointment };
  expect(response.headers.get('location')).toBe(`/api/v1/patients/${patient.id}/appointments/${appointment.id}`);
  return appointment;
}

const inPersonStart = dayAt(3, '10:00');
let inPerson: Appointment;

describe('appointments through the gateway', () => {
  it('staff schedule a visit in the clinic’s time; the patient and their guardian see it upcoming, in UTC with the clinic’s zone', async () => {
    const key = `visit-${randomUUID()}`;
    inPerson = await schedule(
      {
        start: inPersonStart,
        end: dayAt(3, '10:50'),
        mode: 'in_person',
        location: 'Room 4, 12 River Road',
        noteForPatient: 'Bring your medication list.',
      },
      { 'idempotency-key': key },
    );
    expect(inPerson).toMatchObject({
      patientId: patient.id,
      clinicianId: clinician.id,
      serviceType: 'Individual therapy, 50 min',
      timeZone: ZONE,
      mode: 'in_person',
      location: 'Room 4, 12 River Road',
      noteForPatient: 'Bring your medication list.',
      status: 'scheduled',
      cancellationReason: '',
      telehealthOpensAt: null,
      canJoinNow: false,
      version: 1,
    });
    expect(inPerson.clinicianName).not.toBe('');
    expect(inPerson.startsAt).toMatch(/Z$/);
    expect(wallClock(new Date(inPerson.startsAt))).toBe(inPersonStart);
    expect(new Date(inPerson.endsAt).getTime() - new Date(inPerson.startsAt).getTime()).toBe(50 * 60_000);

    // A retry with the same key (a lost answer) schedules nothing more.
    const again = await schedule(
      { start: inPersonStart, end: dayAt(3, '10:50'), mode: 'in_person', location: 'Room 4, 12 River Road' },
      { 'idempotency-key': key },
    );
    expect(again.id).toBe(inPerson.id);
    expect(await platform.db('appointments').collection('appointments').countDocuments({ patientId: patient.id })).toBe(1);

    for (const who of ['patient', 'guardian'] as const) {
      const list = await call(who, patientPath('?period=upcoming&pageSize=10'));
      expect(list.status, who).toBe(200);
      const body = (await list.json()) as { appointments: Appointment[]; nextPageToken: string };
      expect(
        body.appointments.map((a) => a.id),
        who,
      ).toEqual([inPerson.id]);
      expect(body.nextPageToken).toBe('');
      const one = await call(who, patientPath(`/${inPerson.id}`));
      expect(one.status, who).toBe(200);
      expect(((await one.json()) as { appointment: Appointment }).appointment).toEqual(inPerson);
    }
    const past = (await (await call('patient', patientPath('?period=past'))).json()) as { appointments: Appointment[] };
    expect(past.appointments).toEqual([]);
  });

  it('refuses patients and guardians every staff route (403) and schedules nothing for them', async () => {
    const body = JSON.stringify({
      clinicianId: clinician.id,
      serviceType: 'Self-booked',
      start: dayAt(5, '09:00'),
      end: dayAt(5, '09:30'),
      mode: 'in_person',
      location: 'Anywhere',
    });
    for (const who of ['patient', 'guardian'] as const) {
      for (const [method, path, payload] of [
        ['POST', staffPath(), body],
        ['POST', staffPath(`/${inPerson.id}/cancel`), JSON.stringify({ reason: 'I would rather not' })],
        ['POST', staffPath(`/${inPerson.id}/reschedule`), JSON.stringify({ start: dayAt(6, '09:00'), end: dayAt(6, '09:30') })],
        ['GET', `/api/v1/staff/clinicians/${clinician.id}/appointments?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`, undefined],
      ] as const) {
        const response = await call(who, path, { method, ...(payload ? { body: payload } : {}) });
        expect(response.status, `${who} ${method} ${path}`).toBe(403);
        expect(await response.json()).toMatchObject({ type: '/problems/forbidden' });
      }
    }
    const stored = await platform.db('appointments').collection('appointments').find({ patientId: patient.id }).toArray();
    expect(stored.map((a) => [a._id, a.status, a.version])).toEqual([[inPerson.id, 'scheduled', 1]]);
  });

  it('downloads a visit as a calendar attachment that is never cached or sniffed', async () => {
    const response = await call('guardian', patientPath(`/${inPerson.id}/calendar.ics`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+\.ics"/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('BEGIN:VEVENT');
    expect(text).toContain(inPerson.id);

    const stranger = await createUser({ roles: ['patient'], clinicId });
    try {
      const refused = await fetch(`${platform.gatewayUrl}${patientPath(`/${inPerson.id}/calendar.ics`)}`, {
        headers: { authorization: `Bearer ${await passwordGrant(stranger)}` },
      });
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain('VCALENDAR');
    } finally {
      await deleteUser(stranger);
    }
  });

  it('gives the telehealth link only inside the join window', async () => {
    const later = await schedule({
      start: dayAt(4, '15:00'),
      end: dayAt(4, '15:30'),
      mode: 'telehealth',
      meetingUrl: 'https://video.example.org/room/later',
    });
    expect(later.canJoinNow).toBe(false);
    expect(later.telehealthOpensAt).not.toBeNull();
    expect(new Date(later.telehealthOpensAt!).getTime()).toBeLessThanOrEqual(new Date(later.startsAt).getTime());
    expect(JSON.stringify(later)).not.toContain('video.example.org');
    const early = await call('patient', patientPath(`/${later.id}/join`), { method: 'POST' });
    expect(early.status).toBe(412);
    expect(await early.json()).toMatchObject({ type: '/problems/precondition-failed', status: 412 });

    // Starting a few minutes from now: the window (which opens before the start) is open.
    const soonStart = new Date(Date.now() + 4 * 60_000);
    const soon = await schedule({
      start: wallClock(soonStart),
      end: wallClock(new Date(soonStart.getTime() + 30 * 60_000)),
      mode: 'telehealth',
      meetingUrl: 'https://video.example.org/room/now',
    });
    expect(soon.canJoinNow).toBe(true);
    for (const who of ['patient', 'guardian'] as const) {
      const joined = await call(who, patientPath(`/${soon.id}/join`), { method: 'POST' });
      expect(joined.status, who).toBe(200);
      expect(joined.headers.get('cache-control')).toBe('no-store');
      expect(await joined.json()).toEqual({ meetingUrl: 'https://video.example.org/room/now' });
    }
  });

  it('makes a private calendar feed that works without logging in, until it is replaced or revoked', async () => {
    const status = async () => (await (await call('patient', patientPath('/calendar-feed'))).json()) as { active: boolean };
    expect(await status()).toEqual({ active: false, createdAt: null });

    const created = await call('patient', patientPath('/calendar-feed'), { method: 'POST' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const feed = (await created.json()) as { feedUrl: string; webcalUrl: string; createdAt: string };
    expect(feed.feedUrl).toMatch(new RegExp(`^${platform.gatewayUrl}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    expect(feed.webcalUrl).toBe(feed.feedUrl.replace(/^http:/, 'webcal:'));
    expect(await status()).toEqual({ active: true, createdAt: feed.createdAt });

    // A calendar program: no cookie, no token.
    const read = await fetch(feed.feedUrl);
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(read.headers.get('cache-control')).toBe('no-store');
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await read.text();
    expect(text).toMatch(/^BEGIN:VCALENDAR/);
    expect(text).toContain(inPerson.id);
    // Notes are for the portal only.
    expect(text).not.toContain('medication list');

    // A new address replaces the old one at once; the guardian may make it too.
    const replaced = await call('guardian', patientPath('/calendar-feed'), { method: 'POST' });
    expect(replaced.status).toBe(201);
    const newFeed = (await replaced.json()) as { feedUrl: string };
    expect(newFeed.feedUrl).not.toBe(feed.feedUrl);
    const old = await fetch(feed.feedUrl);
    expect(old.status).toBe(404);
    expect(old.headers.get('content-type')).toContain('application/problem+json');
    expect(await old.json()).toMatchObject({ type: '/problems/not-found' });
    expect((await fetch(newFeed.feedUrl)).status).toBe(200);

    const revoked = await call('patient', patientPath('/calendar-feed'), { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    expect(await revoked.text()).toBe('');
    expect((await fetch(newFeed.feedUrl)).status).toBe(404);
    expect(await status()).toEqual({ active: false, createdAt: null });
    // Revoking again changes nothing and is not an error.
    expect((await call('patient', patientPath('/calendar-feed'), { method: 'DELETE' })).status).toBe(204);

    // Nothing that is not a feed address reaches the service: the same 404.
    for (const path of [
      '/calendar/short.ics',
      `/calendar/${'a'.repeat(44)}.ics`,
      '/calendar/not-a-token!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!.ics',
    ])
      expect((await fetch(`${platform.gatewayUrl}${path}`)).status, path).toBe(404);
  });

  it('lets staff reschedule (If-Match refuses a stale version), cancel with a reason, and see a clinician’s day', async () => {
    const stale = await call('clinician', staffPath(`/${inPerson.id}/reschedule`), {
      method: 'POST',
      headers: { 'if-match': '"7"' },
      body: JSON.stringify({ start: dayAt(3, '14:00'), end: dayAt(3, '14:50') }),
    });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ type: '/problems/precondition-failed' });

    const moved = await call('clinician', staffPath(`/${inPerson.id}/reschedule`), {
      method: 'POST',
      headers: { 'if-match': `"${inPerson.version}"` },
      body: JSON.stringify({ start: dayAt(3, '14:00'), end: dayAt(3, '14:50') }),
    });
    expect(moved.status, await moved.clone().text()).toBe(200);
    const { appointment: rescheduled } = (await moved.json()) as { appointment: Appointment };
    expect(wallClock(new Date(rescheduled.startsAt))).toBe(dayAt(3, '14:00'));
    expect(rescheduled.version).toBe(inPerson.version + 1);
    expect(rescheduled.sequence).toBe(inPerson.sequence + 1);

    // Completing a visit that has not started is refused.
    const early = await call('clinician', staffPath(`/${inPerson.id}/complete`), { method: 'POST' });
    expect(early.status).toBe(412);
    expect((await call('clinician', staffPath(`/${inPerson.id}/no-show`), { method: 'POST' })).status).toBe(412);

    const from = new Date(Date.now()).toISOString();
    const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const week = await call('clinician', `/api/v1/staff/clinicians/${clinician.id}/appointments?from=${from}&to=${to}`);
    expect(week.status).toBe(200);
    const { appointments } = (await week.json()) as { appointments: Appointment[] };
    expect(appointments.map((a) => a.id)).toContain(inPerson.id);
    const starts = appointments.map((a) => a.startsAt);
    expect(starts).toEqual([...starts].sort());

    const cancelled = await call('clinician', staffPath(`/${inPerson.id}/cancel`), {
      method: 'POST',
      body: JSON.stringify({ reason: 'The clinician is ill' }),
    });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { appointment: Appointment }).appointment).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'The clinician is ill',
      sequence: rescheduled.sequence + 1,
    });
    const seen = (await (await call('patient', patientPath(`/${inPerson.id}`))).json()) as { appointment: Appointment };
    expect(seen.appointment).toMatchObject({ status: 'cancelled', cancellationReason: 'The clinician is ill' });
  });

  it('lets staff record visits that already took place; the patient sees them under past, latest first', async () => {
    const record = async (days: number, outcome: 'completed' | 'no_show') => {
      const response = await call('clinician', staffPath('/past-visits'), {
        method: 'POST',
        headers: { 'idempotency-key': `past-${days}-${patient.id}` },
        body: JSON.stringify({
          clinicianId: clinician.id,
          serviceType: 'Intake assessment',
          start: dayAt(days, '09:00'),
          end: dayAt(days, '10:00'),
          mode: 'in_person',
          location: 'Room 1',
          outcome,
        }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return ((await response.json()) as { appointment: Appointment }).appointment;
    };
    const older = await record(-9, 'no_show');
    const newer = await record(-2, 'completed');
    expect([older.status, newer.status]).toEqual(['no_show', 'completed']);
    const past = (await (await call('guardian', patientPath('?period=past'))).json()) as { appointments: Appointment[] };
    expect(past.appointments.map((a) => a.id)).toEqual([newer.id, older.id]);
    const upcoming = (await (await call('patient', patientPath())).json()) as { appointments: Appointment[] };
    expect(upcoming.appointments.map((a) => a.id)).not.toContain(newer.id);

    // A visit that has not ended is not a past one.
    const notYet = await call('clinician', staffPath('/past-visits'), {
      method: 'POST',
      body: JSON.stringify({
        clinicianId: clinician.id,
        serviceType: 'Intake assessment',
        start: dayAt(8, '09:00'),
        end: dayAt(8, '10:00'),
        mode: 'in_person',
        location: 'Room 1',
        outcome: 'completed',
      }),
    });
    expect(notYet.status).toBe(400);
  });

  it('answers bad input with a problem naming the fields, and schedules nothing', async () => {
    const before = await platform.db('appointments').collection('appointments').countDocuments({ patientId: patient.id });
    const response = await call('clinician', staffPath(), {
      method: 'POST',
      body: JSON.stringify({
        clinicianId: clinician.id,
        serviceType: '',
        start: 'tomorrow at ten',
        end: dayAt(9, '10:00'),
        mode: 'by_pigeon',
      }),
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { type: string; errors: { field: string }[] };
    expect(problem.type).toBe('/problems/invalid-request');
    expect(problem.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['body.serviceType', 'body.start', 'body.mode']));
    const list = await call('patient', patientPath('?period=sometime'));
    expect(list.status).toBe(400);
    expect(await platform.db('appointments').collection('appointments').countDocuments({ patientId: patient.id })).toBe(before);
  });

  it('when the appointments service is down, answers 503 on its routes (the feed too) while contacts keep working', async () => {
    const feed = (await (await call('patient', patientPath('/calendar-feed'), { method: 'POST' })).json()) as { feedUrl: string };
    await platform.stopService('appointments');

    for (const [who, path, method] of [
      ['patient', patientPath(), 'GET'],
      ['patient', patientPath(`/${inPerson.id}/calendar.ics`), 'GET'],
      ['clinician', `/api/v1/staff/clinicians/${clinician.id}/appointments?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`, 'GET'],
    ] as const) {
      const response = await call(who, path, { method });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ type: '/problems/unavailable', status: 503 });
    }
    const unavailableFeed = await fetch(feed.feedUrl);
    expect(unavailableFeed.status).toBe(503);
    expect(await unavailableFeed.json()).toMatchObject({ type: '/problems/unavailable' });

    const contacts = await call('patient', `/api/v1/patients/${patient.id}/contacts`);
    expect(contacts.status).toBe(200);
    expect((await call('patient', '/api/v1/me')).status).toBe(200);
    const readiness = await fetch(`${platform.gatewayUrl}/readyz`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ status: 'ready', services: { appointments: false, contacts: true, auth: true } });
  });
});
