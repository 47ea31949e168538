// The appointments API of the gateway (seed step 5) for the patient the user acts for — upcoming
// and past visits, joining a video visit inside its window, calendar files and the private
// calendar subscription — and the staff routes of the scheduling page; with the queries and
// changes the screens make through the app's one cache.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import { call, type RequestBodyOf } from '../../app/api';
import type { Appointment } from '../../app/model';
import { keys } from '../../app/queryClient';

export type { Appointment };
export type AppointmentPeriod = 'upcoming' | 'past';
export type AppointmentMode = Appointment['mode'];
export type AppointmentStatus = Appointment['status'];
export type NewAppointment = RequestBodyOf<'/api/v1/staff/patients/{patientId}/appointments', 'post'>;
export type NewTime = RequestBodyOf<'/api/v1/staff/patients/{patientId}/appointments/{appointmentId}/reschedule', 'post'>;

const list = '/api/v1/patients/{patientId}/appointments';
const one = '/api/v1/patients/{patientId}/appointments/{appointmentId}';
const feed = '/api/v1/patients/{patientId}/appointments/calendar-feed';
const staffList = '/api/v1/staff/patients/{patientId}/appointments';
const staffOne = '/api/v1/staff/patients/{patientId}/appointments/{appointmentId}';

/** Appointments per page of the lists ("Show more" asks for the next). */
export const pageSize = 10;

export const appointmentsApi = {
  page: (patientId: string, period: AppointmentPeriod, pageToken: string, size: number, signal?: AbortSignal) =>
    call('get', list, {
      path: { patientId },
      query: { period, pageSize: String(size), ...(pageToken ? { pageToken } : {}) },
      signal,
    }),
  get: async (patientId: string, appointmentId: string, signal?: AbortSignal) =>
    (await call('get', one, { path: { patientId, appointmentId }, signal })).appointment,
  /** The meeting link, handed out only inside the join window (409/412 outside it). */
  join: async (patientId: string, appointmentId: string) =>
    (await call('post', `${one}/join`, { path: { patientId, appointmentId } })).meetingUrl,
  feedStatus: (patientId: string, signal?: AbortSignal) => call('get', feed, { path: { patientId }, signal }),
  /** A new address (the one before stops working); its secret is in this answer only. */
  createFeed: (patientId: string) => call('post', feed, { path: { patientId } }),
  revokeFeed: (patientId: string) => call('delete', feed, { path: { patientId } }),

  clinicianAppointments: async (clinicianId: string, from: string, to: string, signal?: AbortSignal) =>
    (
      await call('get', '/api/v1/staff/clinicians/{clinicianId}/appointments', {
        path: { clinicianId },
        query: { from, to },
        signal,
      })
    ).appointments,
  /** The idempotency key makes a retried "Schedule" (a lost answer, a double click) book once. */
  schedule: async (patientId: string, body: NewAppointment, idempotencyKey: string) =>
    (await call('post', staffList, { path: { patientId }, body, headers: { 'idempotency-key': idempotencyKey } })).appointment,
  /** If-Match carries the version staff looked at; the gateway answers 412 when it is stale. */
  reschedule: async (appointment: Appointment, body: NewTime) =>
    (
      await call('post', `${staffOne}/reschedule`, {
        path: { patientId: appointment.patientId, appointmentId: appointment.id },
        body,
        headers: { 'if-match': `"${appointment.version}"` },
      })
    ).appointment,
  cancel: async (appointment: Appointment, reason: string) =>
    (
      await call('post', `${staffOne}/cancel`, {
        path: { patientId: appointment.patientId, appointmentId: appointment.id },
        body: { reason },
      })
    ).appointment,
  complete: async (appointment: Appointment) =>
    (await call('post', `${staffOne}/complete`, { path: { patientId: appointment.patientId, appointmentId: appointment.id } })).appointment,
  noShow: async (appointment: Appointment) =>
    (await call('post', `${staffOne}/no-show`, { path: { patientId: appointment.patientId, appointmentId: appointment.id } })).appointment,
};

/** The address of one appointment's calendar file (an attachment the browser downloads). */
export const calendarFileUrl = (patientId: string, appointmentId: string) =>
  `/api/v1/patients/${encodeURIComponent(patientId)}/appointments/${encodeURIComponent(appointmentId)}/calendar.ics`;

/**
 * How long until a Join button on screen should change (the soonest opening or end of a video
 * visit's window, by this browser's clock), or null when none will. A window the browser thinks
 * open that the clinic's service does not yet is asked about again every half minute: the two
 * clocks may differ a little.
 */
export function untilWindowChange(appointments: readonly Appointment[], now: number): number | null {
  let soonest: number | null = null;
  const consider = (at: number) => {
    const wait = Math.max(0, at - now);
    if (soonest === null || wait < soonest) soonest = wait;
  };
  for (const a of appointments) {
    if (a.mode !== 'telehealth' || a.status !== 'scheduled') continue;
    const ends = Date.parse(a.endsAt);
    if (!(ends > now)) continue;
    const opens = a.telehealthOpensAt ? Date.parse(a.telehealthOpensAt) : Number.NaN;
    if (opens > now) consider(opens);
    else if (!a.canJoinNow) consider(now + 30_000);
    else consider(ends);
  }
  return soonest;
}

/** Reads the list again when a Join button on it should change, as time passes. */
function useWindowRefresh(appointments: readonly Appointment[] | null, readAt: number, refresh: () => void) {
  useEffect(() => {
    const wait = appointments && untilWindowChange(appointments, Date.now());
    if (wait === null || wait === undefined) return;
    // A second late, so the service's clock is past the moment too; at most an hour at a time
    // (a timer cannot wait for weeks, and a laptop may sleep in between).
    const timer = setTimeout(refresh, Math.min(wait + 1_000, 3_600_000));
    return () => clearTimeout(timer);
    // Each reading sets the next timer, also when it changed nothing (the list stays the same object).
  }, [appointments, readAt, refresh]);
}

/** Upcoming (soonest first) or past (latest first) appointments of the patient, page after page. */
export function useAppointments(patientId: string | null, period: AppointmentPeriod) {
  const result = useInfiniteQuery({
    queryKey: keys.appointments(patientId ?? '', period),
    queryFn: ({ pageParam, signal }) => appointmentsApi.page(patientId!, period, pageParam, pageSize, signal),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextPageToken || undefined,
    enabled: Boolean(patientId),
  });
  const { data, refetch, dataUpdatedAt } = result;
  const appointments = useMemo(() => data?.pages.flatMap((page) => page.appointments) ?? null, [data]);
  const refresh = useCallback(() => void refetch(), [refetch]);
  useWindowRefresh(appointments, dataUpdatedAt, refresh);
  return { ...result, appointments };
}

/** The next visit that will take place (not cancelled), for Home; null when there is none. */
export function useNextAppointment(patientId: string | null) {
  const result = useQuery({
    queryKey: keys.nextAppointment(patientId ?? ''),
    queryFn: ({ signal }) => appointmentsApi.page(patientId!, 'upcoming', '', 5, signal),
    enabled: Boolean(patientId),
    select: (page) => page.appointments.find((a) => a.status !== 'cancelled') ?? null,
  });
  return result;
}

export function useJoin(patientId: string) {
  return useMutation({ mutationFn: (appointment: Appointment) => appointmentsApi.join(patientId, appointment.id) });
}

/** Whether the patient has a calendar subscription address, and since when. */
export function useCalendarFeed(patientId: string) {
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: keys.calendarFeed(patientId),
    queryFn: ({ signal }) => appointmentsApi.feedStatus(patientId, signal),
    staleTime: 0,
  });
  const create = useMutation({
    mutationFn: () => appointmentsApi.createFeed(patientId),
    onSuccess: (created) => queryClient.setQueryData(keys.calendarFeed(patientId), { active: true, createdAt: created.createdAt }),
  });
  const revoke = useMutation({
    mutationFn: () => appointmentsApi.revokeFeed(patientId),
    onSuccess: () => queryClient.setQueryData(keys.calendarFeed(patientId), { active: false, createdAt: null }),
  });
  return { status, create, revoke };
}

/** One clinician's appointments from `from` to `to` (instants), for the staff day and week views. */
export function useClinicianAppointments(clinicianId: string | null, from: string, to: string) {
  return useQuery({
    queryKey: keys.clinicianAppointments(clinicianId ?? '', from, to),
    queryFn: ({ signal }) => appointmentsApi.clinicianAppointments(clinicianId!, from, to, signal),
    enabled: Boolean(clinicianId),
    staleTime: 0,
  });
}

/** Staff's changes: each one makes the clinician's views and the patient's lists stale. */
export function useAppointmentChanges() {
  const queryClient = useQueryClient();
  const changed = (appointment: Appointment) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.clinicianAppointmentsAll }),
      queryClient.invalidateQueries({ queryKey: keys.appointmentsOf(appointment.patientId) }),
    ]);
  const onSuccess = (appointment: Appointment) => void changed(appointment);
  return {
    schedule: useMutation({
      mutationFn: ({ patientId, body, idempotencyKey }: { patientId: string; body: NewAppointment; idempotencyKey: string }) =>
        appointmentsApi.schedule(patientId, body, idempotencyKey),
      onSuccess,
    }),
    reschedule: useMutation({
      mutationFn: ({ appointment, body }: { appointment: Appointment; body: NewTime }) => appointmentsApi.reschedule(appointment, body),
      onSuccess,
    }),
    cancel: useMutation({
      mutationFn: ({ appointment, reason }: { appointment: Appointment; reason: string }) => appointmentsApi.cancel(appointment, reason),
      onSuccess,
    }),
    complete: useMutation({ mutationFn: appointmentsApi.complete, onSuccess }),
    noShow: useMutation({ mutationFn: appointmentsApi.noShow, onSuccess }),
    /** The appointment as the gateway has it now (after someone else changed it). */
    latest: (appointment: Appointment) => appointmentsApi.get(appointment.patientId, appointment.id),
  };
}
