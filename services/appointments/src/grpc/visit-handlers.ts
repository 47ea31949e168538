// What patients, and guardians for each of their patients, see of their appointments: upcoming and
// past lists, one appointment, and the meeting link inside the telehealth window. Staff of the
// patient's clinic see the same. Every read is audited.
import type { AppointmentsService } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { InvalidInput, NotFound, requireUuid } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import { auditRead, authorisePatient, patientScope, type Caller, type RequestContext } from '@portico/kit/requests';
import { meetingLinkFor, type Appointment } from '../domain/appointment.js';
import { appointmentMessage, periods } from './appointment-messages.js';
import { APPOINTMENT, type AppointmentHandlerDeps } from './handler-deps.js';

type Methods = (typeof AppointmentsService)['method'];

export function visitHandlers(
  deps: AppointmentHandlerDeps,
): Pick<ServiceHandlers<Methods>, 'listAppointments' | 'getAppointment' | 'joinTelehealth'> {
  const { repository, clock, leadMinutes } = deps;
  const authorise = (ctx: RequestContext, patientId: string, action: string) =>
    authorisePatient(ctx, patientId, { action, resourceType: APPOINTMENT });

  async function load(caller: Caller, appointmentId: string): Promise<Appointment> {
    const appointment = await repository.find(patientScope(caller), requireUuid(appointmentId, 'appointment_id'));
    if (!appointment) throw new NotFound('appointment not found');
    return appointment;
  }

  return {
    async listAppointments(request, ctx) {
      const action = 'appointments.list';
      const caller = await authorise(ctx, request.patientId, action);
      const period = periods.fromProto(request.period);
      if (!period) throw new InvalidInput('request', [{ field: 'period', message: 'must be upcoming or past' }]);
      const page = pageOf(request.page);
      const now = clock();
      const appointments = await repository.list(patientScope(caller), period, now, page);
      await auditRead(ctx, caller, { action, resourceType: APPOINTMENT });
      return {
        appointments: appointments.map((a) => appointmentMessage(a, { now, leadMinutes })),
        page: { nextPageToken: nextPageToken(page, appointments.length) },
      };
    },

    async getAppointment(request, ctx) {
      const action = 'appointments.get';
      const caller = await authorise(ctx, request.patientId, action);
      const appointment = await load(caller, request.appointmentId);
      await auditRead(ctx, caller, { action, resourceType: APPOINTMENT, resourceId: appointment.appointmentId });
      return { appointment: appointmentMessage(appointment, { now: clock(), leadMinutes }) };
    },

    async joinTelehealth(request, ctx) {
      const action = 'appointments.join';
      const caller = await authorise(ctx, request.patientId, action);
      const appointment = await load(caller, request.appointmentId);
      // Outside the window this refuses, saying when it opens; the link is never handed out early.
      const meetingUrl = meetingLinkFor(appointment, clock(), leadMinutes);
      await auditRead(ctx, caller, { action, resourceType: APPOINTMENT, resourceId: appointment.appointmentId });
      return { meetingUrl };
    },
  };
}
