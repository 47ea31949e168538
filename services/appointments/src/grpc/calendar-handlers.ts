// Appointments in the patient's own calendar: one appointment as a file, and a private feed
// address a calendar program polls. The feed's secret is its only credential, shown once; only its
// digest is kept, and a new feed revokes the one before.
import { randomUUID } from 'node:crypto';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { AppointmentsService } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { auditEvent } from '@portico/kit/audit';
import { NotFound, NotPermitted, requireUuid } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import type { Principal } from '@portico/kit/identity';
import { auditRead, authorisePatient, patientScope, type Caller, type RequestContext } from '@portico/kit/requests';
import { calendarFileName, calendarOf } from '../domain/calendar.js';
import { feedTokenDigest, isFeedTokenShaped, newFeedToken, type CalendarFeed } from '../domain/calendar-feed.js';
import { calendarFile } from './appointment-messages.js';
import { APPOINTMENT, type AppointmentHandlerDeps } from './handler-deps.js';

type Methods = (typeof AppointmentsService)['method'];
type CalendarMethods = 'getAppointmentCalendar' | 'createCalendarFeed' | 'getCalendarFeedStatus' | 'revokeCalendarFeed' | 'getCalendarFeed';

const CALENDAR_FEED = 'calendar_feed';

/**
 * Who reads a feed, for the audit trail. A calendar program fetches it with the secret address and
 * no access token, so there is no person to name: the actor is the feed itself (its id, never its
 * secret), with no role, within the patient's clinic. Whoever the patient shared the address
 * with reads as this actor; revoking the feed is how the patient stops them.
 */
const feedReader = (feed: CalendarFeed): Principal => ({
  subject: `calendar-feed:${feed.feedId}`,
  roles: [],
  patients: [],
  clinicId: feed.clinicId,
  username: undefined,
});

export function calendarHandlers(deps: AppointmentHandlerDeps): Pick<ServiceHandlers<Methods>, CalendarMethods> {
  const { repository, feeds, clock } = deps;
  const authorise = (ctx: RequestContext, patientId: string, action: string) =>
    authorisePatient(ctx, patientId, { action, resourceType: CALENDAR_FEED });
  const feedAudit = (caller: Caller, action: string) => (feed: CalendarFeed) => [
    auditEvent(caller, { action, resourceType: CALENDAR_FEED, resourceId: feed.feedId }),
  ];

  return {
    async getAppointmentCalendar(request, ctx) {
      const action = 'appointments.calendar';
      const caller = await authorisePatient(ctx, request.patientId, { action, resourceType: APPOINTMENT });
      const appointment = await repository.find(patientScope(caller), requireUuid(request.appointmentId, 'appointment_id'));
      if (!appointment) throw new NotFound('appointment not found');
      await auditRead(ctx, caller, { action, resourceType: APPOINTMENT, resourceId: appointment.appointmentId });
      return { calendar: calendarFile(calendarFileName(appointment), calendarOf([appointment])) };
    },

    async createCalendarFeed(request, ctx) {
      const action = 'appointments.calendar_feed.create';
      const caller = await authorise(ctx, request.patientId, action);
      // The address is the patient's to share: staff may see and revoke a feed, not hold its secret.
      if (caller.actingAs === 'staff') {
        await ctx.access.audit.record([auditEvent(caller, { action, resourceType: CALENDAR_FEED, denied: true })]);
        throw new NotPermitted('only the patient or their guardian can create a calendar feed');
      }
      const token = newFeedToken();
      const feed: CalendarFeed = {
        feedId: randomUUID(),
        patientId: caller.patientId,
        clinicId: caller.principal.clinicId ?? '',
        tokenDigest: feedTokenDigest(token),
        createdAt: clock(),
        revokedAt: undefined,
      };
      await feeds.replace(feed, {
        revoked: feedAudit(caller, 'appointments.calendar_feed.revoke'),
        created: feedAudit(caller, action)(feed),
      });
      return { feedToken: token, createdAt: timestampFromDate(feed.createdAt) };
    },

    async getCalendarFeedStatus(request, ctx) {
      const action = 'appointments.calendar_feed.status';
      const caller = await authorise(ctx, request.patientId, action);
      const feed = await feeds.active(caller.patientId);
      await auditRead(ctx, caller, { action, resourceType: CALENDAR_FEED, ...(feed ? { resourceId: feed.feedId } : {}) });
      return feed ? { active: true, createdAt: timestampFromDate(feed.createdAt) } : { active: false };
    },

    async revokeCalendarFeed(request, ctx) {
      const action = 'appointments.calendar_feed.revoke';
      const caller = await authorise(ctx, request.patientId, action);
      await feeds.revoke(caller.patientId, clock(), feedAudit(caller, action));
      return {};
    },

    // No access token here (authenticate is never called): the feed's secret is the credential.
    async getCalendarFeed(request, ctx) {
      // A secret of the wrong shape is answered like an unknown one: nothing tells them apart.
      const feed = isFeedTokenShaped(request.feedToken) ? await feeds.byDigest(feedTokenDigest(request.feedToken)) : undefined;
      if (!feed) throw new NotFound('calendar feed not found');
      const since = new Date(clock().getTime() - deps.feedPastDays * 86_400_000);
      const appointments = await repository.forFeed(feed.patientId, since);
      const reader = { principal: feedReader(feed), patientId: feed.patientId, sourceIp: ctx.sourceIp, requestId: ctx.requestId };
      await ctx.access.audit.record([
        auditEvent(reader, { action: 'appointments.calendar_feed.read', resourceType: CALENDAR_FEED, resourceId: feed.feedId }),
      ]);
      const clinicName = appointments.at(-1)?.clinicName;
      const name = clinicName ? `Appointments at ${clinicName}` : 'Appointments';
      return { calendar: calendarFile('appointments.ics', calendarOf(appointments, { name })) };
    },
  };
}
