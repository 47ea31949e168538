// The consents API of the gateway (seed step 6): a patient's consents and how many wait for a
// signature (the red badge), one consent with its text and the electronic-records disclosure, the
// disclosure's acceptance, the signature, a release's revocation; and for staff the clinic's
// consent texts, assigning one, and verifying a signed PDF.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from '../../../app/api';
import type { components } from '../../../app/api-types';

export type Consent = components['schemas']['Consent'];
export type ConsentTemplate = components['schemas']['ConsentTemplate'];
export type Disclosure = components['schemas']['ElectronicRecordsDisclosure'];
export type ConsentSignature = components['schemas']['ConsentSignature'];
export type Verification = components['schemas']['ConsentVerification'];

const encode = encodeURIComponent;
export const consentsKey = (patientId: string) => ['patients', patientId, 'consents'] as const;

/** The signed PDF's download address (an attachment the browser saves). */
export const signedPdfUrl = (patientId: string, consentId: string) =>
  `/api/v1/patients/${encode(patientId)}/consents/${encode(consentId)}/signed.pdf`;

/** The patient's consents and the number still to sign; none asked for without a patient. */
export function useConsents(patientId: string | null) {
  return useQuery({
    queryKey: consentsKey(patientId ?? ''),
    queryFn: ({ signal }) => call('get', '/api/v1/patients/{patientId}/consents', { path: { patientId: patientId! }, signal }),
    enabled: Boolean(patientId),
  });
}

export function useConsent(patientId: string, consentId: string) {
  return useQuery({
    queryKey: [...consentsKey(patientId), consentId],
    queryFn: ({ signal }) => call('get', '/api/v1/patients/{patientId}/consents/{consentId}', { path: { patientId, consentId }, signal }),
  });
}

export function useAcceptDisclosure(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: string) => call('post', '/api/v1/electronic-records-disclosure/acceptance', { body: { version } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consentsKey(patientId) }),
  });
}

export function useSignConsent(patientId: string, consentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (signature: ConsentSignature) =>
      call('post', '/api/v1/patients/{patientId}/consents/{consentId}/signature', { path: { patientId, consentId }, body: signature }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consentsKey(patientId) }),
  });
}

export function useRevokeRelease(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (consentId: string) =>
      call('post', '/api/v1/patients/{patientId}/consents/{consentId}/revocation', { path: { patientId, consentId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consentsKey(patientId) }),
  });
}

export function useConsentTemplates() {
  return useQuery({
    queryKey: ['staff', 'consent-templates'],
    queryFn: async ({ signal }) => (await call('get', '/api/v1/staff/consent-templates', { signal })).templates,
  });
}

export function useAssignConsent(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { templateId: string; release?: { contactId: string; scope: string; expiresOn: string } }) =>
      call('post', '/api/v1/staff/patients/{patientId}/consents', { path: { patientId }, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consentsKey(patientId) }),
  });
}

/** Staff: a PDF is hashed in the browser (SHA-256) and only its digest is sent to be checked. */
export function useVerifySignedPdf() {
  return useMutation({
    mutationFn: async (file: Blob) => {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
      const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
      return call('post', '/api/v1/staff/consents/verification', { body: { sha256 } });
    },
  });
}
