// Runs the auth and notifications services in the test process against the real servers (Kafka,
// Keycloak, FerretDB, SeaweedFS, Mailpit), each with a database of its own, the notifications
// service on a clock the test moves forward. Appointment events are produced onto the real topic
// as the appointments service's outbox relay would: the generated payloads in the kit's envelope
// (CloudEvents headers), keyed by patient id. A clinic and its people are real Keycloak users.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Metadata } from '@grpc/grpc-js';
import { AppointmentMode } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import {
  AppointmentCancelledSchema,
  AppointmentRescheduledSchema,
  AppointmentScheduledSchema,
} from '@portico/contracts/gen/portico/events/appointments/v1/appointment_events_pb';
import { NotificationsService } from '@portico/contracts/gen/portico/notifications/v1/notifications_pb';
import { notificationsService } from '@portico/notifications-service';
import { loadConfig } from '@portico/kit/config';
import { cloudEventHeaders, deadLetterTopic } from '@portico/kit/eventing';
import { connectService, forwardedMetadata, type ServiceClient } from '@portico/kit/grpc';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import type { RunningService } from '@portico/kit/runtime';
import {
  createUser,
  deleteUser,
  env,
  groupCaughtUp,
  passwordGrant,
  repoRoot,
  serviceEnvironment,
  startTestService,
  testKafka,
  waitUntil,
  type MailpitMessage,
  type TestUser,
} from '@portico/testing';
import type { Producer } from 'kafkajs';

export const APPOINTMENTS_TOPIC = 'portico.appointments.v1';
export const CHICAGO = 'America/Chicago';
export const HOUR = 60 * 60_000;
export const DAY = 24 * HOUR;
/** A small PNG: the clinic's logo, which the emails carry inline. */
export const LOGO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export interface Person extends TestUser {
  email: string;
  token(): Promise<string>;
}

export interface Notifications {
  service: RunningService;
  client: ServiceClient<(typeof NotificationsService)['method']>;
  /** Every log line it wrote, to prove what they never contain. */
  logs: string[];
  stop(): Promise<void>;
}

export interface World {
  auth: ServiceClient<(typeof AuthService)['method']>;
  authAddress: string;
  clinicId: string;
  clinicName: string;
  staff: Person;
  /** The notifications service's database: it outlives a restart of the service. */
  db: Connection;
  dbName: string;
  /** Moves the notifications service's clock (0 is the machine's now). */
  advanceClock(ms: number): void;
  now(): Date;
  start(environment?: NodeJS.ProcessEnv): Promise<Notifications>;
  person(roles: string[], patients?: string[]): Promise<Person>;
  events: AppointmentEvents;
  stop(): Promise<void>;
}

/** The realm's later additions (the `service` role, the portico-notifications client) on an older realm. */
async function applyRealmAdditions(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(repoRoot, 'deploy/keycloak/realm-additions.mjs')], { env: process.env });
}

/** The appointments topic and its dead-letter topic, as deploy/kafka/topics.txt should list them. */
async function ensureTopics(): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    const wanted = [
      { topic: APPOINTMENTS_TOPIC, numPartitions: 3 },
      { topic: deadLetterTopic(APPOINTMENTS_TOPIC), numPartitions: 1 },
    ].filter((t) => !existing.includes(t.topic));
    if (wanted.length) await admin.createTopics({ topics: wanted, waitForLeaders: true }).catch(() => false);
  } finally {
    await admin.disconnect();
  }
}

export const as = async (person: Person): Promise<{ metadata: Metadata }> => ({
  metadata: forwardedMetadata(await person.token(), { 'x-request-id': randomUUID() }),
});

export async function startWorld(): Promise<World> {
  await Promise.all([applyRealmAdditions(), ensureTopics()]);
  const runId = `test_${randomUUID().slice(0, 8)}`;
  // Its own name, so this run's emails are told apart from other runs' on the same Mailpit.
  const clinicName = `Riverside Family Clinic ${runId.slice(5)}`;
  const dbName = `${runId}_notifications`;
  const authService = await startTestService('auth', `${runId}_auth`);
  const authAddress = `127.0.0.1:${authService.grpc.port}`;
  const auth = connectService(AuthService, authAddress, { defaultTimeoutMs: 30_000 });
  const db = await connectMongo({ url: env.mongoUrl, dbName, logger: createLogger('test', 'silent') });
  const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
  const users: TestUser[] = [];
  let offset = 0;
  const running = new Set<Notifications>();

  async function person(roles: string[], patients?: string[]): Promise<Person> {
    const user = await createUser({ roles, clinicId, ...(patients ? { patients } : {}) });
    users.push(user);
    let cached: { token: string; at: number } | undefined;
    return {
      ...user,
      email: `${user.username}@example.org`,
      async token() {
        if (!cached || Date.now() - cached.at > 60_000) cached = { token: await passwordGrant(user), at: Date.now() };
        return cached.token;
      },
    };
  }

  const staff = await person(['staff']);
  await auth.updateOrganisation(
    { profile: { name: clinicName, phone: '+13125550100', portalUrl: 'https://portal.riverside.example/', timeZone: CHICAGO } },
    await as(staff),
  );
  await auth.uploadLogo({ content: LOGO, contentType: 'image/png' }, await as(staff));
  const events = await appointmentEvents(clinicId);

  async function start(environment: NodeJS.ProcessEnv = {}): Promise<Notifications> {
    const logs: string[] = [];
    const destination = new Writable({ write: (chunk, _enc, done) => (logs.push(chunk.toString()), done()) });
    const config = loadConfig(notificationsService.config, {
      ...serviceEnvironment('notifications', dbName),
      AUTH_GRPC_URL: authAddress,
      // A test hears only the appointments it makes from now on.
      NOTIFICATIONS_CONSUMER_START: 'latest',
      REMINDER_SWEEP_INTERVAL_MS: '200',
      EMAIL_RETRY_INTERVAL_MS: '500',
      LOG_LEVEL: 'debug',
      ...environment,
    });
    const service = await notificationsService.start(config, {
      clock: () => new Date(Date.now() + offset),
      logDestination: destination as never,
    });
    const client = connectService(NotificationsService, `127.0.0.1:${service.grpc.port}`, { defaultTimeoutMs: 30_000 });
    const notifications: Notifications = {
      service,
      client,
      logs,
      async stop() {
        running.delete(notifications);
        client.close();
        await service.lifecycle.shutdown('test over');
      },
    };
    running.add(notifications);
    return notifications;
  }

  return {
    auth,
    authAddress,
    clinicId,
    clinicName,
    staff,
    db,
    dbName,
    advanceClock: (ms) => void (offset = ms),
    now: () => new Date(Date.now() + offset),
    start,
    person,
    events,
    async stop() {
      for (const notifications of running) await notifications.stop();
      await events.close();
      auth.close();
      await authService.lifecycle.shutdown('test over');
      await db.dropDatabase().catch(() => {});
      await db.close();
      await Promise.all(users.map((u) => deleteUser(u)));
    },
  };
}

export interface Appointment {
  appointmentId: string;
  patientId: string;
  startsAt: Date;
  mode?: AppointmentMode;
  version?: number;
}

export interface ProducedEvent {
  id: string;
  /** Produces exactly the same record again (same event id), as a redelivery would. */
  again(): Promise<void>;
}

export interface AppointmentEvents {
  scheduled(appointment: Appointment): Promise<ProducedEvent>;
  rescheduled(appointment: Appointment, previousStartsAt: Date): Promise<ProducedEvent>;
  cancelled(appointment: Appointment): Promise<ProducedEvent>;
  /** A record no consumer can read: an appointment event whose payload is not protobuf. */
  poison(patientId: string): Promise<ProducedEvent>;
  /** A booking that reads as protobuf but says neither whose nor when it is. */
  meaningless(key: string): Promise<ProducedEvent>;
  close(): Promise<void>;
}

async function appointmentEvents(clinicId: string): Promise<AppointmentEvents> {
  const producer: Producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  async function produce(type: string, key: string, payload: Uint8Array): Promise<ProducedEvent> {
    const id = randomUUID();
    const record = {
      key,
      value: Buffer.from(payload),
      headers: cloudEventHeaders({ id, type, source: 'portico/appointments', time: new Date() }),
    };
    const send = async () => void (await producer.send({ topic: APPOINTMENTS_TOPIC, acks: -1, messages: [record] }));
    await send();
    return { id, again: send };
  }

  const common = (a: Appointment) => ({
    appointmentId: a.appointmentId,
    patientId: a.patientId,
    clinicId,
    startsAt: timestampFromDate(a.startsAt),
    timeZone: CHICAGO,
    occurredAt: timestampFromDate(new Date()),
    version: BigInt(a.version ?? 1),
  });
  const timed = (a: Appointment) => ({
    ...common(a),
    endsAt: timestampFromDate(new Date(a.startsAt.getTime() + 50 * 60_000)),
    mode: a.mode ?? AppointmentMode.IN_PERSON,
  });

  return {
    scheduled: (a) =>
      produce(
        AppointmentScheduledSchema.typeName,
        a.patientId,
        toBinary(AppointmentScheduledSchema, create(AppointmentScheduledSchema, timed(a))),
      ),
    rescheduled: (a, previous) =>
      produce(
        AppointmentRescheduledSchema.typeName,
        a.patientId,
        toBinary(
          AppointmentRescheduledSchema,
          create(AppointmentRescheduledSchema, { ...timed(a), previousStartsAt: timestampFromDate(previous) }),
        ),
      ),
    cancelled: (a) =>
      produce(
        AppointmentCancelledSchema.typeName,
        a.patientId,
        toBinary(AppointmentCancelledSchema, create(AppointmentCancelledSchema, common(a))),
      ),
    // A length-delimited field whose length runs past the end: no protobuf reader accepts it.
    poison: (patientId) => produce(AppointmentScheduledSchema.typeName, patientId, Uint8Array.from([0x0a, 0x7f, 0x01])),
    meaningless: (key) =>
      produce(
        AppointmentScheduledSchema.typeName,
        key,
        toBinary(AppointmentScheduledSchema, create(AppointmentScheduledSchema, { appointmentId: randomUUID(), clinicId })),
      ),
    close: () => producer.disconnect(),
  };
}

/** `days` days from now at `hour`:00 in Chicago, as the clinic would book it. */
export function chicagoTime(from: Date, days: number, hour: number): Date {
  const day = new Date(from.getTime() + days * DAY);
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: CHICAGO, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(day)
    .split('-')
    .map(Number) as [number, number, number];
  // Chicago is UTC-6 in winter and UTC-5 in summer: pick the instant whose Chicago hour is `hour`.
  for (const offsetHours of [6, 5]) {
    const candidate = new Date(Date.UTC(y, m - 1, d, hour + offsetHours));
    if (Number(new Intl.DateTimeFormat('en-GB', { timeZone: CHICAGO, hour: '2-digit', hour12: false }).format(candidate)) === hour)
      return candidate;
  }
  throw new Error('no such time in Chicago');
}

/** "Tue 8 Dec at 10:00": how a subject names the time, in Chicago. */
export function subjectTime(at: Date): string {
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: CHICAGO, ...options }).format(at);
  return `${part({ weekday: 'short' })} ${part({ day: 'numeric' })} ${part({ month: 'short' })} at ${part({ hour: '2-digit', minute: '2-digit', hour12: false })}`;
}

/** "Tuesday 8 December 2026 at 10:00 (Central Standard Time)": how the body names it. */
export function bodyTime(at: Date): string {
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: CHICAGO, ...options }).format(at);
  const zoneName = new Intl.DateTimeFormat('en-US', { timeZone: CHICAGO, timeZoneName: 'long' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')!.value;
  return `${part({ weekday: 'long' })} ${part({ day: 'numeric' })} ${part({ month: 'long' })} ${part({ year: 'numeric' })} at ${part({ hour: '2-digit', minute: '2-digit', hour12: false })} (${zoneName})`;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pattern = (subject: RegExp | string) => (typeof subject === 'string' ? new RegExp(escape(subject)) : subject);
const mailpitUrl = () => process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';

interface MailpitSummary {
  ID: string;
  Created: string;
  Subject: string;
  From: { Name: string; Address: string };
}

/**
 * The emails to `person` from this world's clinic whose subject matches. Other test runs on the
 * machine may run a notifications service of their own on the same topic: their emails do not
 * come from this clinic (their auth service does not know it), so they are left out.
 */
async function fromTheClinic(world: Pick<World, 'clinicName'>, person: Person, subject: RegExp | string): Promise<MailpitSummary[]> {
  const query = encodeURIComponent(`to:"${person.email}"`);
  const response = await fetch(`${mailpitUrl()}/api/v1/search?query=${query}&limit=200`);
  if (!response.ok) throw new Error(`Mailpit search: HTTP ${response.status}`);
  const { messages } = (await response.json()) as { messages: MailpitSummary[] };
  return messages
    .filter((m) => m.From.Name === world.clinicName && pattern(subject).test(m.Subject))
    .sort((a, b) => a.Created.localeCompare(b.Created));
}

/** The emails to `person` from the clinic whose subject matches, once there are `count`, oldest first. */
export async function emailsTo(
  world: Pick<World, 'clinicName'>,
  person: Person,
  subject: RegExp | string,
  count = 1,
  timeoutMs = 30_000,
): Promise<MailpitMessage[]> {
  const found = await waitUntil(
    async () => {
      const matching = await fromTheClinic(world, person, subject);
      return matching.length >= count ? matching : undefined;
    },
    timeoutMs,
    `${count} email(s) to ${person.email} matching ${String(subject)}`,
    250,
  );
  return Promise.all(found.map(async (m) => (await (await fetch(`${mailpitUrl()}/api/v1/message/${m.ID}`)).json()) as MailpitMessage));
}

/** How many emails to `person` from the clinic match now (0 included). */
export const countEmails = async (world: Pick<World, 'clinicName'>, person: Person, subject: RegExp | string): Promise<number> =>
  (await fromTheClinic(world, person, subject)).length;

/**
 * Waits until the service has nothing left to do with what was produced so far: its consumer
 * group has read the topic to the end, and no notice is pending in its database. After that, what
 * reached Mailpit is final, without a fixed sleep.
 */
export async function settled(world: World, groupId: string): Promise<void> {
  await groupCaughtUp(groupId, [APPOINTMENTS_TOPIC], 60_000);
  await waitUntil(
    async () => (await world.db.collection('notices').countDocuments({ state: 'pending' })) === 0,
    60_000,
    'no pending notice',
  );
}

/**
 * Publishes an event on `topic` as the owning service's outbox relay would (its envelope, its
 * key); returns a way to deliver the same record again.
 */
export async function publishEvent<S extends DescMessage>(
  producer: Producer,
  topic: string,
  schema: S,
  value: MessageInitShape<S>,
  key: string,
) {
  const record = {
    key,
    value: Buffer.from(toBinary(schema, create(schema, value))),
    headers: cloudEventHeaders({ id: randomUUID(), type: schema.typeName, source: `portico/${topic.split('.')[1]}`, time: new Date() }),
  };
  const send = async () => void (await producer.send({ topic, acks: -1, messages: [record] }));
  await send();
  return send;
}

/** A documents event, as the documents service publishes it. */
export const publishDocumentEvent = <S extends DescMessage>(producer: Producer, schema: S, value: MessageInitShape<S>, key: string) =>
  publishEvent(producer, 'portico.documents.v1', schema, value, key);

export { failure, violationsOf } from '@portico/testing';
