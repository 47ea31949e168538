// The documents service: clinical documents staff share, resources, and the files patients and
// guardians upload, behind gRPC; the bytes in the object store (this service is its bucket's only
// writer), the facts published to Kafka.
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { ConsentsService } from '@portico/contracts/gen/portico/documents/v1/consents_pb';
import { FormsService } from '@portico/contracts/gen/portico/documents/v1/forms_pb';
import { connectService, registration } from '@portico/kit/grpc';
import { isMainModule } from '@portico/kit/lifecycle';
import { openObjectStore, orphanSweep, referencesIn } from '@portico/kit/objects';
import { patientDirectoryOf } from '@portico/kit/patients';
import { defineService, startService, type StartOptions } from '@portico/kit/runtime';
import { documentsEnv, type DocumentsConfig } from './config.js';
import { MEGABYTE } from './domain/files.js';
import { documentsHandlers } from './grpc/documents-handlers.js';
import { consentsOf } from './consents/consents-wiring.js';
import { CONSENTS_COLLECTION } from './store/consent-models.js';
import { formsHandlers } from './grpc/forms-handlers.js';
import { DOCUMENTS_COLLECTION, RESOURCES_COLLECTION, SCREENINGS_COLLECTION, UPLOADS_COLLECTION } from './store/models.js';
import { FORMS_COLLECTION, formRepositories } from './store/form-store.js';
import { OBJECT_KEY_FIELDS } from './store/object-keys.js';
import { DocumentRepository, HandbookMigrations, ResourceRepository, ScreeningRepository, UploadRepository } from './store/repositories.js';

export const startDocumentsService = (config: DocumentsConfig, options: StartOptions = {}) =>
  startService(
    {
      name: 'documents',
      config,
      options,
      outbox: [
        DOCUMENTS_COLLECTION,
        RESOURCES_COLLECTION,
        UPLOADS_COLLECTION,
        SCREENINGS_COLLECTION,
        CONSENTS_COLLECTION,
        FORMS_COLLECTION,
      ],
    },
    async (platform) => {
      const objects = await openObjectStore(config, platform.logger);
      const documents = await new DocumentRepository(platform.store).init();
      const resources = await new ResourceRepository(platform.store).init();
      const uploads = await new UploadRepository(platform.store).init();
      const screenings = await new ScreeningRepository(platform.store).init();
      const forms = await formRepositories(platform.store);
      // The handbook the auth service kept before is read from it once per clinic (handbook handlers).
      const auth = connectService(AuthService, config.AUTH_GRPC_URL, { defaultTimeoutMs: 30_000 });
      platform.lifecycle.onShutdown('auth client', () => auth.close());
      const handlers = documentsHandlers({
        documents,
        resources,
        uploads,
        screenings,
        objects,
        clock: platform.clock,
        limitBytes: config.UPLOAD_LIMIT_MB * MEGABYTE,
        auth,
        migrations: new HandbookMigrations(platform.store),
      });
      const consents = await consentsOf(platform, config, { objects, auth });
      // Objects a crash left without metadata (between the object and its document) are removed.
      const orphans = orphanSweep({
        name: 'documents',
        objects,
        referenced: referencesIn(platform.connection, OBJECT_KEY_FIELDS),
        graceMs: config.OBJECT_SWEEP_GRACE_MS,
        intervalMs: config.OBJECT_SWEEP_INTERVAL_MS,
        logger: platform.logger,
      });
      return {
        grpc: [
          registration(DocumentsService, handlers),
          registration(ConsentsService, consents.handlers),
          registration(FormsService, formsHandlers({ ...forms, clock: platform.clock })),
        ],
        patients: patientDirectoryOf(platform),
        jobs: config.OBJECT_SWEEP_INTERVAL_MS ? [orphans.job] : [],
        // Files arrive as client streams: a wider HTTP/2 window keeps them flowing (kit grpc).
        receiveWindowBytes: 4 * MEGABYTE,
        // The object store being down fails only the calls that need it: MongoDB decides readiness.
        exports: { documents, resources, uploads, screenings, objects, consents: consents.repository, forms, orphans },
      };
    },
  );

export const documentsService = defineService({ name: 'documents', config: documentsEnv, start: startDocumentsService });

if (isMainModule(import.meta.url)) await documentsService.main();
