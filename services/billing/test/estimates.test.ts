// Good Faith Estimates at the billing service, against the real servers: staff issue one as
// structured data and reissue it (a new version); bad input is refused listing every wrong field
// with nothing stored; another clinic's staff and another patient learn nothing; the guardian
// approves the current version with an electronic signature whose evidence is kept (typed name,
// intent, disclosure version, IP, user agent, SHA-256 of the version) and audited, and a second
// decision is refused; when billed charges for one provider go $400 or more over their estimate,
// the patient sees the notice with its dispute deadline and EstimateExceeded is published once.
import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import {
  EstimateDecisionKind,
  EstimateStatus,
  EstimatesService,
  type IssueEstimateRequest,
} from '@portico/contracts/gen/portico/billing/v1/estimates_pb';
import {
  EstimateApprovedSchema,
  EstimateDeclinedSchema,
  EstimateExceededSchema,
  EstimateIssuedSchema,
} from '@portico/contracts/gen/portico/events/billing/v1/estimate_events_pb';
import { AccessOutcome, PatientRecordAccessedSchema } from '@portico/contracts/gen/portico/events/audit/v1/audit_events_pb';
import { connectService, type ServiceClient } from '@portico/kit/grpc';
import { sha256Hex } from '@portico/kit/signatures';
import { recordTopics } from '@portico/testing';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentOf } from '../src/domain/estimate.js';
import { as, expectLedgerHolds, failure, newKey, startWorld, usd, violationsOf, type Clinic, type Person, type World } from './harness.js';

let world: World;
let estimates: ServiceClient<(typeof EstimatesService)['method']>;
let clinic: Clinic;
let elsewhere: Clinic;
let patient: Person;
let guardian: Person;
let stranger: Person;
let topics: Awaited<ReturnType<typeof recordTopics>>;

const DR_RIVERA = '1992753883';
const LAB = '1234567893';
/** A valid NPI that no estimate of these tests names. */
const ELSEWHERE = '1456789019';
const location = { line1: '12 Harbour Street', line2: '', city: 'Portland', region: 'ME', postalCode: '04101', countryCode: 'US' };

const request = (patientId: string, overrides: Partial<IssueEstimateRequest> = {}) =>
  ({
    patientId,
    idempotencyKey: newKey(),
    estimateId: '',
    patientName: 'Riley Morgan',
    patientDateOfBirth: '2009-04-17',
    primaryService: 'Outpatient psychotherapy, 12 weekly sessions',
    primaryServiceDate: '2027-01-05',
    providers: [
      { name: 'Alex Rivera, LCSW', npi: DR_RIVERA, taxId: '12-3456789', location },
      { name: 'Harbour Lab', npi: LAB, taxId: '98-7654321', location },
    ],
    items: [
      {
        providerNpi: DR_RIVERA,
        serviceCode: '90834',
        modifiers: ['95'],
        description: 'Psychotherapy, 45 minutes',
        diagnosisCodes: ['F41.1'],
        units: 12,
        unitCharge: usd(15_000),
      },
      {
        providerNpi: LAB,
        serviceCode: '80305',
        modifiers: [],
        description: 'Drug screen',
        diagnosisCodes: ['F41.1'],
        units: 1,
        unitCharge: usd(5_000),
      },
    ],
    ...overrides,
  }) as IssueEstimateRequest;

const approval = (estimateId: string, version: number) => ({
  patientId: patient.id,
  estimateId,
  version,
  decision: EstimateDecisionKind.APPROVE,
  signature: { typedName: 'Jordan Morgan', intentStatement: 'I approve this estimate', disclosureVersion: '', disclosureAccepted: true },
  userAgent: 'Mozilla/5.0 (test)',
});

beforeAll(async () => {
  topics = await recordTopics(['portico.billing.v1', 'portico.audit.v1'], { fromNow: true });
  world = await startWorld();
  estimates = connectService(EstimatesService, `127.0.0.1:${world.service.grpc.port}`, { defaultTimeoutMs: 30_000 });
  clinic = await world.clinic('Harbour Clinic');
  elsewhere = await world.clinic('Elsewhere Clinic');
  patient = await world.person(['patient'], clinic);
  guardian = await world.person(['guardian'], clinic, [patient.id]);
  stranger = await world.person(['patient'], clinic);
});

afterAll(async () => {
  await topics?.stop();
  estimates?.close();
  if (world) {
    await expectLedgerHolds(world, clinic.staff, patient.id);
    await world.stop();
  }
});

const ofPatient = (topic: string) => topics.records.filter((r) => r.topic === topic && r.key === patient.id);

describe('issuing a Good Faith Estimate', () => {
  it('keeps the structured estimate with the disclaimers, and the patient reads it, its PDF and the event', async () => {
    const { estimate } = await estimates.issueEstimate(request(patient.id), await as(clinic.staff));
    expect(estimate).toMatchObject({
      version: 1,
      status: EstimateStatus.AWAITING_DECISION,
      clinicName: 'Harbour Clinic',
      total: usd(185_000),
      providerTotals: [
        { providerNpi: DR_RIVERA, estimated: usd(180_000), billed: usd(0) },
        { providerNpi: LAB, estimated: usd(5_000), billed: usd(0) },
      ],
      exceeded: [],
    });
    expect(estimate!.disclaimers).toHaveLength(3);
    expect(estimate!.disputeInstructions).toContain('120 calendar days');
    expect(estimate!.contentSha256).toMatch(/^[0-9a-f]{64}$/);

    const listed = await estimates.listEstimates({ patientId: patient.id }, await as(guardian));
    expect(listed.estimates.map((e) => e.estimateId)).toContain(estimate!.estimateId);
    const { document } = await estimates.getEstimatePdf({ patientId: patient.id, estimateId: estimate!.estimateId }, await as(patient));
    const { text } = await extractText(new Uint8Array(document!.content), { mergePages: true });
    for (const expected of [
      'Good Faith Estimate',
      'Riley Morgan',
      '2009-04-17',
      DR_RIVERA,
      '12-3456789',
      '90834',
      'F41.1',
      '$1,850.00',
      '$1,800.00',
      'not a contract',
    ])
      expect(text).toContain(expected);

    const records = await topics.waitFor(() =>
      ofPatient('portico.billing.v1').some((r) => r.headers.ce_type === EstimateIssuedSchema.typeName),
    );
    const issued = records.find((r) => r.key === patient.id && r.headers.ce_type === EstimateIssuedSchema.typeName)!;
    expect(fromBinary(EstimateIssuedSchema, issued.value)).toMatchObject({
      estimateId: estimate!.estimateId,
      version: 1,
      total: usd(185_000),
    });
    for (const secret of ['Riley Morgan', 'Psychotherapy', '90834', 'F41.1']) expect(issued.value.toString('latin1')).not.toContain(secret);
  });

  it('refuses bad input listing what is wrong, and stores nothing', async () => {
    const before = await world.db.collection('estimates').countDocuments({ patientId: patient.id });
    const bad = request(patient.id, {
      providers: [{ name: 'Alex Rivera', npi: '', taxId: '12-3456789', location }],
      items: [
        {
          providerNpi: DR_RIVERA,
          serviceCode: 'ABC',
          modifiers: [],
          description: 'x',
          diagnosisCodes: ['nope'],
          units: 1,
          unitCharge: usd(0),
        },
        {
          providerNpi: DR_RIVERA,
          serviceCode: '90834',
          modifiers: [],
          description: 'x',
          diagnosisCodes: ['F41.1'],
          units: 1,
          unitCharge: usd(-100),
        },
      ],
    });
    const error = await failure(estimates.issueEstimate(bad, await as(clinic.staff)));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error).map((v) => v.field)).toEqual([
      'providers[0].npi',
      'items[0].provider_npi',
      'items[0].service_code',
      'items[0].diagnosis_codes[0]',
      'items[0].unit_charge',
      'items[1].provider_npi',
      'items[1].unit_charge',
    ]);
    const wrongDigit = await failure(
      estimates.issueEstimate(
        request(patient.id, { providers: [{ name: 'A', npi: '1992753884', taxId: '12-3456789', location }] }),
        await as(clinic.staff),
      ),
    );
    expect(violationsOf(wrongDigit)).toContainEqual({
      field: 'providers[0].npi',
      message: 'is not a valid NPI (ten digits with its check digit)',
    });
    expect(await world.db.collection('estimates').countDocuments({ patientId: patient.id })).toBe(before);
  });

  it('refuses another clinic’s staff and the patient themself, and a retry issues once', async () => {
    expect((await failure(estimates.issueEstimate(request(patient.id), await as(elsewhere.staff)))).code).toBe(status.NOT_FOUND);
    expect((await failure(estimates.issueEstimate(request(patient.id), await as(patient)))).code).toBe(status.PERMISSION_DENIED);
    const retried = request(patient.id);
    const first = await estimates.issueEstimate(retried, await as(clinic.staff));
    const second = await estimates.issueEstimate(retried, await as(clinic.staff));
    expect(second.estimate!.estimateId).toBe(first.estimate!.estimateId);
    expect(await world.db.collection('estimates').countDocuments({ _id: first.estimate!.estimateId } as never)).toBe(1);
  });
});

describe('approving an estimate', () => {
  it('keeps the guardian’s signature evidence, publishes the approval, audits it, and refuses a second decision', async () => {
    const { estimate } = await estimates.issueEstimate(request(patient.id), await as(clinic.staff));
    const disclosure = await estimates.getSigningDisclosure({}, await as(guardian));
    expect(disclosure.text).toContain('paper');
    const sign = approval(estimate!.estimateId, 1);
    sign.patientId = patient.id;
    sign.signature.disclosureVersion = disclosure.version;

    // Not the stranger, not another clinic's staff, not staff on the patient's behalf.
    expect((await failure(estimates.decideEstimate(sign, await as(stranger)))).code).toBe(status.NOT_FOUND);
    expect(
      (await failure(estimates.getEstimate({ patientId: patient.id, estimateId: estimate!.estimateId }, await as(stranger)))).code,
    ).toBe(status.NOT_FOUND);
    expect((await failure(estimates.decideEstimate(sign, await as(elsewhere.staff)))).code).toBe(status.NOT_FOUND);
    expect((await failure(estimates.decideEstimate(sign, await as(clinic.staff)))).code).toBe(status.PERMISSION_DENIED);
    // Intent must be explicit and the disclosure accepted.
    const vague = await failure(
      estimates.decideEstimate(
        { ...sign, signature: { ...sign.signature, intentStatement: 'ok', disclosureAccepted: false } },
        await as(guardian),
      ),
    );
    expect(violationsOf(vague).map((v) => v.field)).toEqual(['signature.intent_statement', 'signature.disclosure_accepted']);
    const blank = await failure(
      estimates.decideEstimate({ ...sign, signature: { ...sign.signature, typedName: '  ' } }, await as(guardian)),
    );
    expect(blank.code).toBe(status.INVALID_ARGUMENT);

    const { estimate: approved } = await estimates.decideEstimate(sign, await as(guardian));
    expect(approved).toMatchObject({
      status: EstimateStatus.APPROVED,
      decision: {
        kind: EstimateDecisionKind.APPROVE,
        version: 1,
        typedName: 'Jordan Morgan',
        intentStatement: 'I approve this estimate',
        actingAs: 'guardian',
        disclosureVersion: disclosure.version,
        signedContentSha256: estimate!.contentSha256,
      },
    });
    const stored = await world.db.collection('estimates').findOne({ _id: estimate!.estimateId } as never);
    const version = stored!.versions[0];
    expect(sha256Hex(contentOf(estimate!.estimateId, 'USD', { ...version, issuedAt: new Date(version.issuedAt) }))).toBe(
      estimate!.contentSha256,
    );
    expect(stored!.decisions[0].evidence).toMatchObject({
      signerUserId: guardian.id,
      signerTypedName: 'Jordan Morgan',
      actingFor: { patientId: patient.id, relationship: 'guardian' },
      ipAddress: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (test)',
      disclosureVersion: disclosure.version,
      documentSha256: estimate!.contentSha256,
    });

    const twice = await failure(
      estimates.decideEstimate(
        { ...sign, decision: EstimateDecisionKind.DECLINE, signature: { ...sign.signature, intentStatement: 'I decline this estimate' } },
        await as(patient),
      ),
    );
    expect(twice.code).toBe(status.FAILED_PRECONDITION);

    await topics.waitFor(() => ofPatient('portico.billing.v1').some((r) => r.headers.ce_type === EstimateApprovedSchema.typeName));
    const event = ofPatient('portico.billing.v1').find((r) => r.headers.ce_type === EstimateApprovedSchema.typeName)!;
    expect(fromBinary(EstimateApprovedSchema, event.value)).toMatchObject({
      estimateId: estimate!.estimateId,
      version: 1,
      total: usd(185_000),
    });
    expect(event.value.toString('latin1')).not.toContain('Jordan Morgan');
    const audited = () => ofPatient('portico.audit.v1').map((r) => fromBinary(PatientRecordAccessedSchema, r.value));
    await topics.waitFor(() => audited().some((a) => a.action === 'billing.decide_estimate' && a.outcome === AccessOutcome.ALLOWED));
    const decided = audited().find((a) => a.action === 'billing.decide_estimate' && a.outcome === AccessOutcome.ALLOWED)!;
    expect(decided).toMatchObject({ resourceId: estimate!.estimateId, sourceIp: '203.0.113.7', actor: { subject: guardian.id } });
  });

  it('makes a reissue a new version the patient decides anew; the old version can no longer be signed', async () => {
    const { estimate } = await estimates.issueEstimate(request(patient.id), await as(clinic.staff));
    const { version } = await estimates.getSigningDisclosure({}, await as(patient));
    const { estimate: reissued } = await estimates.issueEstimate(
      request(patient.id, { estimateId: estimate!.estimateId, primaryServiceDate: '2027-01-12' }),
      await as(clinic.staff),
    );
    expect(reissued).toMatchObject({ estimateId: estimate!.estimateId, version: 2, primaryServiceDate: '2027-01-12' });
    expect(reissued!.contentSha256).not.toBe(estimate!.contentSha256);
    const stale = approval(estimate!.estimateId, 1);
    stale.signature.disclosureVersion = version;
    expect((await failure(estimates.decideEstimate(stale, await as(patient)))).code).toBe(status.FAILED_PRECONDITION);
    const current = await estimates.getEstimate({ patientId: patient.id, estimateId: estimate!.estimateId }, await as(patient));
    expect(current.estimate).toMatchObject({ version: 2, status: EstimateStatus.AWAITING_DECISION });
    const { estimate: approved } = await estimates.decideEstimate({ ...stale, version: 2 }, await as(patient));
    expect(approved!.decision).toMatchObject({ version: 2, actingAs: 'patient', signedContentSha256: reissued!.contentSha256 });
  });
});

describe('declining an estimate', () => {
  it('records the patient’s own signed decline and publishes it with ids and amounts only', async () => {
    const { estimate } = await estimates.issueEstimate(request(patient.id), await as(clinic.staff));
    const { version } = await estimates.getSigningDisclosure({}, await as(patient));
    const decline = {
      ...approval(estimate!.estimateId, 1),
      decision: EstimateDecisionKind.DECLINE,
      signature: {
        typedName: 'Riley Morgan',
        intentStatement: 'I decline this estimate',
        disclosureVersion: version,
        disclosureAccepted: true,
      },
    };
    // The approval's words do not decline.
    const mixed = await failure(
      estimates.decideEstimate(
        { ...decline, signature: { ...decline.signature, intentStatement: 'I approve this estimate' } },
        await as(patient),
      ),
    );
    expect(violationsOf(mixed)).toEqual([{ field: 'signature.intent_statement', message: 'must be “I decline this estimate”' }]);
    const { estimate: declined } = await estimates.decideEstimate(decline, await as(patient));
    expect(declined).toMatchObject({
      status: EstimateStatus.DECLINED,
      decision: { kind: EstimateDecisionKind.DECLINE, actingAs: 'patient' },
    });
    await topics.waitFor(() =>
      ofPatient('portico.billing.v1').some(
        (r) =>
          r.headers.ce_type === EstimateDeclinedSchema.typeName &&
          fromBinary(EstimateDeclinedSchema, r.value).estimateId === estimate!.estimateId,
      ),
    );
    const event = ofPatient('portico.billing.v1').find((r) => r.headers.ce_type === EstimateDeclinedSchema.typeName)!;
    expect(fromBinary(EstimateDeclinedSchema, event.value)).toMatchObject({
      version: 1,
      total: usd(185_000),
      actor: { subject: patient.id },
    });
    expect(event.value.toString('latin1')).not.toContain('Riley Morgan');
  });
});

describe('the $400 rule', () => {
  it('shows the notice with the dispute deadline once billed charges for a provider reach $400 over, and tells staff once', async () => {
    const { estimate } = await estimates.issueEstimate(request(patient.id), await as(clinic.staff));
    const estimateId = estimate!.estimateId;
    const line = (priceMinor: number, npi = DR_RIVERA) => ({
      dateOfService: '2026-11-30',
      procedureCode: '90834',
      modifiers: [],
      description: 'Psychotherapy, 45 minutes',
      units: 1,
      unitPriceMinor: BigInt(priceMinor),
      renderingProviderNpi: npi,
      estimateId,
    });
    const bill = async (...lines: ReturnType<typeof line>[]) =>
      world.billing.issueInvoice(
        { patientId: patient.id, idempotencyKey: newKey(), dueOn: '', currencyCode: '', lines },
        await as(clinic.staff),
      );

    // An invoice naming an estimate the patient does not have is refused.
    const unknown = await failure(bill({ ...line(100), estimateId: '00000000-0000-4000-8000-000000000000' }));
    expect(violationsOf(unknown)).toEqual([{ field: 'lines[0].estimate_id', message: 'names no estimate of this patient' }]);
    // A line for the estimate by a provider it does not name would count toward nobody: refused, nothing billed.
    const ledgerBefore = await world.billing.listInvoices({ patientId: patient.id }, await as(clinic.staff));
    const otherProvider = await failure(bill(line(100), line(100, ELSEWHERE)));
    expect(violationsOf(otherProvider)).toEqual([
      { field: 'lines[1].rendering_provider_npi', message: 'is not one of the estimate’s providers' },
    ]);
    expect(await world.billing.listInvoices({ patientId: patient.id }, await as(clinic.staff))).toEqual(ledgerBefore);

    // $1,800 estimated for Dr Rivera: $2,199.99 billed is $399.99 over: no notice.
    await bill(line(150_000), line(69_999));
    const under = await estimates.getEstimate({ patientId: patient.id, estimateId }, await as(patient));
    expect(under.estimate!.exceeded).toEqual([]);
    expect(under.estimate!.providerTotals[0]!.billed).toMatchObject(usd(219_999));

    world.setNow(new Date('2026-12-10T15:00:00Z'));
    const { invoice } = await bill(line(1));
    const over = await estimates.getEstimate({ patientId: patient.id, estimateId }, await as(guardian));
    expect(over.estimate!.exceeded).toMatchObject([
      {
        providerNpi: DR_RIVERA,
        estimated: usd(180_000),
        billed: usd(220_000),
        excess: usd(40_000),
        billDate: '2026-12-10',
        disputeDeadline: '2027-04-09',
      },
    ]);
    expect(over.estimate!.exceeded[0]!.invoiceIds).toContain(invoice!.invoiceId);

    await topics.waitFor(() => ofPatient('portico.billing.v1').some((r) => r.headers.ce_type === EstimateExceededSchema.typeName));
    await estimates.listEstimates({ patientId: patient.id }, await as(patient));
    await topics.caughtUp();
    const exceeded = ofPatient('portico.billing.v1').filter((r) => r.headers.ce_type === EstimateExceededSchema.typeName);
    expect(exceeded).toHaveLength(1);
    expect(fromBinary(EstimateExceededSchema, exceeded[0]!.value)).toMatchObject({
      estimateId,
      providerNpi: DR_RIVERA,
      estimated: usd(180_000),
      billed: usd(220_000),
      disputeDeadline: '2027-04-09',
    });
  });
});
