// The AppointmentsService handlers, one group per audience: staff scheduling, the patient's
// visits, and calendars.
import type { AppointmentsService } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { calendarHandlers } from './calendar-handlers.js';
import type { AppointmentHandlerDeps } from './handler-deps.js';
import { schedulingHandlers } from './scheduling-handlers.js';
import { visitHandlers } from './visit-handlers.js';

export type { AppointmentHandlerDeps };

export function appointmentsHandlers(deps: AppointmentHandlerDeps): ServiceHandlers<(typeof AppointmentsService)['method']> {
  return { ...schedulingHandlers(deps), ...visitHandlers(deps), ...calendarHandlers(deps) };
}
