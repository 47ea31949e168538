// Schemas of the insurance API: they validate requests at the edge, type the handlers and document
// the API (OpenAPI). The insurance service still applies every domain rule itself.
import { Type, type Static } from 'typebox';
import { StringEnum, Text, Uuid } from '../http/schemas.js';

export const CoverageParams = Type.Object({ patientId: Uuid, coverageId: Uuid }, { additionalProperties: false });
export const priorities = ['primary', 'secondary', 'tertiary'] as const;
export const planTypes = ['hmo', 'ppo', 'epo', 'pos', 'hdhp', 'medicare', 'medicaid', 'other'] as const;
export const relationships = ['self', 'parent', 'guardian', 'spouse', 'other'] as const;
export const verificationStates = ['submitted', 'verified', 'needs_information'] as const;

const CalendarDate = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description} (YYYY-MM-DD)`, examples: ['2026-01-01'] });

const Copay = Type.Object(
  {
    amountMinor: Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'In the currency’s minor unit: 2500 is $25.00' }),
    currencyCode: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. USD', examples: ['USD'] }),
  },
  { additionalProperties: false },
);

const Subscriber = Type.Object(
  {
    relationship: StringEnum(relationships, { description: 'self when the patient holds the policy' }),
    name: Type.Optional(Text(200, 'Required unless the relationship is self')),
    dateOfBirth: Type.Optional(Type.Union([Type.Literal(''), CalendarDate('Required unless the relationship is self')])),
  },
  { additionalProperties: false },
);

/** What the patient enters; sent as the `details` part (JSON) of the multipart form. */
export const CoverageInput = Type.Object(
  {
    payerName: Type.String({ minLength: 1, maxLength: 200, description: 'The insurance company' }),
    planName: Type.Optional(Text(200)),
    planType: StringEnum(planTypes),
    memberId: Type.String({ minLength: 1, maxLength: 64 }),
    groupNumber: Type.Optional(Text(64)),
    subscriber: Subscriber,
    priority: StringEnum(priorities),
    effectiveDate: CalendarDate('The first day of cover'),
    endDate: Type.Optional(Type.Union([Type.Literal(''), CalendarDate('The last day of cover; empty: until further notice')])),
    copay: Type.Optional(Copay),
  },
  { $id: 'CoverageInput', additionalProperties: false },
);
export type CoverageInputBody = Static<typeof CoverageInput>;

const CardPhoto = Type.Object({
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  uploadedAt: Type.String({ format: 'date-time' }),
});

export const Coverage = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    payerName: Type.String(),
    planName: Type.String(),
    planType: StringEnum(planTypes),
    memberId: Type.String(),
    groupNumber: Type.String(),
    subscriber: Type.Object({ relationship: StringEnum(relationships), name: Type.String(), dateOfBirth: Type.String() }),
    priority: StringEnum(priorities),
    effectiveDate: Type.String(),
    endDate: Type.String({ description: 'Empty: until further notice' }),
    copay: Type.Optional(Copay),
    status: StringEnum(['active', 'inactive']),
    verification: StringEnum(verificationStates, { description: 'submitted until the clinic verifies it or asks for more information' }),
    informationRequest: Type.String({ description: 'What the clinic asked for, while verification is needs_information' }),
    ended: Type.Boolean({ description: 'The end date has passed' }),
    frontPhoto: Type.Optional(CardPhoto),
    backPhoto: Type.Optional(CardPhoto),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Coverage' },
);

export const CoverageChange = Type.Object(
  {
    at: Type.String({ format: 'date-time' }),
    actorId: Type.String(),
    actorName: Type.String(),
    actorRole: Type.String(),
    action: StringEnum(['added', 'updated', 'deactivated', 'verified', 'information_requested']),
    changedFields: Type.Array(Type.String()),
    message: Type.String(),
  },
  { $id: 'CoverageChange' },
);

export const InformationRequest = Type.Object(
  { message: Type.String({ minLength: 1, maxLength: 1000, description: 'What the clinic needs; shown to the patient' }) },
  { $id: 'InformationRequest', additionalProperties: false },
);
