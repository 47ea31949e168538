// The one cache of what the app read from the gateway (TanStack Query): every screen reads and
// writes through it, so a change saved on one screen shows on every other without reading again.
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';

/** A refusal (4xx) will not change by asking again; a lost connection or a 5xx may. */
function worthRetrying(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: worthRetrying,
        // The portal is used in one tab at a time; reading again on every focus would make lists
        // jump under a person's cursor. Screens that need fresh data say so.
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
}

/** The keys of everything the app reads, in one place, so a change can say what it made stale. */
export const keys = {
  me: ['me'] as const,
  organisation: ['organisation'] as const,
  contacts: (patientId: string) => ['patients', patientId, 'contacts'] as const,
  contact: (patientId: string, contactId: string) => ['patients', patientId, 'contacts', contactId] as const,
  invitations: ['staff', 'invitations'] as const,
  users: ['staff', 'users'] as const,
  patientSearch: (query: string, born: string, pageToken: string) => ['staff', 'patients', 'search', query, born, pageToken] as const,
  patient: (patientId: string) => ['staff', 'patients', patientId] as const,
  recordOpenings: (patientId: string) => ['patients', patientId, 'record-openings'] as const,
  recordAccesses: (patientId: string, filter: object) => ['staff', 'patients', patientId, 'record-accesses', filter] as const,
  /** Everything of one patient's appointments: both lists and Home's next one. */
  appointmentsOf: (patientId: string) => ['patients', patientId, 'appointments'] as const,
  appointments: (patientId: string, period: 'upcoming' | 'past') => ['patients', patientId, 'appointments', period] as const,
  nextAppointment: (patientId: string) => ['patients', patientId, 'appointments', 'next'] as const,
  calendarFeed: (patientId: string) => ['patients', patientId, 'calendar-feed'] as const,
  clinicianAppointmentsAll: ['staff', 'clinicians'] as const,
  clinicianAppointments: (clinicianId: string, from: string, to: string) =>
    ['staff', 'clinicians', clinicianId, 'appointments', from, to] as const,
  notificationPreferences: ['notification-preferences'] as const,
  /** A patient's insurance coverages (and, below, each one's history). */
  coverages: (patientId: string) => ['patients', patientId, 'insurance'] as const,
  clinicCoverages: ['staff', 'insurance'] as const,
  clinicNotificationSettings: ['staff', 'notification-settings'] as const,
  clinicalDocuments: (patientId: string) => ['patients', patientId, 'documents'] as const,
  resources: (patientId: string) => ['patients', patientId, 'resources'] as const,
  uploads: (patientId: string) => ['patients', patientId, 'uploads'] as const,
  clinicUploads: (status: string) => ['staff', 'uploads', status] as const,
};
