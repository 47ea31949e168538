// The screenings API of the gateway (seed step 6, Resources): a patient's PHQ-9 and GAD-7
// screenings, one with its questions, result and trend, the answers, and staff assigning one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from '../../app/api';
import type { components } from '../../app/api-types';

export type Screening = components['schemas']['Screening'];
export type TrendPoint = components['schemas']['ScreeningTrendPoint'];
export type Instrument = Screening['instrument'];
export const instruments = ['phq9', 'gad7'] as const satisfies readonly Instrument[];

const key = (patientId: string) => ['patients', patientId, 'screenings'] as const;

export function useScreenings(patientId: string) {
  return useQuery({
    queryKey: key(patientId),
    queryFn: async ({ signal }) =>
      (await call('get', '/api/v1/patients/{patientId}/screenings', { path: { patientId }, query: { pageSize: '50' }, signal })).screenings,
  });
}

export function useScreening(patientId: string, screeningId: string) {
  return useQuery({
    queryKey: [...key(patientId), screeningId],
    queryFn: ({ signal }) =>
      call('get', '/api/v1/patients/{patientId}/screenings/{screeningId}', { path: { patientId, screeningId }, signal }),
  });
}

export function useSubmitScreening(patientId: string, screeningId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (answers: number[]) =>
      call('post', '/api/v1/patients/{patientId}/screenings/{screeningId}/answers', {
        path: { patientId, screeningId },
        body: { answers },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key(patientId) }),
  });
}

export function useAssignScreening(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (instrument: Instrument) =>
      call('post', '/api/v1/staff/patients/{patientId}/screenings', { path: { patientId }, body: { instrument } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key(patientId) }),
  });
}
