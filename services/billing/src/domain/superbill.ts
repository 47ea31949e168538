// A superbill: what a patient sends their insurer to be reimbursed for out-of-network care. Every
// field an insurer asks for must be there — the clinic's name, address, NPI and tax id; the
// rendering provider's name, credentials, licence and NPI; the patient's name and date of birth
// (member id when insured); each service's date, place of service, CPT code and modifiers, ICD-10
// diagnoses with pointers, units, charge and amount paid. A superbill missing any of them is
// refused with the list of what is missing, never made with blanks. Pure: no I/O.
import { InvalidInput, type Violation } from '@portico/kit/domain';
import { DateTime } from 'luxon';
import { lineSettlements, settlementOf, type Invoice, type Payment } from './ledger.js';
import { sum } from './money.js';

export interface SuperbillParties {
  clinicName: string;
  clinicAddress: string;
  clinicNpi: string;
  clinicTaxId: string;
  providerName: string;
  providerCredentials: string;
  providerLicence: string;
  providerNpi: string;
  patientName: string;
  patientDateOfBirth: string;
  memberId: string;
}

export interface SuperbillLine {
  invoiceId: string;
  dateOfService: string;
  placeOfService: string;
  procedureCode: string;
  modifiers: string[];
  diagnosisPointers: string;
  units: number;
  chargeMinor: number;
  paidMinor: number;
}

export interface Superbill {
  superbillId: string;
  patientId: string;
  clinicId: string;
  currency: string;
  parties: SuperbillParties;
  diagnosisCodes: string[];
  lines: SuperbillLine[];
  createdAt: Date;
  version: number;
}

export interface LineCoding {
  invoiceId: string;
  lineIndex: number;
  placeOfService: string;
  diagnosisPointers: string;
}

/** CMS place-of-service codes a behavioural health clinic bills with. */
export const PLACES_OF_SERVICE: Record<string, string> = {
  '02': 'Telehealth, not in the patient’s home',
  '10': 'Telehealth in the patient’s home',
  '11': 'Office',
  '12': 'Home',
  '53': 'Community mental health center',
};

/** ICD-10-CM: a letter, two characters, then up to four after a dot (F41.1, F32.A, Z63.0). */
export const ICD10 = /^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;
const POINTERS = 'ABCDEFGHIJKL';

/** An NPI is ten digits whose last is a Luhn check digit over 80840 and the first nine. */
export function isNpi(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const digits = `80840${value.slice(0, 9)}`;
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return (10 - (total % 10)) % 10 === Number(value[9]);
}

const TAX_ID = /^\d{2}-?\d{7}$/;

/**
 * The superbill's lines from the chosen invoices' lines and how each is coded, or InvalidInput
 * naming every missing or wrong field at once.
 */
export function buildSuperbill(
  parties: SuperbillParties,
  diagnosisCodes: string[],
  codings: LineCoding[],
  invoices: Invoice[],
  payments: Payment[],
): { lines: SuperbillLine[]; diagnosisCodes: string[] } {
  const violations: Violation[] = [];
  const missing = (field: string) => violations.push({ field, message: 'is required' });
  const required: [keyof SuperbillParties, string][] = [
    ['clinicName', 'clinic.name'],
    ['clinicAddress', 'clinic.address'],
    ['clinicNpi', 'parties.clinic_npi'],
    ['clinicTaxId', 'parties.clinic_tax_id'],
    ['providerName', 'parties.provider_name'],
    ['providerCredentials', 'parties.provider_credentials'],
    ['providerLicence', 'parties.provider_licence'],
    ['providerNpi', 'parties.provider_npi'],
    ['patientName', 'parties.patient_name'],
    ['patientDateOfBirth', 'parties.patient_date_of_birth'],
  ];
  for (const [key, field] of required) if (!parties[key].trim()) missing(field);
  if (parties.clinicNpi && !isNpi(parties.clinicNpi)) violations.push({ field: 'parties.clinic_npi', message: 'is not a valid NPI' });
  if (parties.providerNpi && !isNpi(parties.providerNpi)) violations.push({ field: 'parties.provider_npi', message: 'is not a valid NPI' });
  if (parties.clinicTaxId && !TAX_ID.test(parties.clinicTaxId))
    violations.push({ field: 'parties.clinic_tax_id', message: 'must be a 9-digit tax id (EIN)' });
  if (parties.patientDateOfBirth && !DateTime.fromISO(parties.patientDateOfBirth).isValid)
    violations.push({ field: 'parties.patient_date_of_birth', message: 'must be a date (YYYY-MM-DD)' });

  const codes = diagnosisCodes.map((c) => c.trim().toUpperCase());
  if (codes.length === 0) missing('diagnosis_codes');
  if (codes.length > POINTERS.length) violations.push({ field: 'diagnosis_codes', message: 'must be at most 12' });
  codes.forEach((c, i) => {
    if (!ICD10.test(c)) violations.push({ field: `diagnosis_codes[${i}]`, message: 'is not an ICD-10-CM code' });
  });

  if (codings.length === 0) missing('lines');
  const byId = new Map(invoices.map((i) => [i.invoiceId, i]));
  const lines: SuperbillLine[] = [];
  codings.forEach((coding, i) => {
    const invoice = byId.get(coding.invoiceId);
    const line = invoice?.lines[coding.lineIndex];
    if (!invoice || !line) {
      violations.push({ field: `lines[${i}]`, message: 'names no line of the patient’s invoices' });
      return;
    }
    if (!coding.placeOfService) missing(`lines[${i}].place_of_service`);
    else if (!PLACES_OF_SERVICE[coding.placeOfService])
      violations.push({ field: `lines[${i}].place_of_service`, message: `must be one of ${Object.keys(PLACES_OF_SERVICE).join(', ')}` });
    const pointers = coding.diagnosisPointers.trim().toUpperCase();
    if (!pointers) missing(`lines[${i}].diagnosis_pointers`);
    else if (![...pointers].every((p) => POINTERS.indexOf(p) >= 0 && POINTERS.indexOf(p) < codes.length) || pointers.length > 4)
      violations.push({ field: `lines[${i}].diagnosis_pointers`, message: 'must name up to four of the diagnosis codes (A, B, …)' });
    const paid = lineSettlements(invoice, settlementOf(invoice, payments))[coding.lineIndex]!;
    lines.push({
      invoiceId: invoice.invoiceId,
      dateOfService: line.dateOfService,
      placeOfService: coding.placeOfService,
      procedureCode: line.procedureCode,
      modifiers: line.modifiers,
      diagnosisPointers: pointers,
      units: line.units,
      chargeMinor: line.amountMinor,
      paidMinor: paid.paidMinor,
    });
  });
  if (violations.length) throw new InvalidInput('superbill', violations);
  return { lines: lines.sort((a, b) => a.dateOfService.localeCompare(b.dateOfService)), diagnosisCodes: codes };
}

export const totalsOfSuperbill = (superbill: Pick<Superbill, 'lines'>) => ({
  chargesMinor: sum(superbill.lines.map((l) => l.chargeMinor)),
  paidMinor: sum(superbill.lines.map((l) => l.paidMinor)),
});
