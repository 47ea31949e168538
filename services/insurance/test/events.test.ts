// What other services and the audit trail learn from the insurance service, read back from Kafka:
// one fact per change on portico.insurance.v1 keyed by the patient, with ids and the priority only
// (never the payer, member id, subscriber or staff's message), and an audit record of every read.
import { fromBinary } from '@bufbuild/protobuf';
import { ActorRole } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import { PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import {
  InsuranceAddedSchema,
  InsuranceDeactivatedSchema,
  InsuranceNeedsInformationSchema,
  InsuranceUpdatedSchema,
  InsuranceVerifiedSchema,
} from '@portico/contracts/gen/portico/events/insurance/v1/insurance_events_pb';
import { CardSide, CoveragePriority } from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { recordTopics, waitUntil, type TopicRecord } from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, coverage, pngImage, startWorld, type Clinic, type World } from './harness.js';

let world: World;
let clinic: Clinic;
let topics: Awaited<ReturnType<typeof recordTopics>>;

beforeAll(async () => {
  topics = await recordTopics(['portico.insurance.v1', 'portico.audit.v1'], { fromNow: true });
  world = await startWorld();
  clinic = await world.clinic();
});

afterAll(async () => {
  await topics?.stop();
  await world?.stop();
});

const SCHEMAS = [
  InsuranceAddedSchema,
  InsuranceUpdatedSchema,
  InsuranceDeactivatedSchema,
  InsuranceVerifiedSchema,
  InsuranceNeedsInformationSchema,
];

function decode(record: TopicRecord) {
  const schema = SCHEMAS.find((s) => s.typeName === record.headers.ce_type);
  if (!schema) throw new Error(`unexpected event type ${record.headers.ce_type}`);
  return fromBinary(schema as typeof InsuranceUpdatedSchema, record.value);
}

describe('the facts of a coverage’s life', () => {
  it('publishes added, needs information, updated, verified and deactivated, keyed by the patient, with ids only', async () => {
    const patient = await world.person(['patient'], clinic);
    const mine = await as(patient);
    const staff = await as(clinic.staff);
    const { coverage: added } = await world.insurance.addCoverage(
      { patientId: patient.id, details: coverage({ memberId: 'SECRET-MEMBER-42' }), frontPhoto: { content: pngImage() } },
      mine,
    );
    const coverageId = added!.coverageId;
    await world.insurance.requestCoverageInformation(
      { patientId: patient.id, coverageId, message: 'Card expired? Send the new one.' },
      staff,
    );
    await world.insurance.updateCoverage({ patientId: patient.id, coverageId, details: coverage({ memberId: 'SECRET-MEMBER-43' }) }, mine);
    await world.insurance.verifyCoverage({ patientId: patient.id, coverageId }, staff);
    await world.insurance.deactivateCoverage({ patientId: patient.id, coverageId }, mine);
    await world.insurance.getCardPhoto({ patientId: patient.id, coverageId, side: CardSide.FRONT }, staff);

    const facts = await waitUntil(
      () => {
        const found = topics.records.filter((r) => r.topic === 'portico.insurance.v1' && r.key === patient.id);
        return found.length >= 5 ? found : undefined;
      },
      30_000,
      'five insurance facts',
    );
    expect(facts.map((r) => r.headers.ce_type)).toEqual([
      InsuranceAddedSchema.typeName,
      InsuranceNeedsInformationSchema.typeName,
      InsuranceUpdatedSchema.typeName,
      InsuranceVerifiedSchema.typeName,
      InsuranceDeactivatedSchema.typeName,
    ]);
    const events = facts.map(decode);
    expect(events.every((e) => e.coverageId === coverageId && e.patientId === patient.id && e.clinicId === clinic.id)).toBe(true);
    expect(events.map((e) => e.actor?.role)).toEqual([
      ActorRole.PATIENT,
      ActorRole.STAFF,
      ActorRole.PATIENT,
      ActorRole.STAFF,
      ActorRole.PATIENT,
    ]);
    expect((events[0] as unknown as { priority: CoveragePriority }).priority).toBe(CoveragePriority.PRIMARY);
    expect(events[2]!.changedFields).toEqual(['memberId']);
    for (const record of facts) {
      const bytes = Buffer.from(record.value).toString('latin1');
      for (const secret of ['SECRET-MEMBER', 'Blue Cross', 'Card expired']) expect(bytes).not.toContain(secret);
    }

    const photoRead = await waitUntil(
      () =>
        topics.records
          .filter((r) => r.topic === 'portico.audit.v1' && r.key === patient.id)
          .map((r) => fromBinary(PatientRecordAccessedSchema, r.value))
          .find((a) => a.action === 'insurance.photo'),
      30_000,
      'the audit of the photo read',
    );
    expect(photoRead.actor?.subject).toBe(clinic.staff.id);
  });
});
