// The forms and surveys API of the gateway (seed step 6, Documents → Forms and Surveys, Additional
// Surveys): a patient's forms, one with its SurveyJS definition and answers, drafts and the
// submission; the surveys the clinic offers; and the staff routes that publish, assign and offer.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from '../../../app/api';
import type { components } from '../../../app/api-types';

export type Form = components['schemas']['Form'];
export type FormState = Form['state'];
export type OfferedSurvey = components['schemas']['OfferedSurvey'];
export type FormDefinition = components['schemas']['FormDefinition'];
export type Answers = Record<string, unknown>;

const formsKey = (patientId: string) => ['patients', patientId, 'forms'] as const;
const surveysKey = (patientId: string) => ['patients', patientId, 'surveys'] as const;
const definitionsKey = ['staff', 'form-definitions'] as const;

/** Where a submitted form's answers download as a PDF. */
export const answersPdfUrl = (patientId: string, formId: string) =>
  `/api/v1/patients/${encodeURIComponent(patientId)}/forms/${encodeURIComponent(formId)}/answers.pdf`;

export function useForms(patientId: string) {
  return useQuery({
    queryKey: formsKey(patientId),
    queryFn: async ({ signal }) =>
      (await call('get', '/api/v1/patients/{patientId}/forms', { path: { patientId }, query: { pageSize: '50' }, signal })).forms,
  });
}

export function useOfferedSurveys(patientId: string) {
  return useQuery({
    queryKey: surveysKey(patientId),
    queryFn: async ({ signal }) => (await call('get', '/api/v1/patients/{patientId}/surveys', { path: { patientId }, signal })).surveys,
  });
}

/** One form as it is stored now: never served from an older cache entry, since a draft may have moved on elsewhere. */
export function useForm(patientId: string, formId: string) {
  return useQuery({
    queryKey: [...formsKey(patientId), formId],
    queryFn: ({ signal }) => call('get', '/api/v1/patients/{patientId}/forms/{formId}', { path: { patientId, formId }, signal }),
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

export function useStartSurvey(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (definitionKey: string) =>
      call('post', '/api/v1/patients/{patientId}/surveys/{definitionKey}/start', { path: { patientId, definitionKey } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['patients', patientId] }),
  });
}

export const saveDraft = (patientId: string, formId: string, answers: Answers, revision: number) =>
  call('put', '/api/v1/patients/{patientId}/forms/{formId}/draft', { path: { patientId, formId }, body: { answers, revision } });

export function useSubmitForm(patientId: string, formId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ answers, revision }: { answers: Answers; revision: number }) =>
      call('post', '/api/v1/patients/{patientId}/forms/{formId}/submission', { path: { patientId, formId }, body: { answers, revision } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['patients', patientId] }),
  });
}

export function useFormDefinitions() {
  return useQuery({
    queryKey: definitionsKey,
    queryFn: async ({ signal }) => (await call('get', '/api/v1/staff/forms/definitions', { signal })).definitions,
  });
}

export function useAssignForm(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (definitionKey: string) =>
      call('post', '/api/v1/staff/patients/{patientId}/forms', { path: { patientId }, body: { definitionKey } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: formsKey(patientId) }),
  });
}

export function useOfferSurvey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => call('post', '/api/v1/staff/forms/definitions/{key}/offer', { path: { key } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: definitionsKey }),
  });
}
