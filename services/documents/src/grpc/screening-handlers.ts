// PHQ-9 and GAD-7 screenings: staff assign one to a patient of their clinic; the patient or a
// guardian answers it once; the service scores it. The patient, their guardians and the clinic's
// staff read screenings and results (every read audited); anyone else gets NOT_FOUND.
import { randomUUID } from 'node:crypto';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { auditEvent } from '@portico/kit/audit';
import { InvalidInput, NotAllowedNow, NotFound, NotPermitted, requireUuid, VersionConflict } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import { auditRead, authorisePatient, authoriseStaffFor, patientScope, type Caller, type RequestContext } from '@portico/kit/requests';
import { CHOICES, complete, QUESTIONNAIRES, type Screening } from '../domain/screenings.js';
import { instruments, screeningAssigned, screeningCompleted, severities } from '../events/screening-events.js';
import type { DocumentHandlerDeps } from './handler-deps.js';

type Methods = (typeof DocumentsService)['method'];

export const SCREENING = 'screening';

const screeningMessage = (s: Screening) => ({
  screeningId: s.screeningId,
  patientId: s.patientId,
  instrument: instruments.toProto(s.instrument),
  assignedAt: timestampFromDate(s.assignedAt),
  ...(s.result
    ? {
        result: {
          score: s.result.score,
          maxScore: s.result.maxScore,
          severity: severities.toProto(s.result.severity),
          needsAttention: s.result.needsAttention,
          completedAt: timestampFromDate(s.result.completedAt),
        },
      }
    : {}),
});

const questionnaireMessage = (s: Screening) => {
  const { title, question, items } = QUESTIONNAIRES[s.instrument];
  return { title, question, items: [...items], choices: CHOICES.map((c) => ({ ...c })) };
};

export function screeningHandlers(
  deps: DocumentHandlerDeps,
): Pick<ServiceHandlers<Methods>, 'assignScreening' | 'listScreenings' | 'getScreening' | 'submitScreening'> {
  const { screenings, clock } = deps;
  const attempt = (action: string) => ({ action, resourceType: SCREENING });

  async function findFor(ctx: RequestContext, caller: Caller, screeningId: string) {
    const screening = await screenings.find(patientScope(caller), requireUuid(screeningId, 'screening_id'));
    if (!screening) throw new NotFound('screening not found');
    return screening;
  }

  /** The completed screenings of the same instrument up to this one (none while it is open). */
  async function trendOf(caller: Caller, screening: Screening) {
    if (!screening.result) return [];
    const earlier = await screenings.completedUntil(patientScope(caller), screening.instrument, screening.result.completedAt);
    return earlier.map((s) => ({
      screeningId: s.screeningId,
      score: s.result!.score,
      severity: severities.toProto(s.result!.severity),
      completedAt: timestampFromDate(s.result!.completedAt),
    }));
  }

  return {
    async assignScreening(request, ctx) {
      const action = 'screenings.assign';
      const caller = await authoriseStaffFor(ctx, request.patientId, attempt(action));
      const instrument = instruments.fromProto(request.instrument);
      if (!instrument) throw new InvalidInput('screening', [{ field: 'instrument', message: 'must be PHQ-9 or GAD-7' }]);
      const screening: Screening = {
        screeningId: randomUUID(),
        patientId: caller.patientId,
        clinicId: caller.principal.clinicId ?? '',
        instrument,
        assignedBy: caller.principal.subject,
        assignedAt: clock(),
        answers: null,
        result: null,
        completedBy: '',
        version: 1,
      };
      const audit = auditEvent(caller, { ...attempt(action), resourceId: screening.screeningId });
      await screenings.add(screening, [screeningAssigned(caller, screening), audit]);
      return { screening: screeningMessage(screening) };
    },

    async listScreenings(request, ctx) {
      const action = 'screenings.list';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const page = pageOf(request.page);
      const found = await screenings.list(patientScope(caller), page);
      await auditRead(ctx, caller, attempt(action));
      return { screenings: found.map(screeningMessage), page: { nextPageToken: nextPageToken(page, found.length) } };
    },

    async getScreening(request, ctx) {
      const action = 'screenings.read';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const screening = await findFor(ctx, caller, request.screeningId);
      await auditRead(ctx, caller, { ...attempt(action), resourceId: screening.screeningId });
      return {
        screening: screeningMessage(screening),
        questionnaire: questionnaireMessage(screening),
        trend: await trendOf(caller, screening),
      };
    },

    async submitScreening(request, ctx) {
      const action = 'screenings.submit';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      // The answers are the patient's: staff read them, they do not give them.
      if (caller.actingAs === 'staff') throw new NotPermitted('only the patient or a guardian answers a screening');
      const screening = await findFor(ctx, caller, request.screeningId);
      const done = complete(screening, request.answers, caller.principal.subject, clock());
      const events = [...screeningCompleted(caller, done), auditEvent(caller, { ...attempt(action), resourceId: screening.screeningId })];
      try {
        // Only a screening still open is completed: of two submissions at once, one wins.
        await screenings.replace(screening, done, events, { result: null });
      } catch (error) {
        if (error instanceof VersionConflict) throw new NotAllowedNow('this screening was completed already');
        throw error;
      }
      return { screening: screeningMessage(done), trend: await trendOf(caller, done) };
    },
  };
}
