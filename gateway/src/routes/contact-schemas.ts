// Schemas of the contacts API: they validate requests at the edge, type the handlers and document
// the API (OpenAPI). The contacts service still applies every domain rule itself.
import { Type, type Static } from 'typebox';
import { CountryCode, StringEnum, Text, Uuid } from '../http/schemas.js';

export const ContactParams = Type.Object({ patientId: Uuid, contactId: Uuid }, { additionalProperties: false });

export const PostalAddress = Type.Object(
  {
    line1: Type.Optional(Text(200)),
    line2: Type.Optional(Text(200)),
    city: Type.Optional(Text(100)),
    region: Type.Optional(Text(100, 'State, province or county')),
    postalCode: Type.Optional(Text(20)),
    countryCode: Type.Optional(CountryCode),
  },
  { additionalProperties: false },
);

export const contactPurposes = ['emergency', 'release_of_information', 'other'] as const;
const Purpose = StringEnum(contactPurposes);

export const ContactInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    relationship: Type.Optional(Text(100, 'In the patient’s words: mother, lawyer, school counsellor…')),
    phone: Type.Optional(Text(40, 'International (+…) or national with phoneRegion; stored as E.164')),
    phoneRegion: Type.Optional(
      Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 region for a national phone number' }),
    ),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    address: Type.Optional(PostalAddress),
    purposes: Type.Array(Purpose, { minItems: 1, uniqueItems: true }),
    notes: Type.Optional(Text(2000)),
  },
  { $id: 'ContactInput', additionalProperties: false },
);
export type ContactInputBody = Static<typeof ContactInput>;

export const Contact = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    name: Type.String(),
    relationship: Type.Optional(Type.String()),
    phone: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    address: Type.Optional(PostalAddress),
    purposes: Type.Array(Purpose),
    notes: Type.Optional(Type.String()),
    status: StringEnum(['active', 'inactive']),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Contact' },
);
