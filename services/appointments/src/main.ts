// The appointments service: scheduling by staff, upcoming and past visits, the telehealth window and
// calendars, behind gRPC, publishing its facts to Kafka.
import { AppointmentsService } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { registration } from '@portico/kit/grpc';
import { isMainModule } from '@portico/kit/lifecycle';
import { patientDirectoryOf } from '@portico/kit/patients';
import { defineService, startService, type StartOptions } from '@portico/kit/runtime';
import { appointmentsEnv, type AppointmentsConfig } from './config.js';
import { appointmentsHandlers } from './grpc/appointments-handlers.js';
import { authClinicLookups } from './grpc/clinic-lookups.js';
import { APPOINTMENTS_COLLECTION } from './store/appointment-model.js';
import { AppointmentRepository } from './store/appointment-repository.js';
import { CALENDAR_FEEDS_COLLECTION } from './store/calendar-feed-model.js';
import { CalendarFeedRepository } from './store/calendar-feed-repository.js';

export const startAppointmentsService = (config: AppointmentsConfig, options: StartOptions = {}) =>
  startService(
    { name: 'appointments', config, options, outbox: [APPOINTMENTS_COLLECTION, CALENDAR_FEEDS_COLLECTION] },
    async (platform) => {
      const repository = await new AppointmentRepository(platform.store).init();
      const feeds = await new CalendarFeedRepository(platform.store).init();
      const clinics = authClinicLookups(config.AUTH_GRPC_URL, platform.lifecycle);
      const handlers = appointmentsHandlers({
        repository,
        feeds,
        clinics,
        clock: platform.clock,
        leadMinutes: config.TELEHEALTH_JOIN_LEAD_MINUTES,
        feedPastDays: config.CALENDAR_FEED_PAST_DAYS,
      });
      return {
        grpc: [registration(AppointmentsService, handlers)],
        patients: patientDirectoryOf(platform),
        exports: { repository, feeds },
      };
    },
  );

export const appointmentsService = defineService({ name: 'appointments', config: appointmentsEnv, start: startAppointmentsService });

if (isMainModule(import.meta.url)) await appointmentsService.main();
