// Payment plans of the patient the user acts for, and the staff routes that make and cancel one; through the
// app's one cache. A new plan changes the patient's balance, so it makes all their billing stale.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, type RequestBodyOf } from '../../app/api';
import type { components } from '../../app/api-types';

export type PaymentPlan = components['schemas']['PaymentPlan'];
export type Instalment = components['schemas']['Instalment'];
export type NewPaymentPlan = RequestBodyOf<'/api/v1/staff/patients/{patientId}/billing/payment-plans', 'post'>;

/** The same key as the rest of the patient's billing, so every ledger change refreshes the plans too. */
const plansKey = (patientId: string) => ['patients', patientId, 'billing', 'payment-plans'] as const;

export function usePaymentPlans(patientId: string) {
  return useQuery({
    queryKey: plansKey(patientId),
    queryFn: async ({ signal }) =>
      (await call('get', '/api/v1/patients/{patientId}/billing/payment-plans', { path: { patientId }, signal })).plans,
  });
}

export function useCreatePaymentPlan(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, idempotencyKey }: { body: NewPaymentPlan; idempotencyKey: string }) =>
      (
        await call('post', '/api/v1/staff/patients/{patientId}/billing/payment-plans', {
          path: { patientId },
          body,
          headers: { 'idempotency-key': idempotencyKey },
        })
      ).plan,
    onSettled: () => client.invalidateQueries({ queryKey: ['patients', patientId, 'billing'] }),
  });
}

/** Staff cancel a plan: what it had not charged is owed again, so all the patient's billing is stale. */
export function useCancelPaymentPlan(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (planId: string) =>
      (await call('post', '/api/v1/staff/patients/{patientId}/billing/payment-plans/{planId}/cancel', { path: { patientId, planId } }))
        .plan,
    onSettled: () => client.invalidateQueries({ queryKey: ['patients', patientId, 'billing'] }),
  });
}
