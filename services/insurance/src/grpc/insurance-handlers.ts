// The InsuranceService handlers: check who is asking and for whom, translate, apply the domain
// rules, keep the photos and the change with its events, and audit every read and change. A
// refused request stores nothing: every rule is checked before a photo is kept, and photos of a
// write that fails after all are removed again.
import { randomUUID } from 'node:crypto';
import type { CardPhotoUpload, InsuranceService } from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { auditEvent } from '@portico/kit/audit';
import {
  InvalidInput,
  NotAllowedNow,
  NotFound,
  requireUuid,
  StaleVersion,
  validate,
  type Clock,
  type Violation,
} from '@portico/kit/domain';
import type { OutboxEntry } from '@portico/kit/eventing';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import {
  auditRead,
  auditStaffRead,
  authorisePatient,
  authoriseStaff,
  authoriseStaffFor,
  patientScope,
  type Caller,
  type RequestContext,
} from '@portico/kit/requests';
import { cardPhotoType } from '../domain/card-photo.js';
import {
  calendarDateOf,
  changedFields,
  hasEnded,
  inListOrder,
  INFORMATION_REQUEST,
  priorityTaken,
  validateCoverage,
  type CardSide,
  type Coverage,
  type CoverageAction,
  type CoverageDetails,
  type CoverageChange,
} from '../domain/coverage.js';
import {
  insuranceAdded,
  insuranceDeactivated,
  insuranceNeedsInformation,
  insuranceUpdated,
  insuranceVerified,
} from '../events/insurance-events.js';
import type { CardPhotoStore, CheckedCardPhoto } from '../store/card-photo-store.js';
import type { CoverageRepository } from '../store/coverage-repository.js';
import { cardSides, changeMessage, coverageMessage, submissionOf, verificationStates } from './coverage-messages.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
const COVERAGE = 'insurance_coverage';

export interface InsuranceHandlerDeps {
  repository: CoverageRepository;
  photos: CardPhotoStore;
  clock: Clock;
}

type PhotoUploads = { frontPhoto?: CardPhotoUpload | undefined; backPhoto?: CardPhotoUpload | undefined };

export function insuranceHandlers({
  repository,
  photos,
  clock,
}: InsuranceHandlerDeps): ServiceHandlers<(typeof InsuranceService)['method']> {
  const today = () => calendarDateOf(clock());
  const message = (coverage: Coverage) => coverageMessage(coverage, today());
  const authorise = (ctx: RequestContext, patientId: string, action: string) =>
    authorisePatient(ctx, patientId, { action, resourceType: COVERAGE });
  const authoriseStaffAction = (ctx: RequestContext, patientId: string, action: string) =>
    authoriseStaffFor(ctx, patientId, { action, resourceType: COVERAGE });

  async function loadCoverage(caller: Caller, coverageId: string): Promise<Coverage> {
    const coverage = await repository.find(patientScope(caller), requireUuid(coverageId, 'coverage_id'));
    if (!coverage) throw new NotFound('coverage not found');
    return coverage;
  }

  const historyEntry = (caller: Caller, action: CoverageAction, at: Date, fields: string[] = [], note = ''): CoverageChange => ({
    at,
    actorSubject: caller.principal.subject,
    actorName: caller.principal.username ?? '',
    actorRole: caller.actingAs,
    action,
    changedFields: fields,
    message: note,
  });

  /** The details and photos of a request, every rule checked at once (one list of violations). */
  async function checkedSubmission(request: PhotoUploads & { details?: Parameters<typeof submissionOf>[0] }) {
    const violations: Violation[] = [];
    let details: CoverageDetails | undefined;
    try {
      details = validateCoverage(submissionOf(request.details), today());
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      violations.push(...error.violations);
    }
    const checked: CheckedCardPhoto[] = [];
    for (const [side, upload] of [
      ['front', request.frontPhoto],
      ['back', request.backPhoto],
    ] as [CardSide, CardPhotoUpload | undefined][]) {
      if (!upload) continue;
      try {
        checked.push({ side, content: upload.content, contentType: await cardPhotoType(side, upload.content) });
      } catch (error) {
        if (!(error instanceof InvalidInput)) throw error;
        violations.push(...error.violations);
      }
    }
    if (violations.length || !details) throw new InvalidInput('coverage', violations);
    return { details, checked };
  }

  /** Keeps the checked photos of `coverage`; those kept so far are removed again when one fails. */
  async function keepPhotos(coverage: Pick<Coverage, 'patientId' | 'coverageId'>, checked: CheckedCardPhoto[], at: Date) {
    const kept: Partial<Record<CardSide, Coverage['frontPhoto']>> = {};
    try {
      for (const photo of checked) kept[photo.side] = await photos.keep(coverage.patientId, coverage.coverageId, photo, at);
    } catch (error) {
      await photos.forget(Object.values(kept));
      throw error;
    }
    return kept;
  }

  /** Writes `next` with its events and the audit of the change; photos of a failed write are removed. */
  async function write(
    caller: Caller,
    action: string,
    current: Coverage,
    next: Coverage,
    events: OutboxEntry[],
    newPhotos: Coverage['frontPhoto'][] = [],
  ) {
    const audit = auditEvent(caller, { action, resourceType: COVERAGE, resourceId: current.coverageId });
    let written: Coverage;
    try {
      written = await repository.replace(current, next, [...events, audit]);
    } catch (error) {
      await photos.forget(newPhotos);
      throw error;
    }
    // The photos the change replaced are no longer pointed at.
    await photos.forget(
      [current.frontPhoto, current.backPhoto].filter(
        (old) => old && old.key !== written.frontPhoto?.key && old.key !== written.backPhoto?.key,
      ),
    );
    return { coverage: message(written) };
  }

  const checkVersion = (coverage: Coverage, expected: bigint) => {
    if (expected !== 0n && BigInt(coverage.version) !== expected) throw new StaleVersion('coverage');
  };

  const requireActive = (coverage: Coverage) => {
    if (coverage.status !== 'active') throw new NotAllowedNow('the coverage was deactivated');
  };

  /** Staff's outcome of looking at a coverage: verified, or more information needed (with their message). */
  async function review(
    caller: Caller,
    request: { coverageId: string; expectedVersion: bigint },
    outcome: 'verified' | 'needs_information',
    note: string,
  ) {
    const current = await loadCoverage(caller, request.coverageId);
    checkVersion(current, request.expectedVersion);
    requireActive(current);
    // Verifying twice changes nothing; each request for information is kept (its message may differ).
    if (outcome === 'verified' && current.verification === 'verified') return { coverage: message(current) };
    const now = clock();
    const next: Coverage = {
      ...current,
      verification: outcome,
      informationRequest: note,
      history: [...current.history, historyEntry(caller, outcome === 'verified' ? 'verified' : 'information_requested', now, [], note)],
      updatedAt: now,
      version: current.version + 1,
    };
    const event = outcome === 'verified' ? insuranceVerified(caller, next) : insuranceNeedsInformation(caller, next);
    return write(caller, outcome === 'verified' ? 'insurance.verify' : 'insurance.request_information', current, next, [event]);
  }

  return {
    async listCoverages(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'insurance.list');
      const coverages = await repository.list(patientScope(caller));
      await auditRead(ctx, caller, { action: 'insurance.list', resourceType: COVERAGE });
      return { coverages: inListOrder(coverages).map(message) };
    },

    async getCoverage(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'insurance.get');
      const coverage = await loadCoverage(caller, request.coverageId);
      await auditRead(ctx, caller, { action: 'insurance.get', resourceType: COVERAGE, resourceId: coverage.coverageId });
      return { coverage: message(coverage) };
    },

    async addCoverage(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'insurance.add');
      if (request.idempotencyKey && !IDEMPOTENCY_KEY.test(request.idempotencyKey))
        throw new InvalidInput('request', [{ field: 'idempotency_key', message: 'must be 8 to 128 letters, digits or _.:-' }]);
      const { details, checked } = await checkedSubmission(request);
      if (request.idempotencyKey) {
        const first = await repository.byIdempotencyKey(caller.patientId, request.idempotencyKey);
        if (first) return { coverage: message(first) };
      }
      // Refused before any photo is kept; the unique index catches a concurrent one below.
      if (await repository.activeOf(caller.patientId, details.priority)) throw priorityTaken(details.priority);
      const now = clock();
      const coverageId = randomUUID();
      const kept = await keepPhotos({ patientId: caller.patientId, coverageId }, checked, now);
      const coverage: Coverage = {
        coverageId,
        patientId: caller.patientId,
        clinicId: caller.principal.clinicId ?? '',
        details,
        status: 'active',
        verification: 'submitted',
        informationRequest: '',
        frontPhoto: kept.front,
        backPhoto: kept.back,
        history: [historyEntry(caller, 'added', now)],
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const events = [
        insuranceAdded(caller, coverage),
        auditEvent(caller, { action: 'insurance.add', resourceType: COVERAGE, resourceId: coverageId }),
      ];
      try {
        const result = await repository.add(coverage, request.idempotencyKey || coverageId, events);
        if (!result.created) await photos.forget([kept.front, kept.back]);
        return { coverage: message(result.coverage) };
      } catch (error) {
        await photos.forget([kept.front, kept.back]);
        throw error;
      }
    },

    async updateCoverage(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'insurance.update');
      const { details, checked } = await checkedSubmission(request);
      const current = await loadCoverage(caller, request.coverageId);
      checkVersion(current, request.expectedVersion);
      requireActive(current);
      const fields = [...changedFields(current.details, details), ...checked.map((photo) => `${photo.side}Photo`)];
      if (fields.length === 0) return { coverage: message(current) };
      const now = clock();
      const kept = await keepPhotos(current, checked, now);
      const next: Coverage = {
        ...current,
        details,
        frontPhoto: kept.front ?? current.frontPhoto,
        backPhoto: kept.back ?? current.backPhoto,
        // A change is the patient's word again until staff check it.
        verification: 'submitted',
        informationRequest: '',
        history: [...current.history, historyEntry(caller, 'updated', now, fields)],
        updatedAt: now,
        version: current.version + 1,
      };
      return write(caller, 'insurance.update', current, next, [insuranceUpdated(caller, next, fields)], [kept.front, kept.back]);
    },

    async deactivateCoverage(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'insurance.deactivate');
      const current = await loadCoverage(caller, request.coverageId);
      // Already inactive: nothing changes and no event is published (a retry is harmless).
      if (current.status === 'inactive') return { coverage: message(current) };
      const now = clock();
      const next: Coverage = {
        ...current,
        status: 'inactive',
        history: [...current.history, historyEntry(caller, 'deactivated', now)],
        updatedAt: now,
        version: current.version + 1,
      };
      return write(caller, 'insurance.deactivate', current, next, [insuranceDeactivated(caller, next)]);
    },

    async getCardPhoto(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'insurance.photo');
      const coverage = await loadCoverage(caller, request.coverageId);
      const side = cardSides.fromProto(request.side);
      if (!side) throw new InvalidInput('request', [{ field: 'side', message: 'must be front or back' }]);
      const photo = side === 'front' ? coverage.frontPhoto : coverage.backPhoto;
      if (!photo) throw new NotFound(`the coverage has no ${side} photo`);
      const content = await photos.read(photo);
      await auditRead(ctx, caller, { action: 'insurance.photo', resourceType: COVERAGE, resourceId: coverage.coverageId });
      return { contentType: photo.contentType, content };
    },

    async verifyCoverage(request, ctx) {
      const caller = await authoriseStaffAction(ctx, request.patientId, 'insurance.verify');
      return review(caller, request, 'verified', '');
    },

    async requestCoverageInformation(request, ctx) {
      const caller = await authoriseStaffAction(ctx, request.patientId, 'insurance.request_information');
      const note = validate(INFORMATION_REQUEST, request.message, 'request', { whole: 'message' });
      return review(caller, request, 'needs_information', note);
    },

    async listCoverageHistory(request, ctx) {
      const caller = await authoriseStaffAction(ctx, request.patientId, 'insurance.history');
      const coverage = await loadCoverage(caller, request.coverageId);
      await auditRead(ctx, caller, { action: 'insurance.history', resourceType: COVERAGE, resourceId: coverage.coverageId });
      return { changes: coverage.history.map(changeMessage) };
    },

    async listClinicCoverages(request, ctx) {
      const staff = await authoriseStaff(ctx, { action: 'insurance.list_clinic', resourceType: COVERAGE });
      const page = pageOf(request);
      const verification = verificationStates.fromProto(request.verification);
      const coverages = await repository.listClinic(staff.clinicId, verification, page);
      await auditStaffRead(ctx, staff, { action: 'insurance.list_clinic', resourceType: COVERAGE });
      return { coverages: coverages.map(message), nextPageToken: nextPageToken(page, coverages.length) };
    },

    async getPrimaryCoverage(request, ctx) {
      const caller = await authorise(ctx, request.patientId, 'insurance.primary');
      const primary = await repository.activeOf(caller.patientId, 'primary', patientScope(caller).clinicId);
      await auditRead(ctx, caller, { action: 'insurance.primary', resourceType: COVERAGE, resourceId: primary?.coverageId ?? '' });
      // A primary coverage that has ended is not billed to.
      if (!primary || hasEnded(primary.details, today())) return { found: false };
      const { memberId, payerName, groupNumber } = primary.details;
      return { found: true, coverageId: primary.coverageId, memberId, payerName, groupNumber };
    },
  };
}
