// Each service's own directory of patients (which clinic a patient belongs to, whether active,
// who their guardians are), so authorisation can refuse staff of another clinic and patients that
// do not exist without reading another service's database (DESIGN rule 1). A patient the
// directory does not know yet is looked up at the auth service with the staff caller's own token,
// and the answer is kept in the service's database for the next call.
import { status, type Metadata } from '@grpc/grpc-js';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { z } from '../config/index.js';
import { DependencyUnavailable } from '../domain/index.js';
import { connectService, forwardedMetadata } from '../grpc/client.js';
import type { Lifecycle } from '../lifecycle/index.js';
import { mongoose, type Connection } from '../mongo/index.js';
import type { PatientDirectory, PatientRecord } from '../requests/index.js';

/** What a service's config adds to have a directory: where the auth service answers. */
export const patientDirectoryEnv = { AUTH_GRPC_URL: z.string().min(1) };

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

  /** Idempotent: the same record written twice leaves one entry. */
  async save(record: PatientRecord, at: Date = new Date()): Promise<void> {
    const { patientId, ...fields } = record;
    await this.model.updateOne({ _id: patientId }, { $set: { ...fields, updatedAt: at } }, { upsert: true }).exec();
  }
}

/** Asks the auth service, as the staff caller, who the patient is; undefined when not found for them. */
export type PatientLookUp = (patientId: string, caller: { metadata: Metadata }) => Promise<PatientRecord | undefined>;

export function authPatientLookUp(address: string, lifecycle?: Lifecycle): PatientLookUp {
  const auth = connectService(AuthService, address);
  lifecycle?.onShutdown('auth client', () => auth.close());
  return async (patientId, { metadata }) => {
    const authorization =
      metadata
        .get('authorization')[0]
        ?.toString()
        .replace(/^Bearer /i, '') ?? '';
    const origin = {
      'x-request-id': metadata.get('x-request-id')[0]?.toString(),
      'x-forwarded-for': metadata.get('x-forwarded-for')[0]?.toString(),
    };
    try {
      const { patient } = await auth.lookUpPatient({ patientId }, { metadata: forwardedMetadata(authorization, origin) });
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

/** The one line a service's setup adds: `patients: patientDirectoryOf(platform)`. */
export const patientDirectoryOf = (platform: { config: { AUTH_GRPC_URL: string }; connection: Connection; lifecycle: Lifecycle }) =>
  patientDirectory({ connection: platform.connection, lookUp: authPatientLookUp(platform.config.AUTH_GRPC_URL, platform.lifecycle) });
