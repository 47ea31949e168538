// A patient's record-access history from the gateway: who opened the record (for the patient or
// guardian) and every access and refusal (for staff, by date and person). Pages come one after
// another ("Show older"), newest first; the history is never changed from here.
import { useInfiniteQuery } from '@tanstack/react-query';
import { request } from '../../app/api';
import type { components, paths } from '../../app/api-types';
import { keys } from '../../app/queryClient';

export type RecordAccess = components['schemas']['RecordAccess'];
export type RecordOpening = components['schemas']['RecordOpening'];
type Json<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer B } } } } }
  ? B
  : never;
type OpeningsPage = Json<'/api/v1/patients/{patientId}/access-history'>;
type AccessesPage = Json<'/api/v1/staff/patients/{patientId}/access-history'>;

/** What staff narrow the history to; instants are ISO strings (UTC). */
export interface AccessFilter {
  from?: string;
  before?: string;
  actorId?: string;
}

function address(template: string, patientId: string, query: Record<string, string | undefined>): string {
  const search = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const path = template.replace('{patientId}', encodeURIComponent(patientId));
  return search.size ? `${path}?${search}` : path;
}

export const accessHistoryApi = {
  openings: (patientId: string, pageToken: string, signal?: AbortSignal) =>
    request<OpeningsPage>(address('/api/v1/patients/{patientId}/access-history', patientId, { pageToken }), {
      ...(signal ? { signal } : {}),
    }),
  accesses: (patientId: string, filter: AccessFilter, pageToken: string, signal?: AbortSignal) =>
    request<AccessesPage>(address('/api/v1/staff/patients/{patientId}/access-history', patientId, { ...filter, pageToken }), {
      ...(signal ? { signal } : {}),
    }),
};

const nextPage = (page: { nextPageToken: string }) => page.nextPageToken || undefined;

/** Who opened the patient's record; read afresh each time the page opens (it grows all the time). */
export function useRecordOpenings(patientId: string | null) {
  return useInfiniteQuery({
    queryKey: keys.recordOpenings(patientId ?? ''),
    queryFn: ({ pageParam, signal }) => accessHistoryApi.openings(patientId!, pageParam, signal),
    initialPageParam: '',
    getNextPageParam: nextPage,
    enabled: Boolean(patientId),
    staleTime: 0,
  });
}

/** The staff view of the patient's history with the filter applied. */
export function useRecordAccesses(patientId: string | null, filter: AccessFilter) {
  return useInfiniteQuery({
    queryKey: keys.recordAccesses(patientId ?? '', filter),
    queryFn: ({ pageParam, signal }) => accessHistoryApi.accesses(patientId!, filter, pageParam, signal),
    initialPageParam: '',
    getNextPageParam: nextPage,
    enabled: Boolean(patientId),
    staleTime: 0,
  });
}

/** The start of a day typed in a date field (the browser's day), as an instant. */
export const startOfDay = (day: string): string | undefined => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);

/** The start of the day after, so "to 3 March" includes all of 3 March. */
export function endOfDay(day: string): string | undefined {
  if (!day) return undefined;
  const next = new Date(`${day}T00:00:00`);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}
