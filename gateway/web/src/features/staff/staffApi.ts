// The staff API of the gateway: invitations, users, guardian ↔ patient links, the clinic's
// profile, handbook and logo; and the queries the staff screens read them through.
import { useQuery } from '@tanstack/react-query';
import { call, type RequestBodyOf } from '../../app/api';
import type { Invitation, PortalUser } from '../../app/model';
import { keys } from '../../app/queryClient';

export type { Invitation, PortalUser };
export type InvitationKind = 'patient' | 'guardian';
export type NewInvitation = RequestBodyOf<'/api/v1/staff/invitations', 'post'>;
export type OrganisationProfile = RequestBodyOf<'/api/v1/staff/organisation', 'put'>;

const invitation = '/api/v1/staff/invitations/{invitationId}';

export const staffApi = {
  invitations: async (signal?: AbortSignal) => (await call('get', '/api/v1/staff/invitations', { signal })).invitations,
  /** The invitation, and whether the welcome email went out (if not, staff can resend it). */
  invite: (body: NewInvitation) => call('post', '/api/v1/staff/invitations', { body }),
  resend: async (invitationId: string) => (await call('post', `${invitation}/resend`, { path: { invitationId } }))?.invitation,
  revoke: async (invitationId: string) => (await call('post', `${invitation}/revoke`, { path: { invitationId } }))?.invitation,
  users: async (signal?: AbortSignal) => (await call('get', '/api/v1/staff/users', { signal })).users,
  link: (guardianId: string, patientId: string) =>
    call('post', '/api/v1/staff/guardians/{guardianId}/patients', { path: { guardianId }, body: { patientId } }),
  unlink: (guardianId: string, patientId: string) =>
    call('delete', '/api/v1/staff/guardians/{guardianId}/patients/{patientId}', { path: { guardianId, patientId } }),
  /** Version 0 (a clinic that never saved its profile) asks for no check. */
  saveOrganisation: (body: OrganisationProfile, version: number) =>
    call('put', '/api/v1/staff/organisation', { body, ...(version > 0 ? { headers: { 'if-match': `"${version}"` } } : {}) }),
  /** The PDF as it is; its name travels percent-encoded (UTF-8) in x-file-name. */
  uploadHandbook: (file: File) =>
    call('put', '/api/v1/staff/organisation/handbook', {
      body: file,
      headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(file.name) },
    }),
  uploadLogo: (file: File) => call('put', '/api/v1/staff/organisation/logo', { body: file, headers: { 'content-type': file.type } }),
  removeLogo: () => call('delete', '/api/v1/staff/organisation/logo'),
  removeHandbook: () => call('delete', '/api/v1/staff/organisation/handbook'),
};

export function useInvitations() {
  return useQuery({ queryKey: keys.invitations, queryFn: ({ signal }) => staffApi.invitations(signal) });
}

export function useUsers() {
  return useQuery({ queryKey: keys.users, queryFn: ({ signal }) => staffApi.users(signal) });
}
