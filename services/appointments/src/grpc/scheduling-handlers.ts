// Staff at work: schedule, reschedule, cancel, complete and mark no-shows for a patient of their
// clinic, and read a clinician's day or week. Each handler checks who asks and for whom,
// translates, applies the domain's rules, and stores the change with its events and its audit.
import { randomUUID } from 'node:crypto';
import type { AppointmentsService } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { auditEvent, staffAudit } from '@portico/kit/audit';
import { InvalidInput, NotFound, requireUuid, StaleVersion, type Violation } from '@portico/kit/domain';
import type { OutboxEntry } from '@portico/kit/eventing';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { authoriseStaff, authoriseStaffFor, patientScope, type Caller, type RequestContext } from '@portico/kit/requests';
import {
  cancel,
  clashRefusal,
  complete,
  markNoShow,
  reschedule,
  validateAppointment,
  validateCancellationReason,
  validateOutcome,
  validateTimes,
  type SchedulingContext,
  type Appointment,
  type AppointmentStatus,
} from '../domain/appointment.js';
import {
  appointmentCancelled,
  appointmentCompleted,
  appointmentMissed,
  appointmentRescheduled,
  appointmentScheduled,
} from '../events/appointment-events.js';
import type { Booking } from '../store/appointment-repository.js';
import { appointmentMessage, dateOf, statuses, submissionOf } from './appointment-messages.js';
import { APPOINTMENT, type AppointmentHandlerDeps } from './handler-deps.js';

type Methods = (typeof AppointmentsService)['method'];
type SchedulingMethods =
  | 'scheduleAppointment'
  | 'rescheduleAppointment'
  | 'cancelAppointment'
  | 'completeAppointment'
  | 'markNoShow'
  | 'recordPastVisit'
  | 'listClinicianAppointments';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
/** The longest window of a clinician's appointments one call returns (a month view). */
const LONGEST_WINDOW_DAYS = 31;

/** Staff of the patient's clinic only; the patient and their guardians may read but not change (kit). */
const staffFor = (ctx: RequestContext, patientId: string, action: string): Promise<Caller> =>
  authoriseStaffFor(ctx, patientId, { action, resourceType: APPOINTMENT });

export function schedulingHandlers(deps: AppointmentHandlerDeps): Pick<ServiceHandlers<Methods>, SchedulingMethods> {
  const { repository, clinics, clock, leadMinutes } = deps;
  const present = (appointment: Appointment) => ({ appointment: appointmentMessage(appointment, { now: clock(), leadMinutes }) });
  const audit = (caller: Caller, action: string, appointment: Appointment) =>
    auditEvent(caller, { action, resourceType: APPOINTMENT, resourceId: appointment.appointmentId });

  async function load(caller: Caller, appointmentId: string): Promise<Appointment> {
    const appointment = await repository.find(patientScope(caller), requireUuid(appointmentId, 'appointment_id'));
    if (!appointment) throw new NotFound('appointment not found');
    return appointment;
  }

  function booked(booking: Booking, timeZone: string): Appointment {
    if (booking.clash) throw clashRefusal(booking.clash, timeZone);
    return booking.appointment;
  }

  /**
   * Moves an appointment to `target` with its event. Already there: nothing changes and nothing is
   * published, so a retried call is harmless.
   */
  async function settle(
    caller: Caller,
    appointmentId: string,
    action: string,
    target: AppointmentStatus,
    next: (current: Appointment, now: Date) => Appointment,
    event: (caller: Caller, appointment: Appointment) => OutboxEntry,
  ) {
    const current = await load(caller, appointmentId);
    if (current.status === target) return present(current);
    const changed = next(current, clock());
    return present(await repository.replace(current, changed, [event(caller, changed), audit(caller, action, changed)]));
  }

  /**
   * A new appointment from what staff submitted: checked against every rule, with the clinic's
   * snapshot and the clinician's name. `when` says whether it lies ahead (scheduling) or has ended
   * (a visit recorded afterwards, stored with its outcome).
   */
  async function newVisit(
    ctx: RequestContext,
    caller: Caller,
    request: { idempotencyKey: string; details?: Parameters<typeof submissionOf>[0] },
    when: SchedulingContext['when'],
    status: AppointmentStatus = 'scheduled',
  ): Promise<{ appointment: Appointment; timeZone: string }> {
    if (request.idempotencyKey && !IDEMPOTENCY_KEY.test(request.idempotencyKey))
      throw new InvalidInput('request', [{ field: 'idempotency_key', message: 'must be 8 to 128 letters, digits or _.:-' }]);
    const clinic = await clinics.clinic(ctx);
    const now = clock();
    const plan = validateAppointment(submissionOf(request.details), { timeZone: clinic.timeZone, now, when });
    const clinicianName = await clinics.staffMemberName(ctx, plan.clinicianId);
    if (clinicianName === undefined)
      throw new InvalidInput('appointment', [{ field: 'clinician_id', message: 'is not a staff member of this clinic' }]);
    const appointment: Appointment = {
      appointmentId: randomUUID(),
      patientId: caller.patientId,
      ...clinic,
      // The clinic that authorised the caller is the one the appointment belongs to.
      clinicId: caller.principal.clinicId ?? clinic.clinicId,
      ...plan,
      clinicianName,
      status,
      cancellationReason: '',
      sequence: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    return { appointment, timeZone: clinic.timeZone };
  }

  return {
    async scheduleAppointment(request, ctx) {
      const action = 'appointments.schedule';
      const caller = await staffFor(ctx, request.patientId, action);
      const { appointment, timeZone } = await newVisit(ctx, caller, request, 'ahead');
      const events = [appointmentScheduled(caller, appointment), audit(caller, action, appointment)];
      return present(booked(await repository.book(appointment, request.idempotencyKey || appointment.appointmentId, events), timeZone));
    },

    async recordPastVisit(request, ctx) {
      const action = 'appointments.record_past_visit';
      const caller = await staffFor(ctx, request.patientId, action);
      const outcome = validateOutcome(statuses.fromProto(request.outcome));
      const { appointment, timeZone } = await newVisit(ctx, caller, request, 'past', outcome);
      // Its outcome is the only fact to publish: nothing was scheduled, so nobody is told of a booking.
      const outcomeEvent = outcome === 'completed' ? appointmentCompleted : appointmentMissed;
      const events = [outcomeEvent(caller, appointment), audit(caller, action, appointment)];
      return present(booked(await repository.book(appointment, request.idempotencyKey || appointment.appointmentId, events), timeZone));
    },

    async rescheduleAppointment(request, ctx) {
      const action = 'appointments.reschedule';
      const caller = await staffFor(ctx, request.patientId, action);
      const current = await load(caller, request.appointmentId);
      if (request.expectedVersion !== 0n && BigInt(current.version) !== request.expectedVersion) throw new StaleVersion(APPOINTMENT);
      const now = clock();
      // Read in the zone the appointment was made in, which is the one it is shown in.
      const times = validateTimes(request.start?.local ?? '', request.end?.local ?? '', { timeZone: current.timeZone, now });
      const next = reschedule(current, times, now);
      if (next.startsAt.getTime() === current.startsAt.getTime() && next.endsAt.getTime() === current.endsAt.getTime())
        return present(current);
      const events = [appointmentRescheduled(caller, next, current.startsAt), audit(caller, action, next)];
      return present(booked(await repository.rebook(current, next, events), current.timeZone));
    },

    async cancelAppointment(request, ctx) {
      const action = 'appointments.cancel';
      const caller = await staffFor(ctx, request.patientId, action);
      const reason = validateCancellationReason(request.reason);
      return settle(
        caller,
        request.appointmentId,
        action,
        'cancelled',
        (current, now) => cancel(current, reason, now),
        appointmentCancelled,
      );
    },

    async completeAppointment(request, ctx) {
      const action = 'appointments.complete';
      const caller = await staffFor(ctx, request.patientId, action);
      return settle(caller, request.appointmentId, action, 'completed', complete, appointmentCompleted);
    },

    async markNoShow(request, ctx) {
      const action = 'appointments.mark_no_show';
      const caller = await staffFor(ctx, request.patientId, action);
      return settle(caller, request.appointmentId, action, 'no_show', markNoShow, appointmentMissed);
    },

    async listClinicianAppointments(request, ctx) {
      const action = 'appointments.list_clinician';
      const caller = await authoriseStaff(ctx, { action, resourceType: APPOINTMENT });
      const clinicianId = requireUuid(request.clinicianId, 'clinician_id');
      const from = dateOf(request.from);
      const to = dateOf(request.to);
      const violations: Violation[] = [];
      if (!from) violations.push({ field: 'from', message: 'is required' });
      if (!to) violations.push({ field: 'to', message: 'is required' });
      else if (from && to.getTime() <= from.getTime()) violations.push({ field: 'to', message: 'must be after from' });
      else if (from && to.getTime() - from.getTime() > LONGEST_WINDOW_DAYS * 86_400_000)
        violations.push({ field: 'to', message: `must be at most ${LONGEST_WINDOW_DAYS} days after from` });
      if (violations.length || !from || !to) throw new InvalidInput('request', violations);
      if ((await clinics.staffMemberName(ctx, clinicianId)) === undefined) throw new NotFound('clinician not found');
      const appointments = await repository.forClinician(caller.clinicId, clinicianId, from, to);
      // Each patient whose appointment the schedule shows had (part of) their record read.
      const patients = [...new Set(appointments.map((a) => a.patientId))];
      await ctx.access.audit.record(patients.map((patientId) => staffAudit(caller, { action, resourceType: APPOINTMENT }, patientId)));
      const now = clock();
      return { appointments: appointments.map((a) => appointmentMessage(a, { now, leadMinutes })) };
    },
  };
}
