// The audit service: keeps every record access from the audit topic, append-only, for the
// retention period, and lets staff and patients read a patient's history over gRPC.
import { AuditService } from '@portico/contracts/gen/portico/audit/v1/audit_pb';
import { registration } from '@portico/kit/grpc';
import { isMainModule } from '@portico/kit/lifecycle';
import { defineService, startService, type StartOptions } from '@portico/kit/runtime';
import { auditEnv, type AuditConfig } from './config.js';
import { recordAccessConsumer } from './events/record-access-consumer.js';
import { auditHandlers } from './grpc/audit-handlers.js';
import { retentionSweep } from './jobs/retention-sweep.js';
import { RecordAccessRepository } from './store/record-access-repository.js';

export const startAuditService = (config: AuditConfig, options: StartOptions = {}) =>
  startService({ name: 'audit', config, options, outbox: [] }, async (platform) => {
    const repository = await new RecordAccessRepository(platform.store).init();
    const retentionDays = config.AUDIT_RETENTION_DAYS;
    const groupId = config.AUDIT_CONSUMER_GROUP ?? config.MONGO_DB;
    return {
      grpc: [registration(AuditService, auditHandlers({ repository }))],
      consumers: [recordAccessConsumer(platform, { groupId, retentionDays, start: config.AUDIT_CONSUMER_START, repository })],
      jobs: [retentionSweep(platform, { retentionDays, intervalMs: config.AUDIT_RETENTION_SWEEP_MS, repository })],
      patients: repository,
      exports: { repository, groupId },
    };
  });

export const auditService = defineService({ name: 'audit', config: auditEnv, start: startAuditService });

if (isMainModule(import.meta.url)) await auditService.main();
