// Who may call what, for every route of the gateway's OpenAPI document. The cases are generated
// from the document itself, so a new route is covered the day it is added, with no new test code:
// - nobody logged in, a forged token, or an unsigned (alg=none) token: 401, before the body or the
//   path is even validated (an anonymous caller learns nothing of the API's schemas);
// - a route that names a patient (in its path or its body): patient A asking for patient B, and a
//   guardian asking for a patient not linked to them, get 404 and B's records stay as they were;
// - a staff route: patients and guardians get 403, before their body is read.
// - every route that names a patient (the staff routes too): staff of another clinic get 404 and
//   nothing of the patient's is written.
// The one deliberate exception is the calendar feed (GET /calendar/{token}.ics), which the
// document marks as needing no authentication: calendar programs hold only its secret address.
// It is checked apart: without credentials an address that is not a feed's is 404, never data.
import { randomUUID } from 'node:crypto';
import { openApiDocument } from '@portico/gateway';
import { createUser, deleteUser, passwordGrant, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  format?: string;
  minLength?: number;
  minItems?: number;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  examples?: unknown[];
}
interface Operation {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  /** Empty where the route needs no authentication; absent means the document's default (bearer). */
  security?: unknown[];
}

const document = (await openApiDocument()) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

const resolve = (schema: JsonSchema | undefined): JsonSchema | undefined =>
  schema?.$ref ? resolve(document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]) : schema;

const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
  Object.entries(operations)
    .filter(([method]) => METHODS.has(method))
    .map(([method, operation]) => {
      const body = resolve(operation.requestBody?.content?.['application/json']?.schema);
      return {
        method: method.toUpperCase(),
        path,
        body,
        public: Array.isArray(operation.security) && operation.security.length === 0,
        staff: path.startsWith('/api/v1/staff/'),
        namesPatient: path.includes('{patientId}') || Boolean(body?.properties?.patientId),
      };
    }),
);
type Route = (typeof routes)[number];
const publicRoutes = routes.filter((r) => r.public);
const apiRoutes = routes.filter((r) => !r.public);

/** The smallest body the route's schema accepts, naming `patientId` where it has one. */
function example(schema: JsonSchema | undefined, patientId: string): unknown {
  const s = resolve(schema);
  if (!s) return undefined;
  // A value the schema's pattern accepts, as the document gives it (a wall-clock time, say).
  if (s.examples?.length) return s.examples[0];
  if (s.enum) return s.enum[0];
  if (s.anyOf) return example(s.anyOf[0], patientId);
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case 'object':
      return Object.fromEntries(
        (s.required ?? []).map((key) => [key, key === 'patientId' ? patientId : example(s.properties?.[key], patientId)]),
      );
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => example(s.items, patientId));
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'email') return 'someone@example.org';
      if (s.format === 'date-time') return new Date().toISOString();
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
  }
}

let platform: RunningPlatform;
let alice: TestUser;
let bob: TestUser;
let guardian: TestUser;
let staff: TestUser;
let otherStaff: TestUser;
const tokens: Record<'alice' | 'bob' | 'guardian' | 'staff' | 'otherStaff', string> = {
  alice: '',
  bob: '',
  guardian: '',
  staff: '',
  otherStaff: '',
};
let bobsContactId: string;
let bobsAppointmentId: string;

beforeAll(async () => {
  platform = await startPlatform();
  [alice, bob] = await Promise.all([1, 2].map(() => createUser({ roles: ['patient'], clinicId: 'clinic-a' })));
  guardian = await createUser({ roles: ['guardian'], patients: [alice!.id], clinicId: 'clinic-a' });
  staff = await createUser({ roles: ['staff'], clinicId: 'clinic-a' });
  otherStaff = await createUser({ roles: ['staff'], clinicId: 'clinic-b' });
  for (const [name, user] of Object.entries({ alice, bob, guardian, staff, otherStaff }))
    tokens[name as keyof typeof tokens] = await passwordGrant(user!);
  const post = async (who: keyof typeof tokens, path: string, body?: unknown, method = 'POST') => {
    const response = await fetch(`${platform.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.ok, `${path}: ${await response.clone().text()}`).toBe(true);
    return response.json();
  };
  const added = await post('bob', `/api/v1/patients/${bob!.id}/contacts`, {
    name: 'Bob Friend',
    email: 'friend@example.org',
    purposes: ['other'],
  });
  bobsContactId = (added as { contact: { id: string } }).contact.id;
  // Bob has an appointment and a calendar feed: a route that reached them for someone else would show.
  await post('staff', '/api/v1/staff/organisation', { name: 'Clinic A', timeZone: 'UTC', portalUrl: platform.gatewayUrl }, 'PUT');
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const scheduled = await post('staff', `/api/v1/staff/patients/${bob!.id}/appointments`, {
    clinicianId: staff!.id,
    serviceType: 'Bob Friend’s visit',
    start: `${day}T10:00`,
    end: `${day}T10:30`,
    mode: 'in_person',
    location: 'Room 2',
  });
  bobsAppointmentId = (scheduled as { appointment: { id: string } }).appointment.id;
  await post('bob', `/api/v1/patients/${bob!.id}/appointments/calendar-feed`);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([alice, bob, guardian, staff, otherStaff].filter(Boolean).map((u) => deleteUser(u!)));
});

/** Calls a route with the given path values and body; `authorization` may be absent. */
function call(route: Route, values: Record<string, string>, body: unknown, authorization?: string) {
  const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? randomUUID());
  const sendsBody = body !== undefined && route.method !== 'GET' && route.method !== 'DELETE';
  return fetch(`${platform.gatewayUrl}${url}`, {
    method: route.method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(sendsBody ? { 'content-type': 'application/json' } : {}),
    },
    ...(sendsBody ? { body: JSON.stringify(body) } : {}),
  });
}

/** Values and a body that fail every schema: an answer other than 401 would be a validation leak. */
const invalid = {
  values: { patientId: 'not-an-id', contactId: 'not-an-id', guardianId: 'not-an-id', appointmentId: 'not-an-id', clinicianId: 'not-an-id' },
  body: { unexpected: true },
};

async function expectUnauthenticated(response: Response, what: string) {
  expect(response.status, what).toBe(401);
  expect(response.headers.get('www-authenticate'), what).toMatch(/^Bearer/);
  const problem = await response.json();
  expect(problem, what).toMatchObject({ type: '/problems/unauthenticated', status: 401 });
  expect(problem.errors, what).toBeUndefined();
}

async function bobsRecords() {
  const contacts = await platform.db('contacts').collection('contacts').find({ patientId: bob.id }).sort({ _id: 1 }).toArray();
  const guardians = await platform.db('auth').collection('guardian_links').find({ patientIds: bob.id }).toArray();
  const appointments = await platform.db('appointments').collection('appointments').find({ patientId: bob.id }).sort({ _id: 1 }).toArray();
  const feeds = await platform.db('appointments').collection('calendar_feeds').find({ patientId: bob.id }).sort({ _id: 1 }).toArray();
  return {
    contacts: contacts.map((c) => ({ id: c._id, name: c.details?.name, status: c.status, version: c.version })),
    guardians: guardians.map((g) => ({ id: g._id, version: g.version })),
    appointments: appointments.map((a) => ({ id: a._id, status: a.status, version: a.version, startsAt: a.startsAt })),
    feeds: feeds.map((f) => ({ id: f._id, revokedAt: f.revokedAt })),
  };
}

describe('the document the cases come from', () => {
  it('has the routes people use, and marks those that name a patient', () => {
    const names = (filter: (r: Route) => boolean) => routes.filter(filter).map((r) => `${r.method} ${r.path}`);
    expect(names(() => true)).toEqual(expect.arrayContaining(['GET /api/v1/me', 'GET /api/v1/staff/users']));
    expect(names((r) => r.namesPatient && !r.staff)).toEqual(
      expect.arrayContaining([
        'GET /api/v1/patients/{patientId}/contacts',
        'POST /api/v1/patients/{patientId}/contacts',
        'PUT /api/v1/patients/{patientId}/contacts/{contactId}',
        'PUT /api/v1/me/acting-for',
        'GET /api/v1/patients/{patientId}/appointments',
        'POST /api/v1/patients/{patientId}/appointments/calendar-feed',
        'DELETE /api/v1/patients/{patientId}/appointments/calendar-feed',
        'POST /api/v1/patients/{patientId}/appointments/{appointmentId}/join',
      ]),
    );
    expect(names((r) => r.namesPatient && r.staff)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/staff/patients/{patientId}/appointments',
        'POST /api/v1/staff/patients/{patientId}/appointments/{appointmentId}/cancel',
      ]),
    );
  });

  it('marks one route only as needing no authentication: the calendar feed, whose address is its credential', () => {
    expect(publicRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /calendar/{token}.ics']);
  });
});

describe('GET /calendar/{token}.ics, the deliberate exception', () => {
  it('answers 404 to an address that is no feed’s, with or without credentials, and never data', async () => {
    const unknown = `/calendar/${'A'.repeat(43)}.ics`;
    const callers: Record<string, string>[] = [{}, { authorization: `Bearer ${tokens.bob}` }, { authorization: 'Bearer forged' }];
    for (const headers of callers) {
      for (const path of [unknown, '/calendar/not-a-token.ics']) {
        const response = await fetch(`${platform.gatewayUrl}${path}`, { headers });
        expect(response.status, path).toBe(404);
        const text = await response.text();
        expect(text).not.toContain('VCALENDAR');
        expect(JSON.parse(text)).toMatchObject({ type: '/problems/not-found' });
      }
    }
  });
});

describe.each(apiRoutes)('$method $path', (route) => {
  it('refuses a caller who is not logged in with 401, whatever the body', async () => {
    await expectUnauthenticated(await call(route, invalid.values, invalid.body), 'no credentials');
  });

  it('refuses a forged token and an unsigned one with 401', async () => {
    const claims = decodeJwt(tokens.alice);
    const { kid } = decodeProtectedHeader(tokens.alice);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: kid! }).sign(privateKey);
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    for (const [what, token] of [
      ['forged', forged],
      ['alg=none', unsigned],
    ] as const) {
      await expectUnauthenticated(await call(route, invalid.values, invalid.body, `Bearer ${token}`), what);
    }
  });

  if (route.namesPatient) {
    it('answers staff of another clinic 404 and writes nothing of the patient’s', async () => {
      const before = await bobsRecords();
      const values = { patientId: bob.id, contactId: bobsContactId, guardianId: guardian.id, appointmentId: bobsAppointmentId };
      const response = await call(route, values, example(route.body, bob.id), `Bearer ${tokens.otherStaff}`);
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(text).not.toContain('Bob Friend');
      expect(JSON.parse(text)).toMatchObject({ type: '/problems/not-found' });
      expect(await bobsRecords()).toEqual(before);
    });
  }

  if (route.staff) {
    it('refuses patients and guardians with 403 before reading their body', async () => {
      for (const who of ['alice', 'guardian'] as const) {
        const response = await call(route, invalid.values, invalid.body, `Bearer ${tokens[who]}`);
        expect(response.status, who).toBe(403);
        expect(await response.json(), who).toMatchObject({ type: '/problems/forbidden' });
      }
    });
  } else if (route.namesPatient) {
    for (const who of ['alice', 'guardian'] as const) {
      const as = who === 'alice' ? 'another patient' : 'a guardian not linked to the patient';
      it(`answers ${as} with 404 and leaves the patient's records as they were`, async () => {
        const before = await bobsRecords();
        const values = { patientId: bob.id, contactId: bobsContactId, appointmentId: bobsAppointmentId };
        const response = await call(route, values, example(route.body, bob.id), `Bearer ${tokens[who]}`);
        expect(response.status).toBe(404);
        const text = await response.text();
        expect(text).not.toContain('Bob Friend');
        expect(JSON.parse(text)).toMatchObject({ type: '/problems/not-found' });
        expect(await bobsRecords()).toEqual(before);
      });
    }
  }
});
