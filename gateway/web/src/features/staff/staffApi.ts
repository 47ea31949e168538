// The staff API of the gateway: invitations, users, guardian ↔ patient links, the clinic's
// profile, handbook and logo; and the queries the staff screens read them through.
import { useQuery } from '@tanstack/react-query';
import { api, request } from '../../app/api';
import type { Organisation, Role } from '../../app/model';
import { keys } from '../../app/queryClient';

export type InvitationKind = 'patient' | 'guardian';
export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface Invitation {
  id: string;
  email: string;
  name: string;
  kind: InvitationKind;
  patientIds: string[];
  status: InvitationStatus;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface NewInvitation {
  email: string;
  givenName: string;
  familyName: string;
  kind: InvitationKind;
  patientIds?: string[];
}

export interface PortalUser {
  id: string;
  username: string;
  name: string;
  email: string;
  roles: Role[];
  patientIds: string[];
  enabled: boolean;
}

export type OrganisationProfile = Omit<Organisation, 'hasLogo' | 'hasHandbook' | 'handbookFileName' | 'version'>;

const id = encodeURIComponent;

export const staffApi = {
  invitations: async (signal?: AbortSignal) =>
    (await api.get<{ invitations: Invitation[] }>('/api/v1/staff/invitations', signal)).invitations,
  /** The invitation, and whether the welcome email went out (if not, staff can resend it). */
  invite: (invitation: NewInvitation) =>
    api.post<{ invitation: Invitation; welcomeEmailSent?: boolean }>('/api/v1/staff/invitations', invitation),
  resend: async (invitationId: string) =>
    (await api.post<{ invitation?: Invitation }>(`/api/v1/staff/invitations/${id(invitationId)}/resend`))?.invitation,
  revoke: async (invitationId: string) =>
    (await api.post<{ invitation?: Invitation }>(`/api/v1/staff/invitations/${id(invitationId)}/revoke`))?.invitation,
  users: async (signal?: AbortSignal) => (await api.get<{ users: PortalUser[] }>('/api/v1/staff/users', signal)).users,
  link: (guardianId: string, patientId: string) => api.post<unknown>(`/api/v1/staff/guardians/${id(guardianId)}/patients`, { patientId }),
  unlink: (guardianId: string, patientId: string) =>
    api.delete<unknown>(`/api/v1/staff/guardians/${id(guardianId)}/patients/${id(patientId)}`),
  saveOrganisation: (profile: OrganisationProfile, version?: number) =>
    api.put<unknown>('/api/v1/staff/organisation', profile, version !== undefined ? { 'if-match': `"${version}"` } : undefined),
  /** The PDF as it is; its name travels percent-encoded (UTF-8) in x-file-name. */
  uploadHandbook: (file: File) =>
    request<unknown>('/api/v1/staff/organisation/handbook', {
      method: 'PUT',
      body: file,
      headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(file.name) },
    }),
  uploadLogo: (file: File) =>
    request<unknown>('/api/v1/staff/organisation/logo', { method: 'PUT', body: file, headers: { 'content-type': file.type } }),
};

export function useInvitations() {
  return useQuery({ queryKey: keys.invitations, queryFn: ({ signal }) => staffApi.invitations(signal) });
}

export function useUsers() {
  return useQuery({ queryKey: keys.users, queryFn: ({ signal }) => staffApi.users(signal) });
}
