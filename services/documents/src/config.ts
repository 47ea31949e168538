// Everything the documents service reads from its environment, validated once at start.
import { serviceEnv, z } from '@portico/kit/config';
import { objectStoreEnv, objectSweepEnv } from '@portico/kit/objects';
import { patientDirectoryEnv } from '@portico/kit/patients';

export const documentsEnv = serviceEnv
  .extend({
    ...patientDirectoryEnv,
    MONGO_DB: z.string().min(1).default('portico_documents'),
    KAFKA_CLIENT_ID: z.string().min(1).default('portico-documents'),
    /** The bucket only this service writes: shared documents, resources and patients' uploads. */
    S3_BUCKET: z.string().min(3).default('portico-documents'),
    /** The largest file accepted, in megabytes (MiB). */
    UPLOAD_LIMIT_MB: z.coerce.number().int().min(1).max(1024).default(25),
    /** The contacts service, to check a release of information names one of the patient's contacts; empty: no releases. */
    CONTACTS_GRPC_URL: z.string().default(''),
  })
  .extend(objectStoreEnv.shape)
  .extend(objectSweepEnv.shape);

export type DocumentsConfig = z.infer<typeof documentsEnv>;
