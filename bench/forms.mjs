// Benchmark (a script, not a test): what forms cost against the real servers (FerretDB, Kafka,
// Keycloak tokens), with the documents service checking answers with survey-core.
//   check     the domain's check of a complete intake questionnaire in this process (survey-core
//             builds the model from the definition and validates every visible question)
//   drafts    SaveFormDraft by PATIENTS patients at once, DRAFTS saves each, one after another
//             (as the browser sends them: debounced, each naming the revision the last one returned)
//   submit    SubmitForm of each of those forms, all at once
// Prints calls per second, p50 and p99.  node bench/forms.mjs  (PATIENTS=8 DRAFTS=20)
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { FormsService } from '@portico/contracts/gen/portico/documents/v1/forms_pb';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { createUser, deleteUser, dropDatabases, passwordGrant, startTestService } from '@portico/testing';
import { checkAnswers } from '../services/documents/dist/domain/forms.js';

const patientCount = Number(process.env.PATIENTS ?? 8);
const drafts = Number(process.env.DRAFTS ?? 20);
const intake = readFileSync(new URL('../deploy/local/forms/intake.json', import.meta.url), 'utf8');
const complete = {
  reason: 'Trouble sleeping',
  previousCare: 'yes',
  previousCareDetails: 'Dr Ames',
  concerns: ['sleep'],
  consentToContact: true,
};

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
function report(name, latencies, seconds) {
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(10)} ${String(latencies.length).padStart(5)} calls  ${(latencies.length / seconds).toFixed(1).padStart(7)} /s  p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms`,
  );
}

// In process: the server-side check alone.
const checks = [];
const checkStart = performance.now();
for (let i = 0; i < 500; i++) {
  const t0 = performance.now();
  checkAnswers(intake, JSON.stringify(complete), true);
  checks.push(performance.now() - t0);
}
report('check', checks, (performance.now() - checkStart) / 1000);

const runId = `bench_${randomUUID().slice(0, 8)}`;
const auth = await startTestService('auth', `${runId}_auth`);
const documents = await startTestService('documents', `${runId}_documents`, { AUTH_GRPC_URL: `127.0.0.1:${auth.grpc.port}` });
const forms = connectService(FormsService, `127.0.0.1:${documents.grpc.port}`, { defaultTimeoutMs: 60_000 });
const clinicId = `clinic-${runId}`;
const users = [];
const person = async (roles) => {
  const user = await createUser({ roles, clinicId });
  users.push(user);
  const token = await passwordGrant(user);
  return { ...user, meta: () => ({ metadata: forwardedMetadata(token, { 'x-request-id': randomUUID() }) }) };
};

try {
  const staff = await person(['staff']);
  await forms.publishFormDefinition({ key: 'intake', surveyJson: intake }, staff.meta());
  const patients = [];
  for (let i = 0; i < patientCount; i++) {
    const patient = await person(['patient']);
    const { form } = await forms.assignForm({ patientId: patient.id, definitionKey: 'intake' }, staff.meta());
    patients.push({ patient, form });
  }

  const draftLatencies = [];
  const draftStart = performance.now();
  await Promise.all(
    patients.map(async (entry) => {
      let revision = entry.form.revision;
      for (let i = 0; i < drafts; i++) {
        const answersJson = JSON.stringify({ reason: `Trouble sleeping, draft ${i}` });
        const t0 = performance.now();
        const saved = await forms.saveFormDraft(
          { patientId: entry.patient.id, formId: entry.form.formId, answersJson, revision },
          entry.patient.meta(),
        );
        draftLatencies.push(performance.now() - t0);
        revision = saved.form.revision;
      }
      entry.revision = revision;
    }),
  );
  console.log(`${patientCount} patients saving drafts at once, ${drafts} saves each:`);
  report('drafts', draftLatencies, (performance.now() - draftStart) / 1000);

  const submitLatencies = [];
  const submitStart = performance.now();
  await Promise.all(
    patients.map(async ({ patient, form, revision }) => {
      const t0 = performance.now();
      await forms.submitForm(
        { patientId: patient.id, formId: form.formId, answersJson: JSON.stringify(complete), revision },
        patient.meta(),
      );
      submitLatencies.push(performance.now() - t0);
    }),
  );
  report('submit', submitLatencies, (performance.now() - submitStart) / 1000);
} finally {
  forms.close();
  await documents.lifecycle.shutdown('bench over');
  await auth.lifecycle.shutdown('bench over');
  // Once nothing writes to them.
  await dropDatabases(runId);
  await Promise.all(users.map((u) => deleteUser(u)));
}
