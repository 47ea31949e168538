// Everything the appointments service reads from its environment, validated once at start.
import { serviceEnv, z } from '@portico/kit/config';
import { patientDirectoryEnv } from '@portico/kit/patients';

export const appointmentsEnv = serviceEnv.extend({
  ...patientDirectoryEnv,
  MONGO_DB: z.string().min(1).default('portico_appointments'),
  KAFKA_CLIENT_ID: z.string().min(1).default('portico-appointments'),
  /** How long before a telehealth visit starts the patient may join it. */
  TELEHEALTH_JOIN_LEAD_MINUTES: z.coerce.number().int().min(0).max(120).default(15),
  /** How far back a calendar feed still shows past visits. */
  CALENDAR_FEED_PAST_DAYS: z.coerce.number().int().min(0).max(366).default(30),
});

export type AppointmentsConfig = z.infer<typeof appointmentsEnv>;
