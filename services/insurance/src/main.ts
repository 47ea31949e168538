// The insurance service: a patient's coverages with photos of the card, verified by the clinic's
// staff, behind gRPC, publishing its facts to Kafka.
import { InsuranceService } from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { registration } from '@portico/kit/grpc';
import { isMainModule } from '@portico/kit/lifecycle';
import { openObjectStore, orphanSweep, referencesIn } from '@portico/kit/objects';
import { patientDirectoryOf } from '@portico/kit/patients';
import { defineService, startService, type StartOptions } from '@portico/kit/runtime';
import { insuranceEnv, type InsuranceConfig } from './config.js';
import { MAX_CARD_PHOTO_BYTES } from './domain/card-photo.js';
import { insuranceHandlers } from './grpc/insurance-handlers.js';
import { CardPhotoStore } from './store/card-photo-store.js';
import { COVERAGES_COLLECTION, PHOTO_KEY_FIELDS } from './store/coverage-model.js';
import { CoverageRepository } from './store/coverage-repository.js';

export const startInsuranceService = (config: InsuranceConfig, options: StartOptions = {}) =>
  startService({ name: 'insurance', config, options, outbox: [COVERAGES_COLLECTION] }, async (platform) => {
    const repository = await new CoverageRepository(platform.store).init();
    const objects = await openObjectStore(config, platform.logger);
    const photos = new CardPhotoStore(objects);
    // Photos a crash left without their coverage (between the photo and the document) are removed.
    const orphans = orphanSweep({
      name: 'card photos',
      objects,
      referenced: referencesIn(platform.connection, PHOTO_KEY_FIELDS),
      graceMs: config.OBJECT_SWEEP_GRACE_MS,
      intervalMs: config.OBJECT_SWEEP_INTERVAL_MS,
      logger: platform.logger,
    });
    return {
      grpc: [registration(InsuranceService, insuranceHandlers({ repository, photos, clock: platform.clock }))],
      patients: patientDirectoryOf(platform),
      dependencies: [{ name: 'object store', healthy: () => photos.healthy() }],
      // A coverage arrives in one message with both card photos (two times 10 MB at most).
      maxReceiveMessageBytes: 2 * MAX_CARD_PHOTO_BYTES + 1024 * 1024,
      jobs: config.OBJECT_SWEEP_INTERVAL_MS ? [orphans.job] : [],
      exports: { repository, photos, objects, orphans },
    };
  });

export const insuranceService = defineService({ name: 'insurance', config: insuranceEnv, start: startInsuranceService });

if (isMainModule(import.meta.url)) await insuranceService.main();
