// The facts the appointments service publishes on `portico.appointments.v1`, keyed by patient id.
// Ids, times, the zone and the mode only: never the clinician, the service type, the location, the
// meeting link or the note (a consumer that needs them asks the appointments service).
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AppointmentModeSchema,
  type AppointmentMode as AppointmentModeProto,
} from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import {
  AppointmentCancelledSchema,
  AppointmentCompletedSchema,
  AppointmentMissedSchema,
  AppointmentRescheduledSchema,
  AppointmentScheduledSchema,
} from '@portico/contracts/gen/portico/events/appointments/v1/appointment_events_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Caller } from '@portico/kit/identity';
import { enumMapping } from '@portico/kit/vocabulary';
import { APPOINTMENT_MODES, type Appointment, type AppointmentMode } from '../domain/appointment.js';

export const APPOINTMENTS_TOPIC = 'portico.appointments.v1';

export const modes = enumMapping<AppointmentMode, AppointmentModeProto>(AppointmentModeSchema, APPOINTMENT_MODES);

function common(caller: Caller, appointment: Appointment) {
  return {
    appointmentId: appointment.appointmentId,
    patientId: appointment.patientId,
    clinicId: appointment.clinicId,
    actor: actorOf(caller.principal, caller.actingAs),
    occurredAt: timestampFromDate(appointment.updatedAt),
    version: BigInt(appointment.version),
  };
}

const when = (appointment: Appointment) => ({
  startsAt: timestampFromDate(appointment.startsAt),
  endsAt: timestampFromDate(appointment.endsAt),
  timeZone: appointment.timeZone,
  mode: modes.toProto(appointment.mode),
});

const target = (appointment: Appointment) => ({ topic: APPOINTMENTS_TOPIC, key: appointment.patientId, occurredAt: appointment.updatedAt });

export function appointmentScheduled(caller: Caller, appointment: Appointment): OutboxEntry {
  const event = create(AppointmentScheduledSchema, { ...common(caller, appointment), ...when(appointment) });
  return outboxEvent(AppointmentScheduledSchema, event, target(appointment));
}

export function appointmentRescheduled(caller: Caller, appointment: Appointment, previousStartsAt: Date): OutboxEntry {
  const event = create(AppointmentRescheduledSchema, {
    ...common(caller, appointment),
    ...when(appointment),
    previousStartsAt: timestampFromDate(previousStartsAt),
  });
  return outboxEvent(AppointmentRescheduledSchema, event, target(appointment));
}

export function appointmentCancelled(caller: Caller, appointment: Appointment): OutboxEntry {
  const event = create(AppointmentCancelledSchema, {
    ...common(caller, appointment),
    startsAt: timestampFromDate(appointment.startsAt),
    timeZone: appointment.timeZone,
  });
  return outboxEvent(AppointmentCancelledSchema, event, target(appointment));
}

export function appointmentCompleted(caller: Caller, appointment: Appointment): OutboxEntry {
  return outboxEvent(AppointmentCompletedSchema, create(AppointmentCompletedSchema, common(caller, appointment)), target(appointment));
}

export function appointmentMissed(caller: Caller, appointment: Appointment): OutboxEntry {
  return outboxEvent(AppointmentMissedSchema, create(AppointmentMissedSchema, common(caller, appointment)), target(appointment));
}
