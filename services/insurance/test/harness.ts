// Runs the auth and insurance services in the test process against the real servers, each with a
// database of its own, the insurance service on a clock the test sets. Clinics and their people
// are real Keycloak users with real tokens; card photos go to the real object store.
import { randomUUID } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import {
  CoveragePriority,
  InsuranceService,
  PlanType,
  SubscriberRelationship,
  type CoverageDetails,
} from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { connectService, type ServiceClient } from '@portico/kit/grpc';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import { callAs, createUser, deleteUser, env, startTestService, withTokens, type Person, type TestUser } from '@portico/testing';
import type { ObjectStore, OrphanSweep } from '@portico/kit/objects';
import { Client as ObjectClient } from 'minio';

/** The service's "now" until a test moves it. */
export const START_OF_TESTS = new Date('2026-12-01T12:00:00Z');

export interface Clinic {
  id: string;
  staff: Person;
}

export interface World {
  insurance: ServiceClient<(typeof InsuranceService)['method']>;
  /** The insurance service's own database, to check what was (not) written. */
  db: Connection;
  setNow(at: Date): void;
  clinic(): Promise<Clinic>;
  person(roles: string[], clinic: Clinic | string, patients?: string[]): Promise<Person>;
  /** The keys the object store holds for the patient's card photos. */
  photoKeys(patientId: string): Promise<string[]>;
  /** The service's bucket, and its sweep of objects no coverage names (to run a round now). */
  objects: ObjectStore;
  orphans: OrphanSweep;
  /** The service's log lines, when the world was started to capture them. */
  logs: string[];
  stop(): Promise<void>;
}

const BUCKET = 'portico-insurance-test';

/** `bucket` and `environment` change the service's settings (the orphan sweep's test has a bucket of its own). */
export async function startWorld(
  options: { bucket?: string; environment?: NodeJS.ProcessEnv; captureLogs?: boolean } = {},
): Promise<World> {
  const runId = `test_${randomUUID().slice(0, 8)}`;
  const bucket = options.bucket ?? BUCKET;
  const logs: string[] = [];
  let now = START_OF_TESTS;
  const authService = await startTestService('auth', `${runId}_auth`);
  const authAddress = `127.0.0.1:${authService.grpc.port}`;
  const insuranceService = await startTestService(
    'insurance',
    `${runId}_insurance`,
    { AUTH_GRPC_URL: authAddress, S3_BUCKET: bucket, ...(options.captureLogs ? { LOG_LEVEL: 'info' } : {}), ...options.environment },
    { clock: () => now, ...(options.captureLogs ? { logDestination: { write: (line: string) => void logs.push(line) } } : {}) },
  );
  const service = insuranceService as unknown as { objects: ObjectStore; orphans: OrphanSweep };
  const insurance = connectService(InsuranceService, `127.0.0.1:${insuranceService.grpc.port}`, {
    defaultTimeoutMs: 30_000,
    maxReceiveMessageBytes: 16 * 1024 * 1024,
  });
  const auth = connectService(AuthService, authAddress, { defaultTimeoutMs: 30_000 });
  const db = await connectMongo({ url: env.mongoUrl, dbName: `${runId}_insurance`, logger: createLogger('test', 'silent') });
  const endpoint = new URL(process.env.S3_ENDPOINT ?? 'http://127.0.0.1:8333');
  const objects = new ObjectClient({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: false,
    accessKey: process.env.S3_ACCESS_KEY ?? 'portico-dev',
    secretKey: process.env.S3_SECRET_KEY ?? 'portico-dev-secret',
    region: 'us-east-1',
    pathStyle: true,
  });
  const users: TestUser[] = [];

  async function person(roles: string[], clinic: Clinic | string, patients?: string[]): Promise<Person> {
    const user = await createUser({ roles, clinicId: typeof clinic === 'string' ? clinic : clinic.id, ...(patients ? { patients } : {}) });
    users.push(user);
    return withTokens(user);
  }

  return {
    insurance,
    db,
    setNow: (at) => void (now = at),
    person,
    async clinic() {
      const id = `clinic-${randomUUID().slice(0, 8)}`;
      return { id, staff: await person(['staff'], id) };
    },
    async photoKeys(patientId) {
      const keys: string[] = [];
      for await (const item of objects.listObjectsV2(bucket, `coverages/${patientId}/`, true)) if (item.name) keys.push(item.name);
      return keys;
    },
    objects: service.objects,
    orphans: service.orphans,
    logs,
    async stop() {
      insurance.close();
      auth.close();
      await insuranceService.lifecycle.shutdown('test over');
      await authService.lifecycle.shutdown('test over');
      await db.dropDatabase().catch(() => {});
      await db.close();
      await Promise.all(users.map((u) => deleteUser(u)));
    },
  };
}

export const as = callAs;

/** A Blue Cross PPO primary coverage held by the patient themself, unless told otherwise. */
export const coverage = (overrides: Partial<CoverageDetails> = {}) => ({
  payerName: 'Blue Cross Blue Shield',
  planName: 'Blue Choice PPO',
  planType: PlanType.PPO,
  memberId: 'XJH123456789',
  groupNumber: 'GRP-20417',
  subscriber: { relationship: SubscriberRelationship.SELF, name: '', dateOfBirth: '' },
  priority: CoveragePriority.PRIMARY,
  effectiveDate: '2026-01-01',
  endDate: '',
  copay: { amountMinor: 2500n, currencyCode: 'USD' },
  ...overrides,
});

// A real PNG of `width` × 1 grey pixels: what a browser shows, and bytes file-type recognises.
const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
};
export function pngImage(width = 4, shade = 128): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, shade)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(row)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a JPEG (JFIF) file: enough for the type to be told by its bytes. */
export const jpegImage = () =>
  Buffer.concat([Buffer.from('ffd8ffe000104a46494600010101004800480000', 'hex'), Buffer.alloc(64, 1), Buffer.from('ffd9', 'hex')]);

/** An ISO media file with the HEIC brand, as an iPhone writes it. */
export const heicImage = () =>
  Buffer.concat([Buffer.from('0000001866747970686569630000000068656963', 'hex'), Buffer.from('6d696631', 'hex'), Buffer.alloc(64)]);

/** A PDF, whatever its name says. */
export const pdfDocument = () => Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

export { failure, violationsOf } from '@portico/testing';
export type { Person };

/** How many coverages the service's database holds for the patient. */
export const storedFor = (world: World, patientId: string) => world.db.collection('coverages').countDocuments({ patientId });
