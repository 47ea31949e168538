// Consents through the gateway, with real Keycloak tokens and the real documents and contacts
// services: staff assign a consent and a release of information naming one of the patient's
// contacts; the badge counts them; the patient accepts the disclosure, signs (typed name alone,
// and with a drawing), and the badge drops; the signed PDF downloads as an attachment and staff
// verify it by its bytes and its SHA-256, a one-byte change refused; bad input and callers
// outside the patient's circle are refused and nothing is stored.
import { createHash, randomUUID } from 'node:crypto';
import { createUser, deleteUser, passwordGrant, samplePng, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let platform: RunningPlatform;
let staff: TestUser;
let otherStaff: TestUser;
let patient: TestUser;
let guardian: TestUser;
const tokens = { staff: '', otherStaff: '', patient: '', guardian: '' };
type Who = keyof typeof tokens;

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'contacts', 'documents'] });
  [staff, otherStaff, patient] = await Promise.all([
    createUser({ roles: ['staff'], clinicId }),
    createUser({ roles: ['staff'], clinicId: `clinic-${randomUUID().slice(0, 8)}` }),
    createUser({ roles: ['patient'], clinicId }),
  ]);
  guardian = await createUser({ roles: ['guardian'], patients: [patient.id], clinicId });
  for (const [who, user] of Object.entries({ staff, otherStaff, patient, guardian })) tokens[who as Who] = await passwordGrant(user);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([staff, otherStaff, patient, guardian].filter(Boolean).map((u) => deleteUser(u!)));
});

function call(who: Who, path: string, body?: unknown, contentType = 'application/json') {
  const raw = body instanceof Uint8Array;
  return fetch(`${platform.gatewayUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      'user-agent': 'ConsentsFlow/1.0',
      ...(body === undefined ? {} : { 'content-type': raw ? 'application/pdf' : contentType }),
    },
    ...(body === undefined ? {} : { body: raw ? body : JSON.stringify(body) }),
  });
}

const json = async <T>(response: Response, status = 200): Promise<T> => {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
};

type ConsentJson = { id: string; state: string; signedPdfSha256: string; release: { state: string; contactId: string } | null };
const consentsPath = () => `/api/v1/patients/${patient.id}/consents`;
const badge = async (who: Who = 'patient') => (await json<{ outstandingCount: number }>(await call(who, consentsPath()))).outstandingCount;
const assign = async (body: object, status = 201) =>
  call('staff', `/api/v1/staff/patients/${patient.id}/consents`, body).then((r) => json<{ consent: ConsentJson }>(r, status));
const stored = () => platform.db('documents').collection('consents').find({ patientId: patient.id }).toArray();

describe('consents through the gateway', () => {
  it('staff assign, the badge counts, the patient signs and the badge drops; staff verify the PDF', async () => {
    const templates = await json<{ templates: { id: string; kind: string }[] }>(await call('staff', '/api/v1/staff/consent-templates'));
    expect(templates.templates.map((t) => t.kind)).toEqual(['treatment', 'release_of_information', 'telehealth', 'financial_policy']);
    expect((await call('patient', '/api/v1/staff/consent-templates')).status).toBe(403);

    const { consent } = await assign({ templateId: 'consent-to-treatment' });
    expect(await badge()).toBe(1);
    expect(await badge('guardian')).toBe(1);

    const opened = await json<{ text: string; disclosure: { version: string; sections: unknown[] }; disclosureAccepted: boolean }>(
      await call('patient', `${consentsPath()}/${consent.id}`),
    );
    expect(opened.disclosure.sections).toHaveLength(5);
    expect(opened.disclosureAccepted).toBe(false);
    const early = await call('patient', `${consentsPath()}/${consent.id}/signature`, { typedName: 'Pat Patient' });
    expect(early.status).toBe(412);

    await json(await call('patient', '/api/v1/electronic-records-disclosure/acceptance', { version: opened.disclosure.version }));
    const blank = await json<{ errors: { field: string }[] }>(
      await call('patient', `${consentsPath()}/${consent.id}/signature`, { typedName: ' ' }),
      400,
    );
    expect(blank.errors.map((e) => e.field)).toEqual(['typed_name']);
    const emptyDrawing = await call('patient', `${consentsPath()}/${consent.id}/signature`, {
      typedName: 'Pat Patient',
      drawing: { strokes: [], imagePng: samplePng().toString('base64') },
    });
    expect(emptyDrawing.status).toBe(400);
    expect((await stored())[0]).toMatchObject({ signature: null, signedPdf: null });

    const drawn = {
      typedName: 'Pat Patient',
      drawing: {
        strokes: [
          {
            points: [
              { x: 1, y: 2, time: 3 },
              { x: 4, y: 5, time: 9, pressure: 0.5 },
            ],
          },
        ],
        imagePng: `data:image/png;base64,${samplePng().toString('base64')}`,
      },
    };
    const signed = await json<{ consent: ConsentJson }>(await call('patient', `${consentsPath()}/${consent.id}/signature`, drawn));
    expect(signed.consent.state).toBe('signed');
    expect(await badge()).toBe(0);
    expect((await call('guardian', `${consentsPath()}/${consent.id}/signature`, drawn)).status).toBe(412);
    expect((await stored())[0]?.signature.evidence).toMatchObject({
      userAgent: 'ConsentsFlow/1.0',
      signatureMethod: 'typed-name-and-drawing',
    });

    const pdf = await call('staff', `${consentsPath()}/${consent.id}/signed.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(pdf.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(sha256).toBe(signed.consent.signedPdfSha256);

    expect(
      await json<{ genuine: boolean; consentId: string }>(await call('staff', '/api/v1/staff/consents/verification/pdf', bytes)),
    ).toMatchObject({
      genuine: true,
      consentId: consent.id,
      sha256,
    });
    const changed = bytes.slice();
    changed[100] ^= 0x20;
    expect((await json<{ genuine: boolean }>(await call('staff', '/api/v1/staff/consents/verification/pdf', changed))).genuine).toBe(false);
    expect((await json<{ genuine: boolean }>(await call('staff', '/api/v1/staff/consents/verification', { sha256 }))).genuine).toBe(true);
    expect((await json<{ genuine: boolean }>(await call('otherStaff', '/api/v1/staff/consents/verification', { sha256 }))).genuine).toBe(
      false,
    );
    expect((await call('staff', '/api/v1/staff/consents/verification', { sha256: 'nope' })).status).toBe(400);
    expect((await call('patient', '/api/v1/staff/consents/verification/pdf', bytes)).status).toBe(403);
  });

  it('a release of information names the patient’s contact, is signed by the guardian and revoked by the patient', async () => {
    const contact = await json<{ contact: { id: string } }>(
      await call('patient', `/api/v1/patients/${patient.id}/contacts`, { name: 'Dr Referral', purposes: ['other'] }),
      201,
    );
    const expiresOn = `${new Date().getUTCFullYear() + 1}-01-31`;
    const missing = await json<{ errors: { field: string }[] }>(
      await call('staff', `/api/v1/staff/patients/${patient.id}/consents`, { templateId: 'release-of-information' }),
      400,
    );
    expect(missing.errors.map((e) => e.field)).toEqual(['release']);
    const { consent } = await assign({
      templateId: 'release-of-information',
      release: { contactId: contact.contact.id, scope: 'Attendance', expiresOn },
    });
    expect(consent.release).toMatchObject({ contactId: contact.contact.id, state: 'pending' });
    expect((await call('otherStaff', `/api/v1/staff/patients/${patient.id}/consents`, { templateId: 'telehealth' })).status).toBe(404);

    const { disclosure } = await json<{ disclosure: { version: string } }>(await call('guardian', `${consentsPath()}/${consent.id}`));
    await json(await call('guardian', '/api/v1/electronic-records-disclosure/acceptance', { version: disclosure.version }));
    const signed = await json<{ consent: ConsentJson }>(
      await call('guardian', `${consentsPath()}/${consent.id}/signature`, { typedName: 'Gale Guardian' }),
    );
    expect(signed.consent.release?.state).toBe('active');
    expect((await call('staff', `${consentsPath()}/${consent.id}/revocation`, {})).status).toBe(403);
    const revoked = await json<{ consent: ConsentJson }>(await call('patient', `${consentsPath()}/${consent.id}/revocation`, {}));
    expect(revoked.consent.release?.state).toBe('revoked');
    const listed = await json<{ consents: ConsentJson[] }>(await call('staff', consentsPath()));
    expect(listed.consents.find((c) => c.id === consent.id)?.release?.state).toBe('revoked');
  });
});
