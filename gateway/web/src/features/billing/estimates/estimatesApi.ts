// The Good Faith Estimates API of the gateway: the patient's estimates, one estimate, its PDF, the
// electronic-records disclosure and the signed decision; staff issue and reissue. Every change
// makes the patient's billing stale (an estimate's notice depends on invoices, and the reverse).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, type RequestBodyOf } from '../../../app/api';
import type { components } from '../../../app/api-types';

export type Estimate = components['schemas']['Estimate'];
export type EstimateDecision = components['schemas']['EstimateDecision'];
export type NewEstimate = RequestBodyOf<'/api/v1/staff/patients/{patientId}/billing/estimates', 'post'>;

const base = '/api/v1/patients/{patientId}/billing/estimates';
const staffBase = '/api/v1/staff/patients/{patientId}/billing/estimates';
const billingKey = (patientId: string) => ['patients', patientId, 'billing'] as const;
const estimatesKey = (patientId: string) => [...billingKey(patientId), 'estimates'] as const;

export const estimatesApi = {
  list: async (patientId: string, signal?: AbortSignal) => (await call('get', base, { path: { patientId }, signal })).estimates,
  one: async (patientId: string, estimateId: string, signal?: AbortSignal) =>
    (await call('get', `${base}/{estimateId}`, { path: { patientId, estimateId }, signal })).estimate,
  disclosure: (signal?: AbortSignal) => call('get', '/api/v1/billing/signing-disclosure', { signal }),
  decide: async (patientId: string, estimateId: string, body: EstimateDecision) =>
    (await call('post', `${base}/{estimateId}/decision`, { path: { patientId, estimateId }, body })).estimate,
  issue: async (patientId: string, body: NewEstimate, idempotencyKey: string) =>
    (await call('post', staffBase, { path: { patientId }, body, headers: { 'idempotency-key': idempotencyKey } })).estimate,
  reissue: async (patientId: string, estimateId: string, body: NewEstimate, idempotencyKey: string) =>
    (
      await call('post', `${staffBase}/{estimateId}/versions`, {
        path: { patientId, estimateId },
        body,
        headers: { 'idempotency-key': idempotencyKey },
      })
    ).estimate,
};

/** The address of an estimate's PDF (the browser downloads it). */
export const estimatePdfUrl = (patientId: string, estimateId: string) =>
  `/api/v1/patients/${encodeURIComponent(patientId)}/billing/estimates/${encodeURIComponent(estimateId)}/estimate.pdf`;

export function useEstimates(patientId: string) {
  return useQuery({ queryKey: estimatesKey(patientId), queryFn: ({ signal }) => estimatesApi.list(patientId, signal) });
}

export function useEstimate(patientId: string, estimateId: string) {
  return useQuery({
    queryKey: [...estimatesKey(patientId), estimateId],
    queryFn: ({ signal }) => estimatesApi.one(patientId, estimateId, signal),
  });
}

export function useSigningDisclosure() {
  return useQuery({
    queryKey: ['billing', 'signing-disclosure'],
    queryFn: ({ signal }) => estimatesApi.disclosure(signal),
    staleTime: Infinity,
  });
}

export function useEstimateChanges(patientId: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: billingKey(patientId) });
  return {
    decide: useMutation({
      mutationFn: ({ estimateId, body }: { estimateId: string; body: EstimateDecision }) =>
        estimatesApi.decide(patientId, estimateId, body),
      onSettled: refresh,
    }),
    issue: useMutation({
      mutationFn: ({ body, idempotencyKey, estimateId }: { body: NewEstimate; idempotencyKey: string; estimateId?: string }) =>
        estimateId
          ? estimatesApi.reissue(patientId, estimateId, body, idempotencyKey)
          : estimatesApi.issue(patientId, body, idempotencyKey),
      onSettled: refresh,
    }),
  };
}
