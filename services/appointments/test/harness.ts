// Runs the auth and appointments services in the test process against the real servers, each with
// a database of its own, the appointments service on a clock the test sets and moves. A clinic
// with a profile (name, zone, portal) and its people are real Keycloak users with real tokens.
import { randomUUID } from 'node:crypto';
import { AppointmentMode, AppointmentsService } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { connectService, type ServiceClient } from '@portico/kit/grpc';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import { callAs, createUser, deleteUser, env, startTestService, withTokens, type Person, type TestUser } from '@portico/testing';

export type { Person };

export const NEW_YORK = 'America/New_York';

/** The service's "now" until a test moves it: a Tuesday, 07:00 in New York. */
export const START_OF_TESTS = new Date('2026-12-01T12:00:00Z');

export interface Clinic {
  id: string;
  name: string;
  staff: Person;
  /** A second staff member, for a second clinician's diary. */
  colleague: Person;
}

export interface World {
  appointments: ServiceClient<(typeof AppointmentsService)['method']>;
  auth: ServiceClient<(typeof AuthService)['method']>;
  /** The appointments service's own database, to check what was (not) written. */
  db: Connection;
  setNow(at: Date): void;
  now(): Date;
  clinic(name: string, timeZone?: string): Promise<Clinic>;
  person(roles: string[], clinic: Clinic | string, patients?: string[]): Promise<Person>;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const runId = `test_${randomUUID().slice(0, 8)}`;
  let now = START_OF_TESTS;
  const authService = await startTestService('auth', `${runId}_auth`);
  const authAddress = `127.0.0.1:${authService.grpc.port}`;
  const appointmentsService = await startTestService(
    'appointments',
    `${runId}_appointments`,
    { AUTH_GRPC_URL: authAddress },
    { clock: () => now },
  );
  const appointments = connectService(AppointmentsService, `127.0.0.1:${appointmentsService.grpc.port}`, { defaultTimeoutMs: 30_000 });
  const auth = connectService(AuthService, authAddress, { defaultTimeoutMs: 30_000 });
  const db = await connectMongo({ url: env.mongoUrl, dbName: `${runId}_appointments`, logger: createLogger('test', 'silent') });
  const users: TestUser[] = [];

  async function person(roles: string[], clinic: Clinic | string, patients?: string[]): Promise<Person> {
    const user = await createUser({ roles, clinicId: typeof clinic === 'string' ? clinic : clinic.id, ...(patients ? { patients } : {}) });
    users.push(user);
    return withTokens(user);
  }

  return {
    appointments,
    auth,
    db,
    setNow: (at) => void (now = at),
    now: () => now,
    person,
    async clinic(name, timeZone = NEW_YORK) {
      const id = `clinic-${randomUUID().slice(0, 8)}`;
      const [staff, colleague] = await Promise.all([person(['staff'], id), person(['staff'], id)]);
      await auth.updateOrganisation({ profile: { name, timeZone, portalUrl: 'https://portal.example.org' } }, await as(staff));
      return { id, name, staff, colleague };
    },
    async stop() {
      appointments.close();
      auth.close();
      await appointmentsService.lifecycle.shutdown('test over');
      await authService.lifecycle.shutdown('test over');
      await db.dropDatabase().catch(() => {});
      await db.close();
      await Promise.all(users.map((u) => deleteUser(u)));
    },
  };
}

/** Call settings as `person`, with a request id like the gateway's. */
export const as = callAs;

/** What staff enter (AppointmentDetails), as a plain object. */
export interface Details {
  clinicianId: string;
  serviceType: string;
  start: { local: string };
  end: { local: string };
  mode: AppointmentMode;
  location: string;
  meetingUrl?: string;
  noteForPatient: string;
}

/** An in-person visit with `clinician` on 8 December 2026, 10:00 to 10:50 New York time, unless told otherwise. */
export const inPerson = (clinician: Person, overrides: Partial<Details> = {}): Details => ({
  clinicianId: clinician.id,
  serviceType: 'Individual therapy, 50 min',
  start: { local: '2026-12-08T10:00' },
  end: { local: '2026-12-08T10:50' },
  mode: AppointmentMode.IN_PERSON,
  location: 'Room 2, 14 Main Street',
  noteForPatient: 'Please bring your medication list.',
  ...overrides,
});

export const MEETING_URL = 'https://meet.example.org/r/7f3a9c-secret-room';

export const telehealth = (clinician: Person, overrides: Partial<Details> = {}): Details =>
  inPerson(clinician, { mode: AppointmentMode.TELEHEALTH, location: '', meetingUrl: MEETING_URL, ...overrides });

export { failure, violationsOf } from '@portico/testing';

/** How many appointments the service's database holds for the patient. */
export const storedFor = (world: World, patientId: string) => world.db.collection('appointments').countDocuments({ patientId });
