// The contacts API of the gateway (seed step 9), for the patient the user acts for, and the
// queries and changes the contact screens make through the app's one cache.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from '../../app/api';
export { newIdempotencyKey } from '../../app/api';
import type { Contact, ContactInput, Purpose } from '../../app/model';
import { keys } from '../../app/queryClient';

export type { Contact, ContactInput, Purpose };

/** Every purpose, in the order the form offers them. */
export const purposes = ['emergency', 'release_of_information', 'other'] as const satisfies readonly Purpose[];

const contacts = '/api/v1/patients/{patientId}/contacts';
const contact = '/api/v1/patients/{patientId}/contacts/{contactId}';

export const contactsApi = {
  list: async (patientId: string, signal?: AbortSignal) => (await call('get', contacts, { path: { patientId }, signal })).contacts,
  get: async (patientId: string, contactId: string, signal?: AbortSignal) =>
    (await call('get', contact, { path: { patientId, contactId }, signal })).contact,
  /** The idempotency key makes a retried "Add" (a lost answer, a double click) add the contact once. */
  add: async (patientId: string, input: ContactInput, idempotencyKey: string) =>
    (await call('post', contacts, { path: { patientId }, body: input, headers: { 'idempotency-key': idempotencyKey } })).contact,
  /** If-Match carries the version the user edited; the gateway answers 412 when it is stale. */
  update: async (patientId: string, contactId: string, version: number, input: ContactInput) =>
    (await call('put', contact, { path: { patientId, contactId }, body: input, headers: { 'if-match': `"${version}"` } })).contact,
  inactivate: async (patientId: string, contactId: string) =>
    (await call('post', `${contact}/inactivate`, { path: { patientId, contactId } })).contact,
  reactivate: async (patientId: string, contactId: string) =>
    (await call('post', `${contact}/reactivate`, { path: { patientId, contactId } })).contact,
};

const byName = (a: Contact, b: Contact) => a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt);
const sorted = (list: Contact[]) => [...list].sort(byName);

/** Every contact of the patient, active and inactive, by name. */
export function useContacts(patientId: string | null) {
  return useQuery({
    queryKey: keys.contacts(patientId ?? ''),
    queryFn: ({ signal }) => contactsApi.list(patientId!, signal),
    enabled: Boolean(patientId),
    select: sorted,
  });
}

/** Adding, editing and (in)activating a contact; each saved contact replaces its old self in the list. */
export function useContactChanges(patientId: string) {
  const queryClient = useQueryClient();
  const put = (saved: Contact) => {
    queryClient.setQueryData<Contact[]>(keys.contacts(patientId), (list) => [...(list ?? []).filter((c) => c.id !== saved.id), saved]);
    queryClient.setQueryData(keys.contact(patientId, saved.id), saved);
  };
  const add = useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: ContactInput; idempotencyKey: string }) =>
      contactsApi.add(patientId, input, idempotencyKey),
    onSuccess: put,
  });
  const update = useMutation({
    mutationFn: ({ contact, input }: { contact: Contact; input: ContactInput }) =>
      contactsApi.update(patientId, contact.id, contact.version, input),
    onSuccess: put,
  });
  const setActive = useMutation({
    mutationFn: ({ contact, active }: { contact: Contact; active: boolean }) =>
      active ? contactsApi.reactivate(patientId, contact.id) : contactsApi.inactivate(patientId, contact.id),
    onSuccess: put,
  });
  /** The contact as the gateway has it now (after someone else changed it). */
  const latest = (contactId: string) =>
    queryClient.fetchQuery({
      queryKey: keys.contact(patientId, contactId),
      queryFn: ({ signal }) => contactsApi.get(patientId, contactId, signal),
      staleTime: 0,
    });
  return { add, update, setActive, latest };
}
