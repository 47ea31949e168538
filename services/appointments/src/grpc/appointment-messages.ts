// Translation between the wire (protobuf) and the domain, in both directions. The Appointment
// message has no field for the meeting link: it leaves the service through JoinTelehealth only.
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import {
  AppointmentPeriodSchema,
  AppointmentSchema,
  AppointmentStatusSchema,
  CalendarFileSchema,
  type Appointment as AppointmentMessage,
  type AppointmentDetails as AppointmentDetailsMessage,
  type AppointmentPeriod as AppointmentPeriodProto,
  type AppointmentStatus as AppointmentStatusProto,
  type CalendarFile,
} from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { enumMapping } from '@portico/kit/vocabulary';
import {
  APPOINTMENT_PERIODS,
  APPOINTMENT_STATUSES,
  canJoinNow,
  joinWindow,
  type Appointment,
  type AppointmentPeriod,
  type AppointmentStatus,
  type AppointmentSubmission,
} from '../domain/appointment.js';
import { CALENDAR_CONTENT_TYPE } from '../domain/calendar.js';
import { modes } from '../events/appointment-events.js';

export const statuses = enumMapping<AppointmentStatus, AppointmentStatusProto>(AppointmentStatusSchema, APPOINTMENT_STATUSES);
export const periods = enumMapping<AppointmentPeriod, AppointmentPeriodProto>(AppointmentPeriodSchema, APPOINTMENT_PERIODS);

export function submissionOf(details: AppointmentDetailsMessage | undefined): AppointmentSubmission {
  return {
    clinicianId: details?.clinicianId ?? '',
    serviceType: details?.serviceType ?? '',
    start: details?.start?.local ?? '',
    end: details?.end?.local ?? '',
    // An unknown or missing mode becomes a name the domain refuses by name.
    mode: (details?.mode !== undefined && modes.fromProto(details.mode)) || `unknown(${details?.mode ?? 0})`,
    location: details?.location ?? '',
    meetingUrl: details?.meetingUrl ?? '',
    noteForPatient: details?.noteForPatient ?? '',
  };
}

/** How an appointment is shown now: the join window and whether it is open depend on the clock. */
export interface View {
  now: Date;
  leadMinutes: number;
}

export function appointmentMessage(appointment: Appointment, view: View): AppointmentMessage {
  const window = joinWindow(appointment, view.leadMinutes);
  return create(AppointmentSchema, {
    appointmentId: appointment.appointmentId,
    patientId: appointment.patientId,
    clinicId: appointment.clinicId,
    clinicianId: appointment.clinicianId,
    clinicianName: appointment.clinicianName,
    serviceType: appointment.serviceType,
    startsAt: timestampFromDate(appointment.startsAt),
    endsAt: timestampFromDate(appointment.endsAt),
    timeZone: appointment.timeZone,
    mode: modes.toProto(appointment.mode),
    location: appointment.location,
    noteForPatient: appointment.noteForPatient,
    status: statuses.toProto(appointment.status),
    cancellationReason: appointment.cancellationReason,
    ...(window ? { telehealthOpensAt: timestampFromDate(window.opensAt) } : {}),
    canJoinNow: canJoinNow(appointment, view.now, view.leadMinutes),
    version: BigInt(appointment.version),
    sequence: appointment.sequence,
    createdAt: timestampFromDate(appointment.createdAt),
    updatedAt: timestampFromDate(appointment.updatedAt),
  });
}

export const calendarFile = (fileName: string, content: string): CalendarFile =>
  create(CalendarFileSchema, { contentType: CALENDAR_CONTENT_TYPE, fileName, content });

/** A timestamp of the request, or undefined when absent. */
export const dateOf = (timestamp: Timestamp | undefined): Date | undefined => (timestamp ? timestampDate(timestamp) : undefined);
