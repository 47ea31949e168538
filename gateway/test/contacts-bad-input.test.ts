// Bad input gets a clear problem+json answer and changes nothing: no document, no event.
import { createUser, deleteUser, passwordGrant, recordTopics, startPlatform, type RunningPlatform, type TestUser } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: RunningPlatform;
let patient: TestUser;
let token: string;

beforeAll(async () => {
  platform = await startPlatform();
  patient = await createUser({ roles: ['patient'], clinicId: 'clinic-a' });
  token = await passwordGrant(patient);
});

afterAll(async () => {
  await platform?.stop();
  if (patient) await deleteUser(patient);
});

const post = (body: string | object, patientId = patient.id, contentType = 'application/json') =>
  fetch(`${platform.gatewayUrl}/api/v1/patients/${patientId}/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const valid = { name: 'Valid Person', phone: '+14155552671', purposes: ['emergency'] };

describe('bad input', () => {
  const cases: [string, string | object, number, string?][] = [
    ['missing name', { purposes: ['other'] }, 400, 'body.name'],
    ['missing purposes', { name: 'No Purpose' }, 400, 'body.purposes'],
    ['name of the wrong type', { ...valid, name: 42 }, 400, 'body.name'],
    ['purposes of the wrong type', { ...valid, purposes: 'emergency' }, 400, 'body.purposes'],
    ['an unknown purpose', { ...valid, purposes: ['lunch'] }, 400, 'body.purposes.0'],
    ['an unknown field', { ...valid, favouriteColour: 'blue' }, 400, 'body.favouriteColour'],
    ['an unknown address field', { ...valid, address: { planet: 'Mars' } }, 400, 'body.address.planet'],
    ['a bad email', { ...valid, email: 'not-an-email' }, 400, 'body.email'],
    ['a phone that is no number', { ...valid, phone: '12' }, 400, 'phone'],
    ['a national phone without a region', { ...valid, phone: '(415) 555-2671' }, 400, 'phone'],
    ['an emergency contact without a phone', { name: 'No Phone', purposes: ['emergency'] }, 400, 'phone'],
    ['a name of spaces only', { ...valid, name: '   ' }, 400, 'name'],
    ['broken JSON', '{"name": "Half', 400],
    ['a body of 1 MB', { ...valid, notes: 'x'.repeat(1024 * 1024) }, 413],
  ];

  for (const [what, body, status, field] of cases) {
    it(`answers ${status} to ${what}`, async () => {
      const response = await post(body);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = await response.json();
      expect(problem).toMatchObject({
        status,
        title: expect.any(String),
        type: expect.stringMatching(/^\/problems\//),
        requestId: expect.any(String),
      });
      if (field) expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
      // The answer names the problem without echoing what was sent.
      expect(JSON.stringify(problem)).not.toContain('not-an-email');
    });
  }

  it('answers 400 to a malformed patient id and 415 to a body that is not JSON', async () => {
    const malformed = await post(valid, 'not-a-uuid');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors[0].field).toBe('params.patientId');
    const text = await post('name=x', patient.id, 'text/plain');
    expect(text.status).toBe(415);
  });

  it('wrote nothing and published nothing for any of them', async () => {
    const topics = await recordTopics(['portico.contacts.v1']);
    try {
      // A valid add afterwards proves the reader sees this patient's events once they exist.
      expect((await post(valid)).status).toBe(201);
      await topics.waitFor((r) => r.some((x) => x.key === patient.id));
      const records = await topics.caughtUp();
      expect(records.filter((x) => x.key === patient.id)).toHaveLength(1);
      expect(await platform.db('contacts').collection('contacts').countDocuments({})).toBe(1);
    } finally {
      await topics.stop();
    }
  });
});
