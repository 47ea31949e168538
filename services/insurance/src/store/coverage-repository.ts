// Reads and writes coverages. Every write changes one document and appends its events in the same
// atomic operation; concurrent writers are told apart by the version number, and the unique
// (patient, active slot) index refuses a second active coverage of one priority even when two
// arrive at the same moment.
import type { OutboxEntry } from '@portico/kit/eventing';
import { isDuplicateKey, VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import { activeSlotOf, priorityTaken, type Coverage, type VerificationState } from '../domain/coverage.js';
import { coverageModel, type CoverageDocument } from './coverage-model.js';

/** Restricts a query to one clinic when staff ask (patients and guardians are limited by patient id). */
type Scope = { patientId: string; clinicId?: string };
const filterOf = (scope: Scope) => ({ patientId: scope.patientId, ...(scope.clinicId !== undefined ? { clinicId: scope.clinicId } : {}) });

export class CoverageRepository extends VersionedRepository<Coverage, CoverageDocument> {
  constructor(store: Store) {
    super(store, coverageModel(store.connection) as Model<CoverageDocument>, 'coverage');
  }

  protected idOf(coverage: Coverage): string {
    return coverage.coverageId;
  }

  protected toEntity(d: CoverageDocument): Coverage {
    return {
      coverageId: d._id,
      patientId: d.patientId,
      clinicId: d.clinicId,
      details: { ...d.details, copay: d.details.copay ?? undefined },
      status: d.status,
      verification: d.verification,
      informationRequest: d.informationRequest ?? '',
      frontPhoto: d.frontPhoto ?? undefined,
      backPhoto: d.backPhoto ?? undefined,
      history: d.history ?? [],
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      version: d.version,
    };
  }

  protected fieldsOf({ coverageId, frontPhoto, backPhoto, ...fields }: Coverage) {
    // A photo removed is stored as null so $set clears it.
    return { ...fields, frontPhoto: frontPhoto ?? null, backPhoto: backPhoto ?? null, activeSlot: activeSlotOf({ coverageId, ...fields }) };
  }

  list(scope: Scope): Promise<Coverage[]> {
    return this.findMany(filterOf(scope), { sort: { createdAt: 1, _id: 1 } });
  }

  find(scope: Scope, coverageId: string): Promise<Coverage | undefined> {
    return this.findOne({ ...filterOf(scope), _id: coverageId });
  }

  /** The patient's active coverage of `priority`, if any (of `clinicId` only, when staff ask). */
  activeOf(patientId: string, priority: string, clinicId?: string): Promise<Coverage | undefined> {
    return this.findOne({ ...filterOf({ patientId, ...(clinicId !== undefined ? { clinicId } : {}) }), activeSlot: priority });
  }

  /** The coverage an AddCoverage with this idempotency key created, if any. */
  byIdempotencyKey(patientId: string, idempotencyKey: string): Promise<Coverage | undefined> {
    return this.findOne({ patientId, idempotencyKey });
  }

  /** A clinic's coverages, latest change first. */
  listClinic(clinicId: string, verification: VerificationState | undefined, page: { offset: number; limit: number }): Promise<Coverage[]> {
    return this.findMany(
      { clinicId, ...(verification ? { verification } : {}) },
      { sort: { updatedAt: -1, _id: 1 }, offset: page.offset, limit: page.limit },
    );
  }

  /**
   * Inserts the coverage with its events. A repeated idempotency key returns the first coverage
   * (created false); an active coverage of the same priority makes it refused.
   */
  async add(coverage: Coverage, idempotencyKey: string, events: OutboxEntry[]): Promise<{ coverage: Coverage; created: boolean }> {
    if (await this.tryInsert(coverage, events, { idempotencyKey })) return { coverage, created: true };
    const first = await this.findOne({ patientId: coverage.patientId, idempotencyKey });
    if (first) return { coverage: first, created: false };
    throw priorityTaken(coverage.details.priority);
  }

  /** Writes a change made to `current` (of the same patient) if nobody changed it since it was read. */
  override async replace(current: Coverage, next: Coverage, events: OutboxEntry[]): Promise<Coverage> {
    try {
      return await super.replace(current, next, events, { patientId: current.patientId });
    } catch (error) {
      if (isDuplicateKey(error)) throw priorityTaken(next.details.priority);
      throw error;
    }
  }
}
