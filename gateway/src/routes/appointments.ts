// Appointments (seed step 5). A patient, a guardian for their patient, or staff for a patient of
// their clinic: upcoming and past visits, one visit, joining telehealth inside its window, a
// visit as a calendar file, and a private calendar feed address. Staff (in the staff scope):
// schedule, reschedule, cancel, complete, mark no-shows, and a clinician's day or week. The feed
// itself is served outside the API, to calendar programs that hold only its secret address.
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import {
  AppointmentDetailsSchema,
  AppointmentModeSchema,
  AppointmentPeriodSchema,
  AppointmentStatusSchema,
  type Appointment as AppointmentMessage,
  type AppointmentsService,
  type CalendarFile,
} from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Metadata } from '@grpc/grpc-js';
import type { ServiceClient } from '@portico/kit/grpc';
import { enumMapping } from '@portico/kit/vocabulary';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { problems, sendProblem } from '../http/problem.js';
import {
  expectedVersion,
  IdempotencyKeyHeaders,
  IfMatchHeaders,
  NextPageToken,
  Nullable,
  PageQuery,
  pageRequest,
  PatientParams,
  problemResponses,
  ref,
  StringEnum,
  Text,
  Uuid,
} from '../http/schemas.js';
import { callMetadata } from './call-metadata.js';
import { contentDisposition, fileResponse } from './organisation.js';

export type AppointmentsClient = ServiceClient<(typeof AppointmentsService)['method']>;

const statuses = ['scheduled', 'cancelled', 'completed', 'no_show'] as const;
const modes = ['in_person', 'telehealth'] as const;
const periods = ['upcoming', 'past'] as const;
const status = enumMapping(AppointmentStatusSchema, statuses);
const mode = enumMapping(AppointmentModeSchema, modes);
const period = enumMapping(AppointmentPeriodSchema, periods);

/**
 * The secret part of a calendar feed's address, as the appointments service makes it: 32 random
 * bytes in base64url, 43 characters. Anything else is answered as unknown without asking the service.
 */
export const FEED_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

const Instant = Type.String({ format: 'date-time' });
const wallClock = (example: string) =>
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$',
    description: "The clinic's wall-clock time (in its time zone), YYYY-MM-DDTHH:MM; stored in UTC",
    examples: [example],
  });
const Start = wallClock('2030-01-15T09:00');
const End = wallClock('2030-01-15T09:50');
const PastStart = wallClock('2024-01-15T09:00');
const PastEnd = wallClock('2024-01-15T09:50');

export const AppointmentView = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    clinicianId: Type.String(),
    clinicianName: Type.String({ description: 'As it was when the appointment was scheduled, e.g. "Dr Alex Morgan"' }),
    serviceType: Type.String({ description: 'In the clinic’s words: "Individual therapy, 50 min"' }),
    startsAt: Instant,
    endsAt: Instant,
    timeZone: Type.String({ description: 'The clinic’s IANA time zone: show startsAt and endsAt in it' }),
    mode: StringEnum(modes),
    location: Type.String({ description: 'In person: where; empty for telehealth' }),
    noteForPatient: Type.String(),
    status: StringEnum(statuses),
    cancellationReason: Type.String({ description: 'Empty unless cancelled' }),
    telehealthOpensAt: Nullable(Type.String({ format: 'date-time', description: 'Telehealth: when the join window opens' })),
    canJoinNow: Type.Boolean({ description: 'The join window is open now: POST …/join gives the meeting link' }),
    version: Type.Integer({ description: 'Send it as If-Match when rescheduling' }),
    sequence: Type.Integer({ description: 'The iCalendar SEQUENCE: grows with every reschedule and cancellation' }),
    createdAt: Instant,
    updatedAt: Instant,
  },
  { $id: 'Appointment', description: 'A visit with a clinician; times are UTC, shown in timeZone' },
);

/** What staff enter about a visit, beside its times. */
const visitFields = {
  clinicianId: Type.String({ format: 'uuid', description: 'A staff member of the clinic (user id)' }),
  serviceType: Type.String({ minLength: 1, maxLength: 200 }),
  mode: StringEnum(modes),
  location: Type.Optional(Text(300, 'In person: where (required then)')),
  meetingUrl: Type.Optional(Text(2000, 'Telehealth: the https meeting link (required then); handed out only inside the join window')),
  noteForPatient: Type.Optional(Text(2000, 'Shown to the patient on the portal; never in emails or calendar feeds')),
};

export const NewAppointment = Type.Object(
  { ...visitFields, start: Start, end: End },
  { $id: 'NewAppointment', additionalProperties: false, description: 'A visit to schedule: it starts in the future' },
);
type NewAppointmentBody = Static<typeof NewAppointment>;

const outcomes = ['completed', 'no_show'] as const;
export const PastVisit = Type.Object(
  { ...visitFields, start: PastStart, end: PastEnd, outcome: StringEnum(outcomes, { description: 'How it went' }) },
  {
    $id: 'PastVisit',
    additionalProperties: false,
    description: 'A visit that already took place but was never scheduled in Portico (entered afterwards, or the clinic’s history)',
  },
);

export const CalendarFeedView = Type.Object(
  {
    feedUrl: Type.String({ format: 'uri', description: 'The private address to subscribe to; shown this once' }),
    webcalUrl: Type.String({ description: 'The same address with the webcal: scheme, which opens calendar programs' }),
    createdAt: Instant,
  },
  { $id: 'CalendarFeed', description: 'A new private calendar feed address; the one before stops working' },
);

export const CalendarFeedStatusView = Type.Object(
  { active: Type.Boolean(), createdAt: Nullable(Instant) },
  { $id: 'CalendarFeedStatus', description: 'Whether the patient has a feed address, and since when (never the address)' },
);

export const appointmentSchemas = [AppointmentView, NewAppointment, PastVisit, CalendarFeedView, CalendarFeedStatusView];

const AppointmentParams = Type.Object({ patientId: Uuid, appointmentId: Uuid }, { additionalProperties: false });
const One = Type.Object({ appointment: ref(AppointmentView) });
const Many = Type.Object({ appointments: Type.Array(ref(AppointmentView)) });
const tags = ['Appointments'];

const iso = (t: Timestamp | undefined) => (t ? timestampDate(t).toISOString() : '');

export function appointmentJson(message: AppointmentMessage | undefined): Static<typeof AppointmentView> {
  if (!message) throw new Error('service answered without an appointment');
  const statusName = status.fromProto(message.status);
  const modeName = mode.fromProto(message.mode);
  if (!statusName || !modeName) throw new Error('service answered an appointment without a status or a mode');
  return {
    id: message.appointmentId,
    patientId: message.patientId,
    clinicianId: message.clinicianId,
    clinicianName: message.clinicianName,
    serviceType: message.serviceType,
    startsAt: iso(message.startsAt),
    endsAt: iso(message.endsAt),
    timeZone: message.timeZone,
    mode: modeName,
    location: message.location,
    noteForPatient: message.noteForPatient,
    status: statusName,
    cancellationReason: message.cancellationReason,
    telehealthOpensAt: message.telehealthOpensAt ? iso(message.telehealthOpensAt) : null,
    canJoinNow: message.canJoinNow,
    version: Number(message.version),
    sequence: message.sequence,
    createdAt: iso(message.createdAt),
    updatedAt: iso(message.updatedAt),
  };
}

/** An iCalendar file as the service made it; never cached, since it says who sees whom when. */
function sendCalendar(reply: FastifyReply, calendar: CalendarFile | undefined, disposition: 'inline' | 'attachment') {
  if (!calendar) throw new Error('service answered without a calendar');
  return reply
    .type(calendar.contentType || 'text/calendar; charset=utf-8')
    .header('content-disposition', contentDisposition(disposition, calendar.fileName || 'appointments.ics'))
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(calendar.content);
}

const calendarResponse = (description: string) => fileResponse(description, ['text/calendar']);

/** The routes of a patient's appointments, for the patient, their guardian, or staff of their clinic. */
export function appointmentRoutes(app: FastifyInstance, client: AppointmentsClient, publicUrl: string): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/patients/:patientId/appointments';
  const errors = problemResponses(400, 404);

  api.get(
    base,
    {
      schema: {
        tags,
        summary: 'Upcoming appointments (soonest first) or past ones (latest first), paged',
        params: PatientParams,
        querystring: Type.Object(
          { period: Type.Optional(StringEnum(periods, { description: 'upcoming when absent' })), ...PageQuery },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ appointments: Type.Array(ref(AppointmentView)), nextPageToken: NextPageToken }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listAppointments(
        {
          patientId: request.params.patientId,
          period: period.toProto(request.query.period ?? 'upcoming'),
          page: pageRequest(request.query),
        },
        { metadata: callMetadata(request) },
      );
      return { appointments: response.appointments.map(appointmentJson), nextPageToken: response.page?.nextPageToken ?? '' };
    },
  );

  // Static segments before the appointment's id: find-my-way prefers them, and so does the reader.
  const feed = `${base}/calendar-feed`;
  api.post(
    feed,
    {
      schema: {
        tags,
        summary: 'A private calendar feed address of the patient’s appointments (replaces the one before)',
        description:
          'The address is the credential: anyone who has it sees the times of the appointments (titled "Appointment at <clinic>", nothing more). It is shown once; GET tells only whether one exists.',
        params: PatientParams,
        response: { 201: ref(CalendarFeedView), ...errors },
      },
    },
    async (request, reply) => {
      const response = await client.createCalendarFeed({ patientId: request.params.patientId }, { metadata: callMetadata(request) });
      const feedUrl = new URL(`/calendar/${response.feedToken}.ics`, publicUrl).href;
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ feedUrl, webcalUrl: feedUrl.replace(/^https?:/, 'webcal:'), createdAt: iso(response.createdAt) });
    },
  );
  api.get(
    feed,
    {
      schema: {
        tags,
        summary: 'Whether the patient has a calendar feed address, and since when',
        params: PatientParams,
        response: { 200: ref(CalendarFeedStatusView), ...errors },
      },
    },
    async (request) => {
      const response = await client.getCalendarFeedStatus({ patientId: request.params.patientId }, { metadata: callMetadata(request) });
      return { active: response.active, createdAt: response.active && response.createdAt ? iso(response.createdAt) : null };
    },
  );
  api.delete(
    feed,
    {
      schema: {
        tags,
        summary: 'Stop the calendar feed address working, at once',
        params: PatientParams,
        response: { 204: Type.Null({ description: 'Revoked (also when there was none)' }), ...errors },
      },
    },
    async (request, reply) => {
      await client.revokeCalendarFeed({ patientId: request.params.patientId }, { metadata: callMetadata(request) });
      return reply.code(204).send(null);
    },
  );

  api.get(
    `${base}/:appointmentId`,
    { schema: { tags, summary: 'One appointment', params: AppointmentParams, response: { 200: One, ...errors } } },
    async (request) => {
      const response = await client.getAppointment(request.params, { metadata: callMetadata(request) });
      return { appointment: appointmentJson(response.appointment) };
    },
  );

  api.post(
    `${base}/:appointmentId/join`,
    {
      schema: {
        tags,
        summary: 'The meeting link of a telehealth appointment, while its join window is open',
        description:
          'Send no body. Outside the window (from telehealthOpensAt until the end), for an in-person or a cancelled appointment: 412 /problems/precondition-failed.',
        params: AppointmentParams,
        response: { 200: Type.Object({ meetingUrl: Type.String({ format: 'uri' }) }), ...errors, ...problemResponses(412) },
      },
    },
    async (request, reply) => {
      const response = await client.joinTelehealth(request.params, { metadata: callMetadata(request) });
      return reply.header('cache-control', 'no-store').send({ meetingUrl: response.meetingUrl });
    },
  );

  api.get(
    `${base}/:appointmentId/calendar.ics`,
    {
      schema: {
        tags,
        summary: 'One appointment as a calendar file (iCalendar, download)',
        params: AppointmentParams,
        response: { 200: calendarResponse('The appointment as an iCalendar attachment'), ...errors },
      },
    },
    async (request, reply) => {
      const response = await client.getAppointmentCalendar(request.params, { metadata: callMetadata(request) });
      return sendCalendar(reply, response.calendar, 'attachment');
    },
  );
}

/**
 * The calendar feed for calendar programs, outside the API: no session and no access token, the
 * secret in the address is the credential. The request log line names the route's pattern, never
 * the address; unknown, revoked and malformed tokens all answer the same 404.
 */
export function calendarFeedRoute(app: FastifyInstance, client: AppointmentsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/calendar/:token.ics',
    {
      // A malformed token is answered like an unknown one, not with a description of the pattern.
      attachValidation: true,
      schema: {
        tags,
        summary: 'A patient’s private calendar feed (iCalendar), for calendar programs',
        description:
          'No authentication: the address made by POST /api/v1/patients/{patientId}/appointments/calendar-feed is the credential. 404 once revoked or replaced.',
        security: [],
        params: Type.Object({ token: Type.String({ pattern: FEED_TOKEN_PATTERN }) }, { additionalProperties: false }),
        response: { 200: calendarResponse('The feed'), ...problemResponses(404, 429, 500, 503, 504) },
      },
    },
    async (request, reply) => {
      if (request.validationError) return sendProblem(reply, problems.notFound());
      // No caller identity to forward: the request id and the client address go along for the trail.
      const metadata = new Metadata();
      metadata.set('x-request-id', request.id);
      metadata.set('x-forwarded-for', request.ip);
      const response = await client.getCalendarFeed({ feedToken: request.params.token }, { metadata });
      return sendCalendar(reply, response.calendar, 'inline');
    },
  );
}

const ActionParams = AppointmentParams;
const RescheduleBody = Type.Object({ start: Start, end: End }, { additionalProperties: false });
const CancelBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, description: 'Shown to the patient' }) },
  { additionalProperties: false },
);
const ClinicianQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'Appointments that end after this instant' }),
    to: Type.String({ format: 'date-time', description: 'and start before this one; at most 31 days after from' }),
  },
  { additionalProperties: false },
);

function detailsOf(body: NewAppointmentBody | Static<typeof PastVisit>) {
  return create(AppointmentDetailsSchema, {
    clinicianId: body.clinicianId,
    serviceType: body.serviceType,
    start: { local: body.start },
    end: { local: body.end },
    mode: mode.toProto(body.mode),
    location: body.location ?? '',
    meetingUrl: body.meetingUrl ?? '',
    noteForPatient: body.noteForPatient ?? '',
  });
}

/**
 * Staff routes, registered in the staff scope: patients and guardians are refused (403) before
 * their body is read; the appointments service checks the clinic again.
 */
export function staffAppointmentRoutes(app: FastifyInstance, client: AppointmentsClient): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = '/api/v1/staff/patients/:patientId/appointments';
  const changed = problemResponses(400, 404, 409, 412, 413, 415);

  api.post(
    base,
    {
      schema: {
        tags,
        summary: 'Schedule an appointment for a patient',
        description:
          'start and end are the clinic’s wall-clock time. Send an Idempotency-Key header to make retries safe: the same key returns the appointment the first request scheduled.',
        params: PatientParams,
        headers: IdempotencyKeyHeaders,
        body: ref(NewAppointment),
        response: { 201: One, ...changed },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const response = await client.scheduleAppointment(
        { patientId, details: detailsOf(request.body), idempotencyKey: request.headers['idempotency-key'] ?? '' },
        { metadata: callMetadata(request) },
      );
      const body = { appointment: appointmentJson(response.appointment) };
      return reply.code(201).header('location', `/api/v1/patients/${patientId}/appointments/${body.appointment.id}`).send(body);
    },
  );

  api.post(
    `${base}/past-visits`,
    {
      schema: {
        tags,
        summary: 'Record a visit that already took place, with its outcome',
        description:
          'For a visit never scheduled in Portico: entered afterwards, or the clinic’s history. It must have ended; the same overlap rules as scheduling hold; nobody is emailed. Idempotency-Key works as for scheduling.',
        params: PatientParams,
        headers: IdempotencyKeyHeaders,
        body: ref(PastVisit),
        response: { 201: One, ...changed },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const response = await client.recordPastVisit(
        {
          patientId,
          details: detailsOf(request.body),
          outcome: status.toProto(request.body.outcome),
          idempotencyKey: request.headers['idempotency-key'] ?? '',
        },
        { metadata: callMetadata(request) },
      );
      const body = { appointment: appointmentJson(response.appointment) };
      return reply.code(201).header('location', `/api/v1/patients/${patientId}/appointments/${body.appointment.id}`).send(body);
    },
  );

  api.post(
    `${base}/:appointmentId/reschedule`,
    {
      schema: {
        tags,
        summary: 'Move an appointment to a new time',
        description:
          'Send If-Match with the version you read (e.g. "3") to refuse the change when someone changed the appointment meanwhile.',
        params: ActionParams,
        headers: IfMatchHeaders,
        body: RescheduleBody,
        response: { 200: One, ...changed },
      },
    },
    async (request) => {
      const { patientId, appointmentId } = request.params;
      const response = await client.rescheduleAppointment(
        {
          patientId,
          appointmentId,
          start: { local: request.body.start },
          end: { local: request.body.end },
          expectedVersion: expectedVersion(request.headers['if-match']),
        },
        { metadata: callMetadata(request) },
      );
      return { appointment: appointmentJson(response.appointment) };
    },
  );

  api.post(
    `${base}/:appointmentId/cancel`,
    {
      schema: {
        tags,
        summary: 'Cancel an appointment, with a reason (it stays listed, marked cancelled)',
        params: ActionParams,
        body: CancelBody,
        response: { 200: One, ...changed },
      },
    },
    async (request) => {
      const { patientId, appointmentId } = request.params;
      const response = await client.cancelAppointment(
        { patientId, appointmentId, reason: request.body.reason },
        { metadata: callMetadata(request) },
      );
      return { appointment: appointmentJson(response.appointment) };
    },
  );

  for (const [action, summary] of [
    ['complete', 'Mark an appointment that has started as completed'],
    ['no-show', 'Mark an appointment that has started as a no-show: the patient did not come'],
  ] as const) {
    api.post(
      `${base}/:appointmentId/${action}`,
      {
        schema: {
          tags,
          summary,
          description: 'Send no body.',
          params: ActionParams,
          response: { 200: One, ...problemResponses(400, 404, 412) },
        },
      },
      async (request) => {
        const settings = { metadata: callMetadata(request) };
        const response =
          action === 'complete'
            ? await client.completeAppointment(request.params, settings)
            : await client.markNoShow(request.params, settings);
        return { appointment: appointmentJson(response.appointment) };
      },
    );
  }

  api.get(
    '/api/v1/staff/clinicians/:clinicianId/appointments',
    {
      schema: {
        tags,
        summary: 'A clinician’s appointments between two instants, by start time (day and week views)',
        params: Type.Object({ clinicianId: Uuid }, { additionalProperties: false }),
        querystring: ClinicianQuery,
        response: { 200: Many, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const response = await client.listClinicianAppointments(
        {
          clinicianId: request.params.clinicianId,
          from: timestampFromDate(new Date(request.query.from)),
          to: timestampFromDate(new Date(request.query.to)),
        },
        { metadata: callMetadata(request) },
      );
      return { appointments: response.appointments.map(appointmentJson) };
    },
  );
}
