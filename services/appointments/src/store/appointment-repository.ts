// Reads and writes appointments. Every write changes one document and appends its events in the
// same atomic operation; concurrent writers are told apart by the version number. Booking a time
// (the overlap check, then the write) is one step per clinician and per patient (see bookingLock).
import type { OutboxEntry } from '@portico/kit/eventing';
import { withDocumentLock } from '@portico/kit/mongo';
import type { Page } from '@portico/kit/paging';
import { VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { Appointment, AppointmentPeriod, Clash } from '../domain/appointment.js';
import { appointmentModel, APPOINTMENTS_COLLECTION, type AppointmentDocument } from './appointment-model.js';

/** Restricts a query to one clinic when staff ask (patients and guardians are limited by patient id). */
type Scope = { patientId: string; clinicId?: string };
const filterOf = (scope: Scope) => ({ patientId: scope.patientId, ...(scope.clinicId !== undefined ? { clinicId: scope.clinicId } : {}) });

/** What a booking came to: the appointment stored (or the one a retry's key names), or what it clashes with. */
export type Booking = { appointment: Appointment; created: boolean; clash?: undefined } | { clash: Clash; appointment?: undefined };

/** Most appointments a clinician's window or a patient's feed returns. */
const MOST_LISTED = 1000;

export class AppointmentRepository extends VersionedRepository<Appointment, AppointmentDocument> {
  constructor(store: Store) {
    super(store, appointmentModel(store.connection) as Model<AppointmentDocument>, 'appointment');
  }

  protected idOf(appointment: Appointment): string {
    return appointment.appointmentId;
  }

  protected toEntity(document: AppointmentDocument): Appointment {
    const {
      _id,
      idempotencyKey: _key,
      outbox: _outbox,
      outboxPending: _pending,
      ...fields
    } = document as AppointmentDocument & {
      outboxPending?: boolean;
    };
    return { appointmentId: _id, ...fields };
  }

  protected fieldsOf({ appointmentId: _id, ...fields }: Appointment) {
    return fields;
  }

  find(scope: Scope, appointmentId: string): Promise<Appointment | undefined> {
    return this.findOne({ ...filterOf(scope), _id: appointmentId });
  }

  /** Upcoming: not ended by `now`, soonest first. Past: ended, latest first. Every status is listed. */
  list(scope: Scope, period: AppointmentPeriod, now: Date, page: Page): Promise<Appointment[]> {
    const upcoming = period === 'upcoming';
    return this.findMany(
      { ...filterOf(scope), endsAt: upcoming ? { $gt: now } : { $lte: now } },
      { sort: upcoming ? { startsAt: 1, _id: 1 } : { startsAt: -1, _id: -1 }, offset: page.offset, limit: page.limit },
    );
  }

  /** A clinician's appointments of the clinic that overlap [from, to), by start time. */
  forClinician(clinicId: string, clinicianId: string, from: Date, to: Date): Promise<Appointment[]> {
    return this.findMany(
      { clinicId, clinicianId, startsAt: { $lt: to }, endsAt: { $gt: from } },
      { sort: { startsAt: 1, _id: 1 }, limit: MOST_LISTED },
    );
  }

  /** What a patient's calendar feed shows: every appointment that ends after `since`, by start time. */
  forFeed(patientId: string, since: Date): Promise<Appointment[]> {
    return this.findMany({ patientId, endsAt: { $gt: since } }, { sort: { startsAt: 1, _id: 1 }, limit: MOST_LISTED });
  }

  /**
   * Checks the overlaps and stores a new appointment with its events, as one step for its
   * clinician and patient. A repeated idempotency key returns the first appointment instead.
   */
  book(appointment: Appointment, idempotencyKey: string, events: OutboxEntry[]): Promise<Booking> {
    return this.bookingLock(appointment, async (): Promise<Booking> => {
      const first = await this.findOne({ patientId: appointment.patientId, idempotencyKey });
      if (first) return { appointment: first, created: false };
      const clash = await this.clashOf(appointment);
      if (clash) return { clash };
      if (await this.tryInsert(appointment, events, { idempotencyKey })) return { appointment, created: true };
      // Another replica took the key between our read and our write (see bookingLock).
      const taken = await this.findOne({ patientId: appointment.patientId, idempotencyKey });
      if (!taken) throw new Error('an appointment with this id exists already');
      return { appointment: taken, created: false };
    });
  }

  /** Checks the overlaps (besides the appointment itself) and writes its new time, if nobody changed it since it was read. */
  rebook(current: Appointment, next: Appointment, events: OutboxEntry[]): Promise<Booking> {
    return this.bookingLock(next, async (): Promise<Booking> => {
      const clash = await this.clashOf(next);
      if (clash) return { clash };
      return { appointment: await this.replace(current, next, events), created: false };
    });
  }

  /** Writes a change made to `current` (of the same patient) if nobody changed it since it was read. */
  override replace(current: Appointment, next: Appointment, events: OutboxEntry[]): Promise<Appointment> {
    return super.replace(current, next, events, { patientId: current.patientId });
  }

  /** The first appointment, not cancelled, of the clinician or the patient that overlaps `wanted`'s time. */
  private async clashOf(wanted: Appointment): Promise<Clash | undefined> {
    const overlapping = { status: { $ne: 'cancelled' }, startsAt: { $lt: wanted.endsAt }, endsAt: { $gt: wanted.startsAt } };
    const others = { _id: { $ne: wanted.appointmentId } };
    const clinician = await this.findMany(
      { ...overlapping, ...others, clinicianId: wanted.clinicianId },
      { sort: { startsAt: 1 }, limit: 1 },
    );
    if (clinician[0]) return { with: 'clinician', startsAt: clinician[0].startsAt, endsAt: clinician[0].endsAt };
    const patient = await this.findMany({ ...overlapping, ...others, patientId: wanted.patientId }, { sort: { startsAt: 1 }, limit: 1 });
    if (patient[0]) return { with: 'patient', startsAt: patient[0].startsAt, endsAt: patient[0].endsAt };
    return undefined;
  }

  /**
   * FerretDB has no multi-document transactions, so "nothing overlaps, then insert" is made one
   * step by queueing every booking of the same clinician, then of the same patient (always in that
   * order, so two bookings never wait on each other), within this process. That holds for one
   * replica only: running several would need the database to refuse a double booking itself, e.g.
   * a unique index over per-clinician and per-patient time slots written with the appointment.
   */
  private bookingLock<T>(appointment: Appointment, book: () => Promise<T>): Promise<T> {
    return withDocumentLock(APPOINTMENTS_COLLECTION, `clinician:${appointment.clinicianId}`, () =>
      withDocumentLock(APPOINTMENTS_COLLECTION, `patient:${appointment.patientId}`, book),
    );
  }
}
