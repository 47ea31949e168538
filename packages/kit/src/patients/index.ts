// Each service's own directory of patients (which clinic a patient belongs to, whether active,
// who their guardians are), so authorisation can refuse staff of another clinic and patients that
// do not exist without reading another service's database (DESIGN rule 1). A new directory is
// filled once from the auth service's listing of every clinic's patients, asked with the service's
// own client-credentials token; it is then fed by the auth service's events (topic
// portico.auth.v1, ids only); a patient it does not know yet is looked up at the auth service with
// the staff caller's own token, and the answer is kept for the next call.
import { status, type Metadata } from '@grpc/grpc-js';
import { AuthService, UserKind } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import {
  GuardianLinkedSchema,
  GuardianUnlinkedSchema,
  InvitationAcceptedSchema,
  InvitationExpiredSchema,
  InvitationResentSchema,
  InvitationRevokedSchema,
  UserInvitedSchema,
} from '@portico/contracts/gen/portico/events/auth/v1/auth_events_pb';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { z } from '../config/index.js';
import { DependencyUnavailable } from '../domain/index.js';
import { EventConsumer, on, type ConsumerStart } from '../eventing/consumer.js';
import { callerMetadata, connectService } from '../grpc/client.js';
import { serviceCredentialsEnv, ServiceTokenError, serviceTokenSource, tokenEndpointOf } from '../identity/service-token.js';
import { withRetry, type Lifecycle } from '../lifecycle/index.js';
import { mongoose, type Connection } from '../mongo/index.js';
import { upsertRetried } from '../store/index.js';
import type { PatientDirectory, PatientRecord } from '../requests/index.js';

/** What a service's config adds to have a directory: where the auth service answers. */
export const patientDirectoryEnv = {
  AUTH_GRPC_URL: z.string().min(1),
  /**
   * Where a new directory's feed begins on the auth topic: `earliest` (every event the topic still
   * holds), `latest`, or an ISO instant. Patients it never heard of are found by the look-up.
   */
  PATIENT_DIRECTORY_START: z.union([z.enum(['earliest', 'latest']), z.iso.datetime({ offset: true })]).default('earliest'),
  /**
   * The service's own Keycloak client (client credentials, realm role `service`), with which a new
   * directory is filled from the auth service's listing; `portico-<service>` unless given. Without
   * a secret the listing is skipped and a new directory fills from the topic and the look-up.
   */
  SERVICE_CLIENT_ID: z.string().min(1).optional(),
  SERVICE_CLIENT_SECRET: z.string().min(1).optional(),
  ...serviceCredentialsEnv,
};

export const PATIENT_DIRECTORY_COLLECTION = 'patient_directory';

interface DirectoryEntryDocument {
  _id: string;
  clinicId: string;
  status: PatientRecord['status'];
  guardianIds: string[];
  updatedAt: Date;
}

const directoryEntrySchema = new mongoose.Schema<DirectoryEntryDocument>(
  {
    _id: { type: String, required: true },
    clinicId: { type: String, required: true },
    status: { type: String, enum: ['active', 'inactive'], required: true },
    guardianIds: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: PATIENT_DIRECTORY_COLLECTION, versionKey: false },
);

const entryModel = (connection: Connection) =>
  connection.models.PatientDirectoryEntry ?? connection.model<DirectoryEntryDocument>('PatientDirectoryEntry', directoryEntrySchema);

/** The patients this service knows, in its own database. */
export class PatientDirectoryStore {
  private readonly model: mongoose.Model<DirectoryEntryDocument>;

  constructor(connection: Connection) {
    this.model = entryModel(connection) as mongoose.Model<DirectoryEntryDocument>;
  }

  async find(patientId: string): Promise<PatientRecord | undefined> {
    const entry = await this.model.findById(patientId).lean<DirectoryEntryDocument>().exec();
    return entry ? { patientId: entry._id, clinicId: entry.clinicId, status: entry.status, guardianIds: entry.guardianIds } : undefined;
  }

  /** A known patient's account became active or inactive; a patient not known is left to the look-up. */
  async setStatus(patientId: string, status: PatientRecord['status'], at: Date = new Date()): Promise<void> {
    await this.model.updateOne({ _id: patientId }, { $set: { status, updatedAt: at } }).exec();
  }

  /** Adds or removes a guardian of known patients; applying the same change twice changes nothing more. */
  async setGuardian(patientIds: string[], guardianId: string, linked: boolean, at: Date = new Date()): Promise<void> {
    const change = linked ? { $addToSet: { guardianIds: guardianId } } : { $pull: { guardianIds: guardianId } };
    await this.model.updateMany({ _id: { $in: patientIds } }, { ...change, $set: { updatedAt: at } }).exec();
  }

  /**
   * Adds a patient the directory does not know and leaves one it knows as it is: what the feed or
   * a look-up wrote is at least as new as a listing read before it.
   */
  async add(record: PatientRecord, at: Date = new Date()): Promise<void> {
    const { patientId, ...fields } = record;
    await upsertRetried(() =>
      this.model.updateOne({ _id: patientId }, { $setOnInsert: { ...fields, updatedAt: at } }, { upsert: true }).exec(),
    );
  }

  /** Idempotent: the same record written twice leaves one entry, even by requests meeting a new patient at once. */
  async save(record: PatientRecord, at: Date = new Date()): Promise<void> {
    const { patientId, ...fields } = record;
    await upsertRetried(() => this.model.updateOne({ _id: patientId }, { $set: { ...fields, updatedAt: at } }, { upsert: true }).exec());
  }
}

/** Asks the auth service, as the staff caller, who the patient is; undefined when not found for them. */
export type PatientLookUp = (patientId: string, caller: { metadata: Metadata }) => Promise<PatientRecord | undefined>;

export function authPatientLookUp(address: string, lifecycle?: Lifecycle): PatientLookUp {
  const auth = connectService(AuthService, address);
  lifecycle?.onShutdown('auth client', () => auth.close());
  return async (patientId, { metadata }) => {
    try {
      const { patient } = await auth.lookUpPatient({ patientId }, { metadata: callerMetadata(metadata) });
      if (!patient) return undefined;
      return { patientId, clinicId: patient.clinicId, status: patient.active ? 'active' : 'inactive', guardianIds: patient.guardianIds };
    } catch (error) {
      const code = (error as { code?: number }).code;
      // Another clinic's patient, or nobody: the auth service will not say which, nor do we.
      if (code === status.NOT_FOUND || code === status.PERMISSION_DENIED) return undefined;
      throw new DependencyUnavailable('the patient directory cannot be consulted now; try again');
    }
  };
}

/**
 * The directory authorisation consults: what this service already knows, else the look-up, whose
 * answer is kept. Complete: a patient neither knows is refused like another clinic's.
 */
export function patientDirectory(options: {
  connection: Connection;
  lookUp: PatientLookUp;
}): PatientDirectory & { store: PatientDirectoryStore } {
  const store = new PatientDirectoryStore(options.connection);
  return {
    complete: true,
    store,
    async find(patientId, caller) {
      const known = await store.find(patientId);
      if (known || !caller) return known;
      const found = await options.lookUp(patientId, caller);
      if (found) await store.save(found);
      return found;
    },
  };
}

export const AUTH_TOPIC = 'portico.auth.v1';

/**
 * Keeps the directory in step with the auth service's facts. Each handler is idempotent (the
 * consumer also skips an event id it has processed); one that keeps failing is dead-lettered.
 */
export function patientDirectoryFeed(options: {
  name: string;
  kafka: Kafka;
  connection: Connection;
  store: PatientDirectoryStore;
  logger: Logger;
  startAt: ConsumerStart;
}) {
  const { store } = options;
  return new EventConsumer({
    kafka: options.kafka,
    // One group per directory (the service's database): replicas share it, and two test platforms
    // on one Kafka never take each other's events.
    groupId: `${options.connection.name}-patient-directory`,
    startAt: options.startAt,
    topics: [AUTH_TOPIC],
    connection: options.connection,
    logger: options.logger,
    handlers: [
      on(UserInvitedSchema, async (event) => {
        if (event.kind === UserKind.PATIENT)
          await store.save({
            patientId: event.userId,
            clinicId: event.clinicId,
            status: 'active',
            guardianIds: (await store.find(event.userId))?.guardianIds ?? [],
          });
        else if (event.kind === UserKind.GUARDIAN) await store.setGuardian(event.patientIds, event.userId, true);
      }),
      on(InvitationResentSchema, (event) => store.setStatus(event.userId, 'active')),
      on(InvitationAcceptedSchema, (event) => store.setStatus(event.userId, 'active')),
      // The auth service disables the account of a revoked or expired invitation.
      on(InvitationRevokedSchema, (event) => store.setStatus(event.userId, 'inactive')),
      on(InvitationExpiredSchema, (event) => store.setStatus(event.userId, 'inactive')),
      on(GuardianLinkedSchema, (event) => store.setGuardian([event.patientId], event.guardianId, true)),
      on(GuardianUnlinkedSchema, (event) => store.setGuardian([event.patientId], event.guardianId, false)),
    ],
  });
}

/** One page of the auth service's listing of every clinic's patients. */
export type DirectoryListing = (pageToken: string) => Promise<{ patients: PatientRecord[]; nextPageToken: string }>;

export function authDirectoryListing(
  address: string,
  credentials: { tokenUrl: string; clientId: string; clientSecret: string },
): {
  listing: DirectoryListing;
  close: () => void;
} {
  const auth = connectService(AuthService, address);
  const tokens = serviceTokenSource(credentials);
  return {
    close: () => auth.close(),
    async listing(pageToken) {
      const { patients, page } = await auth.listDirectoryPatients(
        { page: { pageSize: LISTING_PAGE_SIZE, pageToken } },
        await tokens.callOptions(),
      );
      return {
        patients: patients.map((p) => ({
          patientId: p.patientId,
          clinicId: p.clinicId,
          status: p.active ? 'active' : 'inactive',
          guardianIds: p.guardianIds,
        })),
        nextPageToken: page?.nextPageToken ?? '',
      };
    },
  };
}

const LISTING_PAGE_SIZE = 50;

/** Worth another try: Keycloak or the auth service away for a moment, not a refusal. */
const passing = (error: unknown): boolean =>
  error instanceof ServiceTokenError
    ? error.status === 0 || error.status >= 500
    : [status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED].includes((error as { code?: number }).code ?? -1);
const SEED_COLLECTION = 'patient_directory_seed';
const SEED_ID = 'auth-listing';

/**
 * Fills a directory from the auth service's listing once: when no earlier listing finished (a new
 * database, or one made before this existed). Every page is added patient by patient without
 * touching entries already there, and the listing is marked finished only at its end, so a
 * listing cut short (a restart, the auth service away) is simply done again. Replicas listing at
 * once add the same entries. Returns how many patients the listing held, or undefined when a
 * finished listing was found or `signal` stopped it.
 */
export async function seedPatientDirectory(options: {
  connection: Connection;
  store: PatientDirectoryStore;
  listing: DirectoryListing;
  signal?: AbortSignal;
}): Promise<number | undefined> {
  const marks = options.connection.db!.collection<{ _id: string; finishedAt: Date; patients: number }>(SEED_COLLECTION);
  if (await marks.findOne({ _id: SEED_ID })) return undefined;
  let listed = 0;
  let pageToken = '';
  do {
    if (options.signal?.aborted) return undefined;
    const page = await withRetry(() => options.listing(pageToken), {
      attempts: 5,
      initialMs: 500,
      signal: options.signal,
      retryIf: passing,
    });
    for (const record of page.patients) await options.store.add(record);
    listed += page.patients.length;
    pageToken = page.nextPageToken;
  } while (pageToken);
  await upsertRetried(() => marks.updateOne({ _id: SEED_ID }, { $set: { finishedAt: new Date(), patients: listed } }, { upsert: true }));
  return listed;
}

/**
 * The one line a service's setup adds: `patients: patientDirectoryOf(platform)`. The listing
 * (when the service has its client secret) and then the feed run in the background: Kafka or the
 * auth service being down leaves the look-up to answer, it does not stop the service. The feed
 * starts after the listing so that every event it applies is at least as new as what was listed.
 */
export function patientDirectoryOf(platform: {
  name: string;
  config: {
    AUTH_GRPC_URL: string;
    PATIENT_DIRECTORY_START: ConsumerStart;
    OIDC_ISSUER: string;
    OIDC_TOKEN_URL?: string | undefined;
    SERVICE_CLIENT_ID?: string | undefined;
    SERVICE_CLIENT_SECRET?: string | undefined;
  };
  connection: Connection;
  kafka: Kafka;
  lifecycle: Lifecycle;
  logger: Logger;
}) {
  const { name, config, connection, kafka, lifecycle, logger } = platform;
  const directory = patientDirectory({ connection, lookUp: authPatientLookUp(config.AUTH_GRPC_URL, lifecycle) });
  const feed = patientDirectoryFeed({ name, kafka, connection, store: directory.store, logger, startAt: config.PATIENT_DIRECTORY_START });
  const stopping = new AbortController();
  const auth = config.SERVICE_CLIENT_SECRET
    ? authDirectoryListing(config.AUTH_GRPC_URL, {
        tokenUrl: config.OIDC_TOKEN_URL ?? tokenEndpointOf(config.OIDC_ISSUER),
        clientId: config.SERVICE_CLIENT_ID ?? `portico-${name}`,
        clientSecret: config.SERVICE_CLIENT_SECRET,
      })
    : undefined;

  const listed = (async () => {
    if (!auth) {
      logger.info('patient directory: no service client secret, so no listing; it fills from the auth topic and look-ups');
      return undefined;
    }
    try {
      const patients = await seedPatientDirectory({ connection, store: directory.store, listing: auth.listing, signal: stopping.signal });
      if (patients !== undefined) logger.info({ patients }, 'patient directory filled from the auth service listing');
      return patients;
    } catch (error) {
      // Names of errors only: a token error says the HTTP status, never the secret.
      logger.warn(
        { error: (error as Error).name, message: (error as Error).message },
        'patient directory listing failed; the next start tries again',
      );
      return undefined;
    }
  })();
  const feedStarted = listed.then(() => {
    if (stopping.signal.aborted) return;
    return feed.start();
  });
  void feedStarted.catch((error: Error) => logger.error({ error: error.name }, 'patient directory feed did not start'));
  lifecycle.onShutdown('patient directory feed', async () => {
    stopping.abort();
    await listed;
    await feedStarted.catch(() => undefined);
    await feed.stop();
    auth?.close();
  });
  return Object.assign(directory, { listed });
}
