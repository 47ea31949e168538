// Runs the auth and documents services in the test process against the real servers (Keycloak
// users and tokens, FerretDB, SeaweedFS), each with a database of its own. A clinic's people are
// real Keycloak users; files are sent the way the gateway sends them: a description, then chunks.
import { randomUUID } from 'node:crypto';
import { fromBinary, type DescMessage } from '@bufbuild/protobuf';
import type { Metadata } from '@grpc/grpc-js';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { connectService, forwardedMetadata, type ServiceClient } from '@portico/kit/grpc';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, type Connection } from '@portico/kit/mongo';
import type { ObjectStore, OrphanSweep } from '@portico/kit/objects';
import { createUser, deleteUser, env, startTestService, withTokens, type Person, type TestUser, type TopicRecord } from '@portico/testing';

export type { Person };

export interface Clinic {
  id: string;
  staff: Person;
}

export interface World {
  documents: ServiceClient<(typeof DocumentsService)['method']>;
  /** The auth service, which kept clinics' handbooks before the documents service did. */
  auth: ServiceClient<(typeof AuthService)['method']>;
  /** The documents service's own database, to check what was (not) written. */
  db: Connection;
  /** Its bucket, to check what was (not) stored. */
  objects: ObjectStore;
  /** Its sweep of objects no metadata names, to run a round now. */
  orphans: OrphanSweep;
  /** The service's log lines, when the world was started to capture them. */
  logs: string[];
  /** The contacts service's address, when the world was started with it (releases of information). */
  contactsAddress?: string;
  /** The documents service's gRPC address, for the other contracts it serves (forms, consents). */
  address: string;
  clinic(): Promise<Clinic>;
  person(roles: string[], clinic: Clinic | string, patients?: string[]): Promise<Person>;
  stop(): Promise<void>;
}

export async function startWorld(
  environment: NodeJS.ProcessEnv = {},
  options: { contacts?: boolean; captureLogs?: boolean } = {},
): Promise<World> {
  const runId = `test_${randomUUID().slice(0, 8)}`;
  const authService = await startTestService('auth', `${runId}_auth`);
  const authAddress = `127.0.0.1:${authService.grpc.port}`;
  const contactsService = options.contacts
    ? await startTestService('contacts', `${runId}_contacts`, { AUTH_GRPC_URL: authAddress })
    : undefined;
  const contactsAddress = contactsService ? `127.0.0.1:${contactsService.grpc.port}` : undefined;
  const logs: string[] = [];
  const documentsService = await startTestService(
    'documents',
    `${runId}_documents`,
    {
      AUTH_GRPC_URL: authAddress,
      ...(contactsAddress ? { CONTACTS_GRPC_URL: contactsAddress } : {}),
      ...(options.captureLogs ? { LOG_LEVEL: 'info' } : {}),
      ...environment,
    },
    options.captureLogs ? { logDestination: { write: (line: string) => void logs.push(line) } } : {},
  );
  const documents = connectService(DocumentsService, `127.0.0.1:${documentsService.grpc.port}`, { defaultTimeoutMs: 60_000 });
  const auth = connectService(AuthService, authAddress, { defaultTimeoutMs: 30_000 });
  const db = await connectMongo({ url: env.mongoUrl, dbName: `${runId}_documents`, logger: createLogger('test', 'silent') });
  const { objects, orphans } = documentsService as unknown as { objects: ObjectStore; orphans: OrphanSweep };
  const users: TestUser[] = [];
  const clinics: string[] = [];

  async function person(roles: string[], clinic: Clinic | string, patients?: string[]): Promise<Person> {
    const user = await createUser({ roles, clinicId: typeof clinic === 'string' ? clinic : clinic.id, ...(patients ? { patients } : {}) });
    users.push(user);
    return withTokens(user);
  }

  return {
    documents,
    auth,
    db,
    objects,
    orphans,
    logs,
    ...(contactsAddress ? { contactsAddress } : {}),
    address: `127.0.0.1:${documentsService.grpc.port}`,
    person,
    async clinic() {
      const id = `clinic-${randomUUID().slice(0, 8)}`;
      clinics.push(id);
      return { id, staff: await person(['staff'], id) };
    },
    async stop() {
      documents.close();
      auth.close();
      for (const clinic of clinics) for (const key of await objects.keys(`clinics/${clinic}/`)) await objects.remove(key);
      await documentsService.lifecycle.shutdown('test over');
      await contactsService?.lifecycle.shutdown('test over');
      await authService.lifecycle.shutdown('test over');
      await db.dropDatabase().catch(() => {});
      await db.close();
      await Promise.all(users.map((u) => deleteUser(u)));
    },
  };
}

/** Call settings as `person`, with a request id like the gateway's. */
export const as = async (person: Person, signal?: AbortSignal): Promise<{ metadata: Metadata; signal?: AbortSignal }> => ({
  metadata: forwardedMetadata(await person.token(), { 'x-request-id': randomUUID(), 'x-forwarded-for': '203.0.113.7' }),
  ...(signal ? { signal } : {}),
});

export const CHUNK = 64 * 1024;

/**
 * The messages of a client stream: `details` first, then `bytes` in chunks. `announce` overrides
 * the size announced; `stopAfter` ends the stream early (a sender that went away).
 */
export async function* streamOf<D>(
  details: D,
  bytes: Buffer,
  options: { stopAfter?: number; beforeEnd?: () => Promise<void> } = {},
): AsyncGenerator<{ part: { case: 'details'; value: D } | { case: 'chunk'; value: Uint8Array } }> {
  yield { part: { case: 'details', value: details } };
  const end = options.stopAfter ?? bytes.length;
  for (let offset = 0; offset < end; offset += CHUNK)
    yield { part: { case: 'chunk', value: bytes.subarray(offset, Math.min(offset + CHUNK, end)) } };
  await options.beforeEnd?.();
}

export const incoming = (fileName: string, bytes: Buffer, sizeBytes = bytes.length) => ({ fileName, sizeBytes: BigInt(sizeBytes) });

/** What the service holds for a clinic: metadata documents in each collection and objects in the bucket. */
export async function storedFor(world: World, clinicId: string) {
  const [documents, resources, uploads, objects] = await Promise.all([
    world.db.collection('clinical_documents').countDocuments({ clinicId }),
    world.db.collection('resources').countDocuments({ clinicId }),
    world.db.collection('uploads').countDocuments({ clinicId }),
    world.objects.keys(`clinics/${clinicId}/`),
  ]);
  return { documents, resources, uploads, objects: objects.length };
}

/** The bytes of a streamed file read back, and its description. */
export async function readBack(parts: AsyncIterable<{ part: { case: string | undefined; value?: unknown } }>) {
  let description: unknown;
  const chunks: Buffer[] = [];
  for await (const { part } of parts) {
    if (part.case === 'file') description = part.value;
    else if (part.case === 'chunk') chunks.push(Buffer.from(part.value as Uint8Array));
  }
  return {
    description: description as { fileName: string; contentType: string; sizeBytes: bigint; sha256: string },
    bytes: Buffer.concat(chunks),
  };
}

export { failure, violationsOf } from '@portico/testing';

/** The records of one event type among those read from the topics, decoded, with their raw bytes. */
export const ofType =
  <S extends DescMessage>(schema: S) =>
  (records: TopicRecord[]) =>
    records.filter((r) => r.headers.ce_type === schema.typeName).map((r) => ({ value: fromBinary(schema, r.value), raw: r.value }));
