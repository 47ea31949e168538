// Everything the audit service reads from its environment, validated once at start.
import { serviceEnv, z } from '@portico/kit/config';

/** Six years, counting the leap days they hold: the record-keeping period most clinics must meet. */
export const SIX_YEARS_IN_DAYS = 6 * 365 + 2;

export const auditEnv = serviceEnv.extend({
  MONGO_DB: z.string().min(1).default('portico_audit'),
  KAFKA_CLIENT_ID: z.string().min(1).default('portico-audit'),
  /**
   * The Kafka consumer group; the database's name when unset. The ids of events already kept live
   * in that database, so a new database starts a new group and takes in the whole topic again.
   */
  AUDIT_CONSUMER_GROUP: z.string().min(1).optional(),
  /**
   * Where a new consumer group starts reading (a group that has read before carries on where it
   * stopped): `earliest` takes in everything the topic still holds, `latest` starts from now, an
   * ISO instant rebuilds the trail from that moment on.
   */
  AUDIT_CONSUMER_START: z.union([z.enum(['earliest', 'latest']), z.iso.datetime({ offset: true })]).default('earliest'),
  /** How long an access stays in the trail, from when it happened. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).default(SIX_YEARS_IN_DAYS),
  /** How often entries past the retention period are removed. */
  AUDIT_RETENTION_SWEEP_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(60 * 60_000),
});

export type AuditConfig = z.infer<typeof auditEnv>;
