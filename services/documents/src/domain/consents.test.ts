import { InvalidInput, NotAllowedNow } from '@portico/kit/domain';
import { sha256Hex } from '@portico/kit/signatures';
import { describe, expect, it } from 'vitest';
import { templateOf } from './consent-templates.js';
import { assignConsent, releaseStateOf, revokeRelease, signConsent, todayIn, type Consent, type ConsentSignature } from './consents.js';

const ids = { consentId: 'c1', patientId: 'p1', clinicId: 'k1', assignedBy: 's1' };
const clinic = { timeZone: 'America/New_York', today: '2026-12-07' };
const now = new Date('2026-12-07T15:00:00Z');
const release = { contactId: '0b8f0a38-4c43-4d4a-a1f2-3c44a0b6c0f1', scope: 'Attendance and progress', expiresOn: '2027-06-30' };
const signature = { typedName: 'Ada', method: 'typed-name', strokes: null, imagePng: null, evidence: {} } as unknown as ConsentSignature;
const pdf = { objectKey: 'k', sha256: 'a'.repeat(64), sizeBytes: 10 };

const violationsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInput) return error.violations.map((v) => v.field);
    throw error;
  }
  return [];
};

describe('assigning a consent', () => {
  it('keeps the exact text of the template version with its SHA-256', () => {
    const template = templateOf('consent-to-treatment')!;
    const consent = assignConsent(template, ids, undefined, clinic, now);
    expect(consent.text).toBe(template.text);
    expect(consent.textSha256).toBe(sha256Hex(template.text));
    expect(consent.templateVersion).toBe(1);
    expect(consent.release).toBeNull();
    expect(consent.signature).toBeNull();
  });

  it('needs a contact, a scope and a date not in the past for a release of information', () => {
    const roi = templateOf('release-of-information')!;
    expect(violationsOf(() => assignConsent(roi, ids, undefined, clinic, now))).toEqual(['release']);
    expect(violationsOf(() => assignConsent(roi, ids, { contactId: '', scope: ' ', expiresOn: '2026-12-06' }, clinic, now))).toEqual([
      'release.contact_id',
      'release.scope',
      'release.expires_on',
    ]);
    expect(violationsOf(() => assignConsent(roi, ids, { ...release, expiresOn: '30/06/2027' }, clinic, now))).toEqual([
      'release.expires_on',
    ]);
    const consent = assignConsent(roi, ids, release, clinic, now);
    expect(consent.release).toMatchObject({ ...release, timeZone: 'America/New_York', revokedAt: null });
  });

  it('refuses a release on a consent of another kind', () => {
    expect(violationsOf(() => assignConsent(templateOf('telehealth')!, ids, release, clinic, now))).toEqual(['release']);
  });
});

describe('signing and revoking', () => {
  const roi = () => assignConsent(templateOf('release-of-information')!, ids, release, clinic, now);

  it('signs once; a second signature is refused', () => {
    const signed = signConsent(roi(), signature, pdf, now);
    expect(signed.signedAt).toEqual(now);
    expect(signed.version).toBe(2);
    expect(() => signConsent(signed, signature, pdf, now)).toThrow(NotAllowedNow);
  });

  it('revokes a signed release once, and nothing else', () => {
    expect(() => revokeRelease(roi(), 'p1', now)).toThrow(/not signed yet/);
    const revoked = revokeRelease(signConsent(roi(), signature, pdf, now), 'p1', now);
    expect(revoked.release?.revokedAt).toEqual(now);
    expect(() => revokeRelease(revoked, 'p1', now)).toThrow(/revoked already/);
    const treatment = signConsent(assignConsent(templateOf('consent-to-treatment')!, ids, undefined, clinic, now), signature, pdf, now);
    expect(() => revokeRelease(treatment, 'p1', now)).toThrow(/only a release/);
  });

  it('says where a release stands: pending, active through its expiry day, then expired; revoked wins', () => {
    const r = (roi() as Consent).release!;
    expect(releaseStateOf(r, false, '2027-01-01')).toBe('pending');
    expect(releaseStateOf(r, true, '2027-06-30')).toBe('active');
    expect(releaseStateOf(r, true, '2027-07-01')).toBe('expired');
    expect(releaseStateOf({ ...r, revokedAt: now }, true, '2027-07-01')).toBe('revoked');
  });

  it('reads today in the clinic’s zone', () => {
    expect(todayIn('America/Los_Angeles', new Date('2026-12-08T03:00:00Z'))).toBe('2026-12-07');
    expect(todayIn('Not/AZone', new Date('2026-12-08T03:00:00Z'))).toBe('2026-12-08');
  });
});
