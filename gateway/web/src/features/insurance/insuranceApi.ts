// The insurance API of the gateway (seed step 8) for one patient, and the queries and changes the
// insurance screens make through the app's one cache. A coverage and its card photos go as one
// multipart form, so the service keeps or refuses them together.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, request } from '../../app/api';
import type { Coverage, CoverageChange, CoverageInput } from '../../app/model';
import { keys } from '../../app/queryClient';
export { newIdempotencyKey } from '../../app/api';

export type { Coverage, CoverageChange, CoverageInput };
export type Priority = Coverage['priority'];
export type PlanType = Coverage['planType'];
export type Relationship = Coverage['subscriber']['relationship'];
export type CardSide = 'front' | 'back';

export const priorities = ['primary', 'secondary', 'tertiary'] as const satisfies readonly Priority[];
export const planTypes = ['hmo', 'ppo', 'epo', 'pos', 'hdhp', 'medicare', 'medicaid', 'other'] as const satisfies readonly PlanType[];
export const relationships = ['self', 'parent', 'guardian', 'spouse', 'other'] as const satisfies readonly Relationship[];

/** The largest photo the clinic accepts, and the types a phone's camera writes. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const PHOTO_TYPES = 'image/jpeg,image/png,image/heic,image/heif,.heic,.heif';

export interface CardPhotos {
  frontPhoto?: File | undefined;
  backPhoto?: File | undefined;
}

const base = (patientId: string) => `/api/v1/patients/${encodeURIComponent(patientId)}/insurance`;

function formOf(input: CoverageInput, photos: CardPhotos): FormData {
  const form = new FormData();
  form.set('details', JSON.stringify(input));
  if (photos.frontPhoto) form.set('frontPhoto', photos.frontPhoto);
  if (photos.backPhoto) form.set('backPhoto', photos.backPhoto);
  return form;
}

/** Where the browser reads a card photo (an <img> shows it; the gateway checks who asks). */
export const photoUrl = (coverage: Coverage, side: CardSide) =>
  `${base(coverage.patientId)}/${encodeURIComponent(coverage.id)}/photos/${side}?v=${coverage.version}`;

export const insuranceApi = {
  list: async (patientId: string, signal?: AbortSignal) =>
    (await call('get', '/api/v1/patients/{patientId}/insurance', { path: { patientId }, signal })).coverages,
  add: async (patientId: string, input: CoverageInput, photos: CardPhotos, idempotencyKey: string) =>
    (
      await request<{ coverage: Coverage }>(base(patientId), {
        method: 'POST',
        body: formOf(input, photos),
        headers: { 'idempotency-key': idempotencyKey },
      })
    ).coverage,
  update: async (coverage: Coverage, input: CoverageInput, photos: CardPhotos) =>
    (
      await request<{ coverage: Coverage }>(`${base(coverage.patientId)}/${encodeURIComponent(coverage.id)}`, {
        method: 'PUT',
        body: formOf(input, photos),
        headers: { 'if-match': `"${coverage.version}"` },
      })
    ).coverage,
  deactivate: async (coverage: Coverage) =>
    (
      await call('post', '/api/v1/patients/{patientId}/insurance/{coverageId}/deactivate', {
        path: { patientId: coverage.patientId, coverageId: coverage.id },
      })
    ).coverage,
  history: async (coverage: Coverage, signal?: AbortSignal) =>
    (
      await call('get', '/api/v1/staff/patients/{patientId}/insurance/{coverageId}/history', {
        path: { patientId: coverage.patientId, coverageId: coverage.id },
        signal,
      })
    ).changes,
  verify: async (coverage: Coverage) =>
    (
      await call('post', '/api/v1/staff/patients/{patientId}/insurance/{coverageId}/verify', {
        path: { patientId: coverage.patientId, coverageId: coverage.id },
        headers: { 'if-match': `"${coverage.version}"` },
      })
    ).coverage,
  requestInformation: async (coverage: Coverage, message: string) =>
    (
      await call('post', '/api/v1/staff/patients/{patientId}/insurance/{coverageId}/request-information', {
        path: { patientId: coverage.patientId, coverageId: coverage.id },
        body: { message },
        headers: { 'if-match': `"${coverage.version}"` },
      })
    ).coverage,
};

const rank = (c: Coverage) => (c.status === 'active' ? priorities.indexOf(c.priority) : priorities.length);
/** Active coverages by priority, then inactive ones, latest first: the order the service gives. */
export const inListOrder = (list: Coverage[]) => [...list].sort((a, b) => rank(a) - rank(b) || b.updatedAt.localeCompare(a.updatedAt));

export function useCoverages(patientId: string) {
  return useQuery({
    queryKey: keys.coverages(patientId),
    queryFn: ({ signal }) => insuranceApi.list(patientId, signal),
    select: inListOrder,
  });
}

export function useCoverageHistory(coverage: Coverage) {
  return useQuery({
    queryKey: [...keys.coverages(coverage.patientId), coverage.id, 'history', coverage.version],
    queryFn: ({ signal }) => insuranceApi.history(coverage, signal),
  });
}

/** Every change of a coverage; each saved coverage replaces its old self in the list. */
export function useCoverageChanges(patientId: string) {
  const queryClient = useQueryClient();
  const put = (saved: Coverage) =>
    queryClient.setQueryData<Coverage[]>(keys.coverages(patientId), (list) => [...(list ?? []).filter((c) => c.id !== saved.id), saved]);
  const options = { onSuccess: put };
  return {
    add: useMutation({
      mutationFn: (v: { input: CoverageInput; photos: CardPhotos; idempotencyKey: string }) =>
        insuranceApi.add(patientId, v.input, v.photos, v.idempotencyKey),
      ...options,
    }),
    update: useMutation({
      mutationFn: (v: { coverage: Coverage; input: CoverageInput; photos: CardPhotos }) =>
        insuranceApi.update(v.coverage, v.input, v.photos),
      ...options,
    }),
    deactivate: useMutation({ mutationFn: insuranceApi.deactivate, ...options }),
    verify: useMutation({ mutationFn: insuranceApi.verify, ...options }),
    requestInformation: useMutation({
      mutationFn: (v: { coverage: Coverage; message: string }) => insuranceApi.requestInformation(v.coverage, v.message),
      ...options,
    }),
  };
}
