// What every group of AppointmentsService handlers works with.
import type { Clock } from '@portico/kit/domain';
import type { AppointmentRepository } from '../store/appointment-repository.js';
import type { CalendarFeedRepository } from '../store/calendar-feed-repository.js';
import type { ClinicLookups } from './clinic-lookups.js';

export interface AppointmentHandlerDeps {
  repository: AppointmentRepository;
  feeds: CalendarFeedRepository;
  clinics: ClinicLookups;
  /** Every "now" of the service: the past, the join window, upcoming and past lists. */
  clock: Clock;
  /** How long before the start a telehealth visit opens. */
  leadMinutes: number;
  /** How far back a calendar feed shows past visits. */
  feedPastDays: number;
}

export const APPOINTMENT = 'appointment';
