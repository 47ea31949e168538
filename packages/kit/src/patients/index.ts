// Each service's own directory of patients (which clinic a patient belongs to, whether active,
// who their guardians are), so authorisation can refuse staff of another clinic and patients that
// do not exist without reading another service's database (DESIGN rule 1). It is fed by the auth
// service's events (topic portico.auth.v1, ids only); a patient it does not know yet is looked up
// at the auth service with the staff caller's own token, and the answer is kept for the next call.
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
import type { Lifecycle } from '../lifecycle/index.js';
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

/**
 * The one line a service's setup adds: `patients: patientDirectoryOf(platform)`. The feed starts
 * in the background: Kafka being down leaves the look-up to answer, it does not stop the service.
 */
export function patientDirectoryOf(platform: {
  name: string;
  config: { AUTH_GRPC_URL: string; PATIENT_DIRECTORY_START: ConsumerStart };
  connection: Connection;
  kafka: Kafka;
  lifecycle: Lifecycle;
  logger: Logger;
}) {
  const { name, connection, kafka, lifecycle, logger } = platform;
  const directory = patientDirectory({ connection, lookUp: authPatientLookUp(platform.config.AUTH_GRPC_URL, lifecycle) });
  const feed = patientDirectoryFeed({
    name,
    kafka,
    connection,
    store: directory.store,
    logger,
    startAt: platform.config.PATIENT_DIRECTORY_START,
  });
  void feed.start().catch((error: Error) => logger.error({ error: error.name }, 'patient directory feed did not start'));
  lifecycle.onShutdown('patient directory feed', () => feed.stop());
  return directory;
}
