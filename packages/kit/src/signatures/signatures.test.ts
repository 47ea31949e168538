import { describe, expect, it } from 'vitest';
import {
  certificateFields,
  disclosureText,
  ESIGN_DISCLOSURE,
  isSha256Hex,
  loginFromClaims,
  sha256Hex,
  signatureEvidenceSchema,
  validateSignatureSubmission,
  type SignatureEvidence,
} from './index.js';

// A 1×1 transparent PNG, as a canvas would export one.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const stroke = {
  points: [
    { x: 1, y: 2, time: 1000, pressure: 0.5 },
    { x: 3, y: 4, time: 1010 },
  ],
  penColor: 'black',
};

describe('the electronic-records disclosure', () => {
  it('covers each §7001(c) item and carries a version', () => {
    const text = disclosureText().toLowerCase();
    expect(ESIGN_DISCLOSURE.version).toMatch(/\S/);
    expect(text).toContain('on paper'); // right to paper
    expect(text).toContain('withdraw'); // how to withdraw
    expect(text).toContain('covers'); // what it covers
    expect(text).toContain('copy'); // how to get a copy
    expect(text).toContain('browser'); // hardware and software needed
    expect(text).toContain('pdf');
  });
});

describe('a signature submission', () => {
  it('accepts the typed name alone and records it as the accessible alternative', async () => {
    const result = await validateSignatureSubmission({ typedName: '  Ada \t Lovelace ' });
    expect(result).toEqual({ ok: true, signature: { typedName: 'Ada Lovelace', method: 'typed-name' } });
  });

  it('accepts a typed name with a drawing, keeping the strokes and the PNG bytes', async () => {
    const result = await validateSignatureSubmission({
      typedName: 'Ada Lovelace',
      drawing: { strokes: [stroke], imagePng: `data:image/png;base64,${PNG_BASE64}` },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.signature.method).toBe('typed-name-and-drawing');
    expect(result.signature.drawing?.strokes).toEqual([stroke]);
    expect(Buffer.from(result.signature.drawing!.imagePng).toString('base64')).toBe(PNG_BASE64);
  });

  it('refuses a blank typed name, even made of spaces and invisible characters', async () => {
    for (const typedName of ['', '   ', '\u200b\u200e \n']) {
      const result = await validateSignatureSubmission({ typedName });
      expect(result).toEqual({ ok: false, violations: [{ field: 'typedName', message: 'Type your full name to sign' }] });
    }
  });

  it('refuses a name longer than a name', async () => {
    const result = await validateSignatureSubmission({ typedName: 'A'.repeat(201) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations[0]!.field).toBe('typedName');
  });

  it('refuses an empty drawing: no strokes, or strokes without points', async () => {
    for (const strokes of [[], [{ points: [] }]]) {
      const result = await validateSignatureSubmission({ typedName: 'Ada', drawing: { strokes, imagePng: PNG_BASE64 } });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.violations.map((v) => v.field)).toEqual(['drawing.strokes']);
    }
  });

  it('refuses an image that is not a PNG, or no image', async () => {
    const jpegHead = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]).toString('base64');
    for (const imagePng of ['', 'not base64!', jpegHead, `data:image/png;base64,${Buffer.from('hello').toString('base64')}`]) {
      const result = await validateSignatureSubmission({ typedName: 'Ada', drawing: { strokes: [stroke], imagePng } });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.violations.map((v) => v.field)).toEqual(['drawing.imagePng']);
    }
  });

  it('lists every problem at once', async () => {
    const result = await validateSignatureSubmission({ typedName: ' ', drawing: { strokes: [], imagePng: '' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations.map((v) => v.field)).toEqual(['typedName', 'drawing.strokes', 'drawing.imagePng']);
  });

  it('refuses shapes a signing page never sends, and drawings beyond the bounds', async () => {
    expect((await validateSignatureSubmission({ typedName: 42 })).ok).toBe(false);
    expect(
      (
        await validateSignatureSubmission({
          typedName: 'Ada',
          drawing: { strokes: [{ points: [{ x: 'a', y: 1, time: 1 }] }], imagePng: PNG_BASE64 },
        })
      ).ok,
    ).toBe(false);
    const many = Array.from({ length: 101 }, () => stroke);
    const result = await validateSignatureSubmission({ typedName: 'Ada', drawing: { strokes: many, imagePng: PNG_BASE64 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations[0]).toEqual({ field: 'drawing.strokes', message: 'is too large for a signature' });
  });
});

describe('signature evidence', () => {
  const evidence: SignatureEvidence = {
    signerUserId: 'user-1',
    signerTypedName: 'Grace Hopper',
    actingFor: { patientId: 'patient-7', relationship: 'guardian' },
    login: loginFromClaims({ acr: '1', amr: ['pwd', 'otp'], auth_time: 1_796_000_000 }),
    signedAt: '2026-12-07T15:04:05.000Z',
    ipAddress: '203.0.113.9',
    userAgent: 'Mozilla/5.0',
    disclosureVersion: ESIGN_DISCLOSURE.version,
    documentSha256: sha256Hex('Consent to treatment, version 1'),
    signatureMethod: 'typed-name-and-drawing',
  };

  it('hashes the exact text: one character changes the digest', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(sha256Hex('abc'));
    expect(sha256Hex('abd')).not.toBe(sha256Hex('abc'));
    expect(isSha256Hex(sha256Hex('x').toUpperCase())).toBe(true);
    expect(isSha256Hex('abc')).toBe(false);
  });

  it('says how the signer logged in, in words', () => {
    expect(evidence.login).toEqual({
      method: 'Portico sign-in with password and one-time code (assurance level 1)',
      authenticatedAt: '2026-11-30T00:53:20.000Z',
    });
    expect(loginFromClaims({})).toEqual({ method: 'Portico sign-in' });
  });

  it('validates as a record and refuses one without a document digest', () => {
    expect(signatureEvidenceSchema.parse(evidence)).toEqual(evidence);
    expect(signatureEvidenceSchema.safeParse({ ...evidence, documentSha256: 'abc' }).success).toBe(false);
    expect(signatureEvidenceSchema.safeParse({ ...evidence, actingFor: { patientId: 'p', relationship: 'friend' } }).success).toBe(false);
  });

  it('prints the certificate with the time in UTC and in the clinic zone', () => {
    const fields = Object.fromEntries(certificateFields(evidence, 'America/New_York').map((f) => [f.label, f.value]));
    expect(fields['Signed at (UTC)']).toBe('2026-12-07 15:04:05 UTC');
    expect(fields['Signed at (clinic time)']).toBe('2026-12-07 10:04:05 EST (America/New_York)');
    expect(fields['Acting for']).toBe('Patient patient-7, as their guardian');
    expect(fields['IP address']).toBe('203.0.113.9');
    expect(fields['User agent']).toBe('Mozilla/5.0');
    expect(fields['Electronic records disclosure']).toBe(`version ${ESIGN_DISCLOSURE.version}, accepted`);
    expect(fields['Document SHA-256']).toBe(evidence.documentSha256);
    expect(fields['Signed by']).toBe('Typed full name and drawn signature');
  });
});
