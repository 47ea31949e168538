// The billing API of the gateway (seed step 7) for the patient the user acts for — the payment
// summary, invoices, payments with receipts, Make a Payment — and the staff routes of a patient's
// record (invoices, front-desk payments); with the queries and changes the screens make through
// the app's one cache. Every change of the ledger makes all of the patient's billing stale.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, type RequestBodyOf } from '../../app/api';
import type { components } from '../../app/api-types';

type Schemas = components['schemas'];
export type Money = Schemas['Money'];
export type Invoice = Schemas['Invoice'];
export type Payment = Schemas['Payment'];
export type BillingSummary = Schemas['BillingSummary'];
export type Statement = Schemas['Statement'];
export type Superbill = Schemas['Superbill'];
export type NewPayment = Schemas['NewPayment'];
export type NewInvoice = RequestBodyOf<'/api/v1/staff/patients/{patientId}/billing/invoices', 'post'>;
export type FrontDeskPayment = RequestBodyOf<'/api/v1/staff/patients/{patientId}/billing/payments', 'post'>;

const base = '/api/v1/patients/{patientId}/billing';
const staffBase = '/api/v1/staff/patients/{patientId}/billing';

/** Everything of one patient's billing, so one change refreshes the summary and every list. */
const billingKey = (patientId: string) => ['patients', patientId, 'billing'] as const;

export const billingApi = {
  summary: (patientId: string, signal?: AbortSignal) => call('get', `${base}/summary`, { path: { patientId }, signal }),
  invoices: async (patientId: string, outstanding: boolean, signal?: AbortSignal) =>
    (
      await call('get', `${base}/invoices`, {
        path: { patientId },
        query: { outstanding: outstanding ? 'true' : 'false', pageSize: '100' },
        signal,
      })
    ).invoices,
  invoice: async (patientId: string, invoiceId: string, signal?: AbortSignal) =>
    (await call('get', `${base}/invoices/{invoiceId}`, { path: { patientId, invoiceId }, signal })).invoice,
  payments: async (patientId: string, signal?: AbortSignal) =>
    (await call('get', `${base}/payments`, { path: { patientId }, query: { pageSize: '100' }, signal })).payments,
  statements: async (patientId: string, signal?: AbortSignal) =>
    (await call('get', `${base}/statements`, { path: { patientId }, signal })).statements,
  superbills: async (patientId: string, signal?: AbortSignal) =>
    (await call('get', `${base}/superbills`, { path: { patientId }, signal })).superbills,
  settings: (signal?: AbortSignal) => call('get', '/api/v1/billing/payment-settings', { signal }),
  /** The idempotency key makes a double click or a retry after a lost answer charge once. */
  pay: async (patientId: string, body: NewPayment, idempotencyKey: string) =>
    (await call('post', `${base}/payments`, { path: { patientId }, body, headers: { 'idempotency-key': idempotencyKey } })).payment,
  issueInvoice: async (patientId: string, body: NewInvoice, idempotencyKey: string) =>
    (await call('post', `${staffBase}/invoices`, { path: { patientId }, body, headers: { 'idempotency-key': idempotencyKey } })).invoice,
  recordPayment: async (patientId: string, body: FrontDeskPayment, idempotencyKey: string) =>
    (await call('post', `${staffBase}/payments`, { path: { patientId }, body, headers: { 'idempotency-key': idempotencyKey } })).payment,
};

/** The address of a payment's receipt (a PDF the browser downloads). */
export const receiptUrl = (patientId: string, paymentId: string) =>
  `/api/v1/patients/${encodeURIComponent(patientId)}/billing/payments/${encodeURIComponent(paymentId)}/receipt.pdf`;

/** The address of a month's statement (a PDF the browser downloads). */
export const statementUrl = (patientId: string, month: string) =>
  `/api/v1/patients/${encodeURIComponent(patientId)}/billing/statements/${encodeURIComponent(month)}.pdf`;

/** The address of a super bill (a PDF the browser downloads). */
export const superbillUrl = (patientId: string, superbillId: string) =>
  `/api/v1/patients/${encodeURIComponent(patientId)}/billing/superbills/${encodeURIComponent(superbillId)}.pdf`;

export function useSuperbills(patientId: string) {
  return useQuery({
    queryKey: [...billingKey(patientId), 'superbills'],
    queryFn: ({ signal }) => billingApi.superbills(patientId, signal),
  });
}

export function useStatements(patientId: string) {
  return useQuery({
    queryKey: [...billingKey(patientId), 'statements'],
    queryFn: ({ signal }) => billingApi.statements(patientId, signal),
  });
}

export function useBillingSummary(patientId: string) {
  return useQuery({ queryKey: [...billingKey(patientId), 'summary'], queryFn: ({ signal }) => billingApi.summary(patientId, signal) });
}

export function useInvoices(patientId: string, outstanding: boolean) {
  return useQuery({
    queryKey: [...billingKey(patientId), 'invoices', outstanding],
    queryFn: ({ signal }) => billingApi.invoices(patientId, outstanding, signal),
  });
}

export function useInvoice(patientId: string, invoiceId: string) {
  return useQuery({
    queryKey: [...billingKey(patientId), 'invoice', invoiceId],
    queryFn: ({ signal }) => billingApi.invoice(patientId, invoiceId, signal),
  });
}

export function usePayments(patientId: string) {
  return useQuery({ queryKey: [...billingKey(patientId), 'payments'], queryFn: ({ signal }) => billingApi.payments(patientId, signal) });
}

export function usePaymentSettings() {
  return useQuery({ queryKey: ['billing', 'payment-settings'], queryFn: ({ signal }) => billingApi.settings(signal), staleTime: Infinity });
}

/** The ledger's changes; each makes every billing figure of the patient stale. */
export function useBillingChanges(patientId: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: billingKey(patientId) });
  return {
    pay: useMutation({
      mutationFn: ({ body, idempotencyKey }: { body: NewPayment; idempotencyKey: string }) =>
        billingApi.pay(patientId, body, idempotencyKey),
      onSettled: refresh,
    }),
    issueInvoice: useMutation({
      mutationFn: ({ body, idempotencyKey }: { body: NewInvoice; idempotencyKey: string }) =>
        billingApi.issueInvoice(patientId, body, idempotencyKey),
      onSettled: refresh,
    }),
    recordPayment: useMutation({
      mutationFn: ({ body, idempotencyKey }: { body: FrontDeskPayment; idempotencyKey: string }) =>
        billingApi.recordPayment(patientId, body, idempotencyKey),
      onSettled: refresh,
    }),
  };
}
