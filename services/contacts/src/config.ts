// Everything the contacts service reads from its environment, validated once at start.
import { serviceEnv, z } from '@portico/kit/config';
import { patientDirectoryEnv } from '@portico/kit/patients';

export const contactsEnv = serviceEnv.extend({
  ...patientDirectoryEnv,
  MONGO_DB: z.string().min(1).default('portico_contacts'),
  KAFKA_CLIENT_ID: z.string().min(1).default('portico-contacts'),
});

export type ContactsConfig = z.infer<typeof contactsEnv>;
