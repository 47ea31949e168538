// Benchmark (a script, not a test): what signing a consent costs. First the signed PDF alone
// (rendered in this process: the text, a drawn signature, the certificate page), then whole
// signatures through the gateway against the real documents service (validation, the PDF, the
// object store, the versioned write with its events), one after another. Prints PDFs per second,
// the size of one, and the median and 95th percentile of a signature's round trip.
//   node bench/consent-signing.mjs        (RENDERS=200 SIGNATURES=40 to change it)
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ESIGN_DISCLOSURE, sha256Hex } from '@portico/kit/signatures';
import { createUser, deleteUser, passwordGrant, samplePng, startPlatform } from '@portico/testing';
import { renderSignedConsent } from '../services/documents/dist/consents/signed-pdf.js';
import { CONSENT_TEMPLATES } from '../services/documents/dist/domain/consent-templates.js';

const renders = Number(process.env.RENDERS ?? 200);
const signatures = Number(process.env.SIGNATURES ?? 40);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// ---- The PDF alone ----
const template = CONSENT_TEMPLATES[0];
const content = {
  clinicName: 'Bench Clinic',
  clinicTimeZone: 'America/New_York',
  title: template.title,
  templateId: template.templateId,
  templateVersion: template.version,
  text: template.text,
  typedName: 'Bench Signer',
  imagePng: samplePng(),
  evidence: {
    signerUserId: randomUUID(),
    signerTypedName: 'Bench Signer',
    actingFor: { patientId: randomUUID(), relationship: 'self' },
    login: { method: 'Portico sign-in with password' },
    signedAt: new Date().toISOString(),
    ipAddress: '203.0.113.7',
    userAgent: 'bench',
    disclosureVersion: ESIGN_DISCLOSURE.version,
    documentSha256: sha256Hex(template.text),
    signatureMethod: 'typed-name-and-drawing',
  },
};
await renderSignedConsent(content); // warm up
let size = 0;
const started = performance.now();
for (let i = 0; i < renders; i++) size = (await renderSignedConsent(content)).byteLength;
const renderMs = performance.now() - started;
console.log(
  `signed PDF: ${(renders / (renderMs / 1000)).toFixed(0)} PDFs/s rendered (${(renderMs / renders).toFixed(1)} ms each), ${(size / 1024).toFixed(1)} KiB each`,
);

// ---- Whole signatures through the gateway ----
const platform = await startPlatform({ services: ['auth', 'documents'] });
const clinicId = `clinic-bench-${randomUUID().slice(0, 8)}`;
const [staff, patient] = await Promise.all([createUser({ roles: ['staff'], clinicId }), createUser({ roles: ['patient'], clinicId })]);
try {
  const tokens = { staff: await passwordGrant(staff), patient: await passwordGrant(patient) };
  const call = async (who, path, body) => {
    const response = await fetch(`${platform.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json', 'user-agent': 'bench' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  await call('patient', '/api/v1/electronic-records-disclosure/acceptance', { version: ESIGN_DISCLOSURE.version });
  const ids = [];
  for (let i = 0; i < signatures + 2; i++)
    ids.push((await call('staff', `/api/v1/staff/patients/${patient.id}/consents`, { templateId: 'consent-to-treatment' })).consent.id);
  const drawing = {
    strokes: [
      {
        points: [
          { x: 1, y: 2, time: 0 },
          { x: 30, y: 12, time: 16 },
        ],
      },
    ],
    imagePng: samplePng().toString('base64'),
  };
  const sign = (id) => call('patient', `/api/v1/patients/${patient.id}/consents/${id}/signature`, { typedName: 'Bench Signer', drawing });
  for (const id of ids.splice(0, 2)) await sign(id); // warm up
  const times = [];
  for (const id of ids) {
    const at = performance.now();
    await sign(id);
    times.push(performance.now() - at);
  }
  times.sort((a, b) => a - b);
  console.log(
    `signature through the gateway (${signatures}, one at a time): median ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms`,
  );
} finally {
  await platform.stop();
  await Promise.all([staff, patient].map((u) => deleteUser(u)));
}
