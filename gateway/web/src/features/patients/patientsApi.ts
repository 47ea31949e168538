// The staff workspace's patients: a search of the clinic's patients, page by page, and one
// patient's header (name, email, account, guardians) for their record page.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call } from '../../app/api';
import type { ClinicPatient } from '../../app/model';
import { keys } from '../../app/queryClient';

export type { ClinicPatient };
export const patientsPageSize = 20;

/** Words of the name or email, and a date of birth (YYYY-MM-DD); either may be empty. */
export interface PatientSearch {
  query: string;
  born: string;
}

export const patientsApi = {
  search: ({ query, born }: PatientSearch, pageToken: string, signal?: AbortSignal) =>
    call('get', '/api/v1/staff/patients', {
      query: {
        ...(query ? { query } : {}),
        ...(born ? { dateOfBirth: born } : {}),
        pageSize: String(patientsPageSize),
        ...(pageToken ? { pageToken } : {}),
      },
      signal,
    }),
  get: (patientId: string, signal?: AbortSignal) => call('get', '/api/v1/staff/patients/{patientId}', { path: { patientId }, signal }),
};

/** One page of the search; the previous page stays on screen while the next one loads. */
export function usePatientSearch(search: PatientSearch, pageToken: string) {
  return useQuery({
    queryKey: keys.patientSearch(search.query, search.born, pageToken),
    queryFn: ({ signal }) => patientsApi.search(search, pageToken, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePatient(patientId: string) {
  return useQuery({ queryKey: keys.patient(patientId), queryFn: ({ signal }) => patientsApi.get(patientId, signal) });
}
