// JSON schemas of the contacts API: they validate requests at the edge and document the API
// (OpenAPI). The contacts service still applies every domain rule itself.
const text = (maxLength: number, description?: string) => ({ type: 'string', maxLength, ...(description ? { description } : {}) }) as const;

export const uuid = { type: 'string', format: 'uuid' } as const;

export const patientParams = {
  type: 'object',
  additionalProperties: false,
  required: ['patientId'],
  properties: { patientId: uuid },
} as const;

export const contactParams = {
  type: 'object',
  additionalProperties: false,
  required: ['patientId', 'contactId'],
  properties: { patientId: uuid, contactId: uuid },
} as const;

const address = {
  type: 'object',
  additionalProperties: false,
  properties: {
    line1: text(200),
    line2: text(200),
    city: text(100),
    region: text(100, 'State, province or county'),
    postalCode: text(20),
    countryCode: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' },
  },
} as const;

export const contactPurposes = ['emergency', 'release_of_information', 'other'] as const;

export const contactInput = {
  $id: 'ContactInput',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'purposes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    relationship: text(100, 'In the patient’s words: mother, lawyer, school counsellor…'),
    phone: text(40, 'International (+…) or national with phoneRegion; stored as E.164'),
    phoneRegion: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 region for a national phone number' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    address,
    purposes: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: contactPurposes } },
    notes: text(2000),
  },
} as const;

export const contact = {
  $id: 'Contact',
  type: 'object',
  required: ['id', 'patientId', 'name', 'purposes', 'status', 'version', 'createdAt', 'updatedAt'],
  properties: {
    id: uuid,
    patientId: uuid,
    name: { type: 'string' },
    relationship: { type: 'string' },
    phone: { type: 'string' },
    email: { type: 'string' },
    address,
    purposes: { type: 'array', items: { type: 'string', enum: contactPurposes } },
    notes: { type: 'string' },
    status: { type: 'string', enum: ['active', 'inactive'] },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const problem = {
  $id: 'Problem',
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
} as const;

export interface ContactInputBody {
  name: string;
  relationship?: string;
  phone?: string;
  phoneRegion?: string;
  email?: string;
  address?: { line1?: string; line2?: string; city?: string; region?: string; postalCode?: string; countryCode?: string };
  purposes: (typeof contactPurposes)[number][];
  notes?: string;
}
