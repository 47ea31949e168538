// The AuditService handlers: check who is asking and for whom, then read the trail. Reading the
// trail is itself a read of the patient's record, so it is audited like any other.
import type { AuditService } from '@portico/contracts/gen/portico/audit/v1/audit_pb';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { auditRead, authorisePatient, authoriseStaff, type Caller, type RequestContext } from '@portico/kit/requests';
import { historyPageOf, nextHistoryToken } from '../domain/history-page.js';
import { validateFilter, type AccessFilter } from '../domain/record-access.js';
import type { RecordAccessRepository } from '../store/record-access-repository.js';
import { dateOf, recordAccessMessage, recordOpeningMessage } from './record-access-messages.js';

const HISTORY = 'record_access_history';

export function auditHandlers({ repository }: { repository: RecordAccessRepository }): ServiceHandlers<(typeof AuditService)['method']> {
  /**
   * Staff see the whole history once the patient's clinic is known (and staff of another clinic
   * were refused by authorisePatient); before that, only what people of their own clinic did.
   */
  async function scopeOf(caller: Caller): Promise<Pick<AccessFilter, 'actorClinicId'>> {
    if (caller.actingAs !== 'staff' || (await repository.find(caller.patientId))) return {};
    return { actorClinicId: caller.principal.clinicId ?? '' };
  }

  const authorise = async (ctx: RequestContext, patientId: string, action: string) =>
    authorisePatient(ctx, patientId, { action, resourceType: HISTORY });

  return {
    async listRecordAccesses(request, ctx) {
      const action = 'audit.list_record_accesses';
      await authoriseStaff(ctx, { action, resourceType: HISTORY });
      const caller = await authorise(ctx, request.patientId, action);
      const page = historyPageOf(request.page);
      const filter = validateFilter({
        patientId: caller.patientId,
        from: dateOf(request.occurredFrom),
        before: dateOf(request.occurredBefore),
        actorSubject: request.actorSubject || undefined,
        ...(await scopeOf(caller)),
      });
      const accesses = await repository.list(filter, page);
      await auditRead(ctx, caller, { action, resourceType: HISTORY });
      return { accesses: accesses.map(recordAccessMessage), page: { nextPageToken: nextHistoryToken(page, accesses) } };
    },

    async listRecordOpenings(request, ctx) {
      const action = 'audit.list_record_openings';
      const caller = await authorise(ctx, request.patientId, action);
      const page = historyPageOf(request.page);
      const openings = await repository.list({ patientId: caller.patientId, outcome: 'allowed', ...(await scopeOf(caller)) }, page);
      await auditRead(ctx, caller, { action, resourceType: HISTORY });
      return { openings: openings.map(recordOpeningMessage), page: { nextPageToken: nextHistoryToken(page, openings) } };
    },
  };
}
