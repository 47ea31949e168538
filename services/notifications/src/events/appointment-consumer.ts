// Turns the appointments topic's facts into notices and reminders: a booking, a move or a
// cancellation is one notice (the event's id is its id, so a redelivery or a replay adds
// nothing); a booking or a move also (re)plans the reminder, a cancellation ends it. The kit's
// consumer makes it idempotent by event id, retried with backoff and dead-lettered. Sending is
// the delivery job's: an SMTP or auth outage never holds up the topic or parks an event.
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { AppointmentMode } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import {
  AppointmentCancelledSchema,
  AppointmentRescheduledSchema,
  AppointmentScheduledSchema,
} from '@portico/contracts/gen/portico/events/appointments/v1/appointment_events_pb';
import { UUID_PATTERN } from '@portico/kit/domain';
import { EventConsumer, on, PoisonMessageError, type ConsumerStart, type ReceivedEvent } from '@portico/kit/eventing';
import type { PeriodicJob } from '@portico/kit/jobs';
import type { Platform } from '@portico/kit/runtime';
import { worthTelling, type AppointmentNotice, type NoticeKind, type VisitMode } from '../domain/appointment-notice.js';
import { planReminder, type ScheduledAppointment } from '../domain/reminder.js';
import type { NotificationRepositories } from '../store/notification-store.js';

export const APPOINTMENTS_TOPIC = 'portico.appointments.v1';

const MODES: Partial<Record<AppointmentMode, VisitMode>> = {
  [AppointmentMode.IN_PERSON]: 'in_person',
  [AppointmentMode.TELEHEALTH]: 'video',
};

interface AppointmentFact {
  appointmentId: string;
  patientId: string;
  clinicId: string;
  startsAt?: Timestamp;
  timeZone: string;
  mode?: AppointmentMode;
  occurredAt?: Timestamp;
  version: bigint;
}

/** The appointment as the notices need it; an event without the ids or the time can never be told. */
function appointmentOf(event: AppointmentFact): ScheduledAppointment {
  if (!UUID_PATTERN.test(event.patientId) || !event.appointmentId || !event.startsAt)
    throw new PoisonMessageError('appointment event without patient, appointment or start time');
  return {
    appointmentId: event.appointmentId,
    version: Number(event.version),
    patientId: event.patientId.toLowerCase(),
    clinicId: event.clinicId,
    startsAt: timestampDate(event.startsAt),
    timeZone: event.timeZone || 'UTC',
    mode: MODES[event.mode ?? AppointmentMode.UNSPECIFIED] ?? 'unspecified',
  };
}

const noticeOf = (
  kind: NoticeKind,
  envelope: ReceivedEvent,
  appointment: ScheduledAppointment,
  createdAt: Date,
  previousStartsAt?: Date,
): AppointmentNotice => ({
  noticeId: envelope.id,
  kind,
  appointmentId: appointment.appointmentId,
  patientId: appointment.patientId,
  clinicId: appointment.clinicId,
  startsAt: appointment.startsAt,
  previousStartsAt,
  timeZone: appointment.timeZone,
  mode: appointment.mode,
  reminderId: undefined,
  createdAt,
});

export function appointmentConsumer(
  { kafka, connection, logger, clock }: Pick<Platform, 'kafka' | 'connection' | 'logger' | 'clock'>,
  deps: NotificationRepositories & { groupId: string; start: ConsumerStart; delivery: PeriodicJob },
): EventConsumer {
  const { notices, reminders, settings } = deps;

  /** Books or moves: the reminder follows the new time, and the people are told if it is still ahead. */
  async function scheduled(kind: 'scheduled' | 'rescheduled', event: AppointmentFact, envelope: ReceivedEvent, previous?: Timestamp) {
    const appointment = appointmentOf(event);
    const bookedAt = event.occurredAt ? timestampDate(event.occurredAt) : envelope.time;
    const { reminderLeadHours } = await settings.clinicSettings(appointment.clinicId);
    await reminders.save(planReminder(appointment, reminderLeadHours, bookedAt));
    const now = clock();
    if (worthTelling(appointment, now))
      await notices.add(noticeOf(kind, envelope, appointment, now, previous ? timestampDate(previous) : undefined));
    deps.delivery.wake();
  }

  return new EventConsumer({
    kafka,
    connection,
    logger,
    groupId: deps.groupId,
    startAt: deps.start,
    topics: [APPOINTMENTS_TOPIC],
    handlers: [
      on(AppointmentScheduledSchema, (event, envelope) => scheduled('scheduled', event, envelope)),
      on(AppointmentRescheduledSchema, (event, envelope) => scheduled('rescheduled', event, envelope, event.previousStartsAt)),
      on(AppointmentCancelledSchema, async (event, envelope) => {
        const appointment = appointmentOf(event);
        const now = clock();
        // Kept even for an appointment never seen here, so a late booking event cannot revive it.
        await reminders.save({
          ...appointment,
          reminderId: `${appointment.appointmentId}@cancelled`,
          dueAt: appointment.startsAt,
          state: 'cancelled',
          updatedAt: now,
        });
        if (worthTelling(appointment, now)) await notices.add(noticeOf('cancelled', envelope, appointment, now));
        deps.delivery.wake();
      }),
    ],
  });
}
