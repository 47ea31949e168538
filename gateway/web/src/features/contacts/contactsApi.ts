// The contacts API of the gateway (seed step 9), for the patient the user acts for, and the
// queries and changes the contact screens make through the app's one cache.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';
import type { PostalAddress } from '../../app/model';
import { keys } from '../../app/queryClient';

export const purposes = ['emergency', 'release_of_information', 'other'] as const;
export type Purpose = (typeof purposes)[number];

export interface Contact {
  id: string;
  patientId: string;
  name: string;
  relationship: string;
  phone: string;
  email: string;
  address?: PostalAddress;
  purposes: Purpose[];
  notes: string;
  status: 'active' | 'inactive';
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What POST and PUT take: empty optional fields are left out, never sent as "". */
export interface ContactInput {
  name: string;
  relationship?: string;
  phone?: string;
  phoneRegion?: string;
  email?: string;
  address?: PostalAddress;
  purposes: Purpose[];
  notes?: string;
}

const collection = (patientId: string) => `/api/v1/patients/${encodeURIComponent(patientId)}/contacts`;
const one = (patientId: string, contactId: string) => `${collection(patientId)}/${encodeURIComponent(contactId)}`;

export const contactsApi = {
  list: async (patientId: string, signal?: AbortSignal) => (await api.get<{ contacts: Contact[] }>(collection(patientId), signal)).contacts,
  get: async (patientId: string, contactId: string, signal?: AbortSignal) =>
    (await api.get<{ contact: Contact }>(one(patientId, contactId), signal)).contact,
  /** The idempotency key makes a retried "Add" (a lost answer, a double click) add the contact once. */
  add: async (patientId: string, input: ContactInput, idempotencyKey: string) =>
    (await api.post<{ contact: Contact }>(collection(patientId), input, { 'idempotency-key': idempotencyKey })).contact,
  /** If-Match carries the version the user edited; the gateway answers 412 when it is stale. */
  update: async (patientId: string, contactId: string, version: number, input: ContactInput) =>
    (await api.put<{ contact: Contact }>(one(patientId, contactId), input, { 'if-match': `"${version}"` })).contact,
  inactivate: async (patientId: string, contactId: string) =>
    (await api.post<{ contact: Contact }>(`${one(patientId, contactId)}/inactivate`)).contact,
  reactivate: async (patientId: string, contactId: string) =>
    (await api.post<{ contact: Contact }>(`${one(patientId, contactId)}/reactivate`)).contact,
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

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
