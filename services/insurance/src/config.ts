// Everything the insurance service reads from its environment, validated once at start.
import { serviceEnv, z } from '@portico/kit/config';
import { objectStoreEnv, objectSweepEnv } from '@portico/kit/objects';
import { patientDirectoryEnv } from '@portico/kit/patients';

export const insuranceEnv = serviceEnv.extend({
  ...patientDirectoryEnv,
  ...objectStoreEnv.shape,
  ...objectSweepEnv.shape,
  MONGO_DB: z.string().min(1).default('portico_insurance'),
  KAFKA_CLIENT_ID: z.string().min(1).default('portico-insurance'),
  /** Where the photos of insurance cards are kept; only this service writes it. */
  S3_BUCKET: z.string().min(3).default('portico-insurance'),
});

export type InsuranceConfig = z.infer<typeof insuranceEnv>;
