// The contacts API of the gateway (seed step 9), for the patient the user acts for.
import { api } from '../../app/api';
import type { PostalAddress } from '../../app/model';

export const purposes = ['emergency', 'release_of_information', 'other'] as const;
export type Purpose = (typeof purposes)[number];

export const purposeLabels: Record<Purpose, string> = {
  emergency: 'Emergency',
  release_of_information: 'Release of information',
  other: 'Other',
};

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
  get: async (patientId: string, contactId: string) => (await api.get<{ contact: Contact }>(one(patientId, contactId))).contact,
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

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
