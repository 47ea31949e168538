// Super Bills at the service: staff make one for out-of-network reimbursement from a patient's
// invoice lines (several dates of service on one), with everything insurers ask for; one missing
// a required field (an NPI, a diagnosis pointer, a place of service) is refused with the list of
// what is missing and nothing is stored. The patient reads it back as a PDF whose text holds the
// fields and totals. Against the real servers.
import { status } from '@grpc/grpc-js';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CARDS } from '../src/processor/sandbox.js';
import {
  as,
  expectLedgerHolds,
  failure,
  newKey,
  startWorld,
  therapyLine,
  usd,
  violationsOf,
  type Clinic,
  type Person,
  type World,
} from './harness.js';

let world: World;
let clinic: Clinic;
let patient: Person;
const invoiceIds: string[] = [];

const parties = {
  clinicNpi: '1234567893',
  clinicTaxId: '12-3456789',
  providerName: 'Alex Rivera',
  providerCredentials: 'LCSW',
  providerLicence: 'ME-LCSW-20417',
  providerNpi: '1992753883',
  patientName: 'Riley Morgan',
  patientDateOfBirth: '2009-04-17',
  memberId: 'XJH448812',
};

beforeAll(async () => {
  world = await startWorld();
  clinic = await world.clinic('Harbour Clinic');
  await world.auth.updateOrganisation(
    {
      profile: {
        name: 'Harbour Clinic',
        timeZone: 'America/New_York',
        portalUrl: 'https://portal.example.org',
        address: { line1: '12 Harbour Street', line2: '', city: 'Portland', region: 'ME', postalCode: '04101', countryCode: 'US' },
      },
    },
    await as(clinic.staff),
  );
  patient = await world.person(['patient'], clinic);
  for (const [date, modifiers] of [
    ['2026-11-03', []],
    ['2026-11-17', ['95']],
  ] as const) {
    const { invoice } = await world.billing.issueInvoice(
      { patientId: patient.id, idempotencyKey: newKey(), dueOn: '', currencyCode: '', lines: [therapyLine(date, 15_000, [...modifiers])] },
      await as(clinic.staff),
    );
    invoiceIds.push(invoice!.invoiceId);
  }
  await world.billing.makePayment(
    {
      patientId: patient.id,
      idempotencyKey: newKey(),
      target: { case: 'amount', value: usd(15_000) },
      paymentMethodToken: SANDBOX_CARDS.approved,
    },
    await as(patient),
  );
});

afterAll(async () => {
  if (world) {
    await expectLedgerHolds(world, clinic.staff, patient.id);
    await world.stop();
  }
});

const lines = () => [
  { invoiceId: invoiceIds[0]!, lineIndex: 0, placeOfService: '11', diagnosisPointers: 'A' },
  { invoiceId: invoiceIds[1]!, lineIndex: 0, placeOfService: '10', diagnosisPointers: 'AB' },
];

const stored = () => world.db.collection('superbills').countDocuments({ patientId: patient.id });

describe('Super Bills', () => {
  it('refuses one missing an NPI, a place of service or a diagnosis, listing each, and stores nothing', async () => {
    const error = await failure(
      world.billing.createSuperbill(
        {
          patientId: patient.id,
          idempotencyKey: newKey(),
          parties: { ...parties, providerNpi: '', clinicTaxId: '' },
          diagnosisCodes: ['F41.1'],
          lines: [
            { ...lines()[0]!, placeOfService: '' },
            { ...lines()[1]!, diagnosisPointers: 'AC' },
          ],
        },
        await as(clinic.staff),
      ),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(violationsOf(error).map((v) => v.field)).toEqual(
      expect.arrayContaining(['parties.provider_npi', 'parties.clinic_tax_id', 'lines[0].place_of_service', 'lines[1].diagnosis_pointers']),
    );
    const wrongNpi = await failure(
      world.billing.createSuperbill(
        {
          patientId: patient.id,
          idempotencyKey: newKey(),
          parties: { ...parties, clinicNpi: '1234567890' },
          diagnosisCodes: ['F41.1', 'Z63.0'],
          lines: lines(),
        },
        await as(clinic.staff),
      ),
    );
    expect(violationsOf(wrongNpi)).toEqual([{ field: 'parties.clinic_npi', message: 'is not a valid NPI' }]);
    expect(await stored()).toBe(0);
  });

  it('is made by staff only, with several dates of service, and read back by the patient as a PDF holding every field', async () => {
    const request = { patientId: patient.id, idempotencyKey: newKey(), parties, diagnosisCodes: ['F41.1', 'Z63.0'], lines: lines() };
    expect((await failure(world.billing.createSuperbill(request, await as(patient)))).code).toBe(status.PERMISSION_DENIED);
    const { superbill } = await world.billing.createSuperbill(request, await as(clinic.staff));
    expect(superbill).toMatchObject({
      firstDateOfService: '2026-11-03',
      lastDateOfService: '2026-11-17',
      diagnosisCodes: ['F41.1', 'Z63.0'],
    });
    expect(superbill!.totalCharges!.amountMinor).toBe(30_000n);
    expect(superbill!.totalPaid!.amountMinor).toBe(15_000n);
    const again = await world.billing.createSuperbill(request, await as(clinic.staff));
    expect(again.superbill!.superbillId).toBe(superbill!.superbillId);

    const { superbills } = await world.billing.listSuperbills({ patientId: patient.id }, await as(patient));
    expect(superbills.map((s) => s.superbillId)).toEqual([superbill!.superbillId]);
    const { document } = await world.billing.getSuperbill(
      { patientId: patient.id, superbillId: superbill!.superbillId },
      await as(patient),
    );
    const { text } = await extractText(new Uint8Array(document!.content), { mergePages: true });
    for (const expected of [
      'Harbour Clinic',
      '12 Harbour Street, Portland, ME, 04101',
      '1234567893',
      '12-3456789',
      'Alex Rivera, LCSW',
      'ME-LCSW-20417',
      '1992753883',
      'Riley Morgan',
      '2009-04-17',
      'XJH448812',
      'A. F41.1',
      'B. Z63.0',
      '2026-11-03',
      '2026-11-17',
      '90834',
      '95',
      '$300.00',
      '$150.00',
      'Signature of Alex Rivera',
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/Total charges:\s*\$300\.00/);
    expect(text).toMatch(/Total paid:\s*\$150\.00/);
  });
});
