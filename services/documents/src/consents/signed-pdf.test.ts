import { ESIGN_DISCLOSURE, sha256Hex, type SignatureEvidence } from '@portico/kit/signatures';
import { PDFDocument } from 'pdf-lib';
import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderSignedConsent } from './signed-pdf.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const text = 'I consent to treatment.\n\nThis consent lasts until I withdraw it.';
const evidence: SignatureEvidence = {
  signerUserId: 'user-1',
  signerTypedName: 'Zoë Ångström 山田',
  actingFor: { patientId: 'patient-1', relationship: 'self' },
  login: { method: 'Portico sign-in with password' },
  signedAt: '2026-12-07T15:04:05.000Z',
  ipAddress: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
  disclosureVersion: ESIGN_DISCLOSURE.version,
  documentSha256: sha256Hex(text),
  signatureMethod: 'typed-name-and-drawing',
};
const content = {
  clinicName: 'Riverside Clinic',
  clinicTimeZone: 'America/Chicago',
  title: 'Consent to treatment',
  templateId: 'consent-to-treatment',
  templateVersion: 1,
  text,
  typedName: evidence.signerTypedName,
  imagePng: PNG,
  evidence,
};

describe('the signed consent PDF', () => {
  it('holds the text as signed, the signature and the certificate fields', async () => {
    const pdf = await renderSignedConsent(content);
    const { text: read, totalPages } = await extractText(pdf.slice(), { mergePages: true });
    expect(totalPages).toBe(2);
    const flat = read.replace(/\s+/g, ' ');
    expect(flat).toContain('I consent to treatment.');
    expect(flat).toContain('This consent lasts until I withdraw it.');
    // Letters Helvetica cannot draw are replaced, never an error.
    expect(flat).toContain('Zoë Ångström ??');
    expect(flat).toContain('2026-12-07 15:04:05 UTC');
    expect(flat).toContain('2026-12-07 09:04:05 CST (America/Chicago)');
    expect(flat).toContain('203.0.113.7');
    expect(flat).toContain('Mozilla/5.0 (X11; Linux x86_64)');
    expect(flat).toContain(ESIGN_DISCLOSURE.version);
    expect(flat.replace(/ /g, '')).toContain(evidence.documentSha256);
    expect(flat).toContain('Themself (the patient)');
    expect(flat).toContain('Portico sign-in with password');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getTitle()).toBe('Consent to treatment (signed)');
  });

  it('says when the typed name alone was the signature', async () => {
    const pdf = await renderSignedConsent({ ...content, imagePng: null, evidence: { ...evidence, signatureMethod: 'typed-name' } });
    const { text: read } = await extractText(pdf.slice(), { mergePages: true });
    expect(read).toContain('Signed with the typed full name alone');
    expect(read).toContain('Typed full name');
  });
});
