// /api/v1/patients/{patientId}/contacts — seed step 9: list, add, edit, inactivate, reactivate.
import { create } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import {
  ContactDetailsSchema,
  ContactPurpose,
  ContactStatus,
  type Contact as ContactMessage,
  type ContactsService,
} from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import type { ServiceClient } from '@portico/kit/grpc';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { expectedVersion, IdempotencyKeyHeaders, IfMatchHeaders, PatientParams, problemResponses, ref } from '../http/schemas.js';
import { callMetadata } from './call-metadata.js';
import { Contact, ContactInput, ContactParams, type ContactInputBody } from './contact-schemas.js';

type Client = ServiceClient<(typeof ContactsService)['method']>;

const PURPOSE_TO_PROTO = {
  emergency: ContactPurpose.EMERGENCY,
  release_of_information: ContactPurpose.RELEASE_OF_INFORMATION,
  other: ContactPurpose.OTHER,
} as const;
const PROTO_TO_PURPOSE = new Map<ContactPurpose, keyof typeof PURPOSE_TO_PROTO>(
  Object.entries(PURPOSE_TO_PROTO).map(([k, v]) => [v, k as keyof typeof PURPOSE_TO_PROTO]),
);

function detailsOf(body: ContactInputBody) {
  return create(ContactDetailsSchema, {
    name: body.name,
    relationship: body.relationship ?? '',
    phone: body.phone ?? '',
    phoneRegion: body.phoneRegion ?? '',
    email: body.email ?? '',
    ...(body.address ? { address: body.address } : {}),
    purposes: body.purposes.map((p) => PURPOSE_TO_PROTO[p]),
    notes: body.notes ?? '',
  });
}

function contactJson(message: ContactMessage | undefined): Static<typeof Contact> {
  if (!message) throw new Error('service answered without a contact');
  const details = message.details!;
  return {
    id: message.contactId,
    patientId: message.patientId,
    name: details.name,
    relationship: details.relationship,
    phone: details.phone,
    email: details.email,
    ...(details.address
      ? {
          address: {
            line1: details.address.line1,
            line2: details.address.line2,
            city: details.address.city,
            region: details.address.region,
            postalCode: details.address.postalCode,
            countryCode: details.address.countryCode,
          },
        }
      : {}),
    purposes: details.purposes.map((p) => PROTO_TO_PURPOSE.get(p)).filter((p) => p !== undefined),
    notes: details.notes,
    status: message.status === ContactStatus.INACTIVE ? 'inactive' : 'active',
    version: Number(message.version),
    createdAt: timestampDate(message.createdAt!).toISOString(),
    updatedAt: timestampDate(message.updatedAt!).toISOString(),
  };
}

export function contactRoutes(app: FastifyInstance, client: Client): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Contacts'];
  const One = Type.Object({ contact: ref(Contact) });
  const errors = problemResponses(400, 404);

  api.get(
    '/api/v1/patients/:patientId/contacts',
    {
      schema: {
        tags,
        summary: 'All contacts of a patient, active and inactive',
        params: PatientParams,
        response: { 200: Type.Object({ contacts: Type.Array(ref(Contact)) }), ...errors },
      },
    },
    async (request) => {
      const response = await client.listContacts({ patientId: request.params.patientId }, { metadata: callMetadata(request) });
      return { contacts: response.contacts.map(contactJson) };
    },
  );

  api.get(
    '/api/v1/patients/:patientId/contacts/:contactId',
    { schema: { tags, summary: 'One contact', params: ContactParams, response: { 200: One, ...errors } } },
    async (request) => {
      const { patientId, contactId } = request.params;
      const response = await client.getContact({ patientId, contactId }, { metadata: callMetadata(request) });
      return { contact: contactJson(response.contact) };
    },
  );

  api.post(
    '/api/v1/patients/:patientId/contacts',
    {
      schema: {
        tags,
        summary: 'Add a contact',
        description: 'Send an Idempotency-Key header to make retries safe: the same key returns the contact the first request added.',
        params: PatientParams,
        headers: IdempotencyKeyHeaders,
        body: ref(ContactInput),
        response: { 201: One, ...errors, ...problemResponses(413, 415) },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const response = await client.addContact(
        { patientId, details: detailsOf(request.body), idempotencyKey: request.headers['idempotency-key'] ?? '' },
        { metadata: callMetadata(request) },
      );
      const body = { contact: contactJson(response.contact) };
      return reply.code(201).header('location', `/api/v1/patients/${patientId}/contacts/${body.contact.id}`).send(body);
    },
  );

  api.put(
    '/api/v1/patients/:patientId/contacts/:contactId',
    {
      schema: {
        tags,
        summary: 'Edit a contact (replaces its details)',
        description: 'Send If-Match with the version you read (e.g. "3") to refuse the edit when someone changed the contact meanwhile.',
        params: ContactParams,
        headers: IfMatchHeaders,
        body: ref(ContactInput),
        response: { 200: One, ...errors, ...problemResponses(409, 412, 413, 415) },
      },
    },
    async (request) => {
      const { patientId, contactId } = request.params;
      const response = await client.updateContact(
        { patientId, contactId, details: detailsOf(request.body), expectedVersion: expectedVersion(request.headers['if-match']) },
        { metadata: callMetadata(request) },
      );
      return { contact: contactJson(response.contact) };
    },
  );

  for (const [action, summary] of [
    ['inactivate', 'Inactivate a contact'],
    ['reactivate', 'Reactivate a contact'],
  ] as const) {
    api.post(
      `/api/v1/patients/:patientId/contacts/:contactId/${action}`,
      { schema: { tags, summary, params: ContactParams, response: { 200: One, ...errors } } },
      async (request) => {
        const { patientId, contactId } = request.params;
        const call = action === 'inactivate' ? client.inactivateContact : client.reactivateContact;
        const response = await call({ patientId, contactId }, { metadata: callMetadata(request) });
        return { contact: contactJson(response.contact) };
      },
    );
  }
}

export const contactSchemas = [ContactInput, Contact];
