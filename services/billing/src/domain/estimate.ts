// Good Faith Estimates under the No Surprises Act (45 CFR 149.610): what staff submit, checked
// against every rule at once; the estimate as versioned data (reissuing adds a version, the
// patient sees the current one); the patient's signed decision on one version; and the $400 rule —
// when what was billed for one provider's estimated services exceeds that provider's estimated
// total by $400 or more, the patient may dispute within 120 days of the bill. Pure: no I/O.
import { InvalidInput, NotAllowedNow, type Violation } from '@portico/kit/domain';
import { sha256Hex, type SignatureEvidence } from '@portico/kit/signatures';
import type { PostalAddress } from '@portico/kit/vocabulary';
import { DateTime } from 'luxon';
import { MODIFIER, PROCEDURE_CODE } from './invoice.js';
import type { Invoice } from './ledger.js';
import { LARGEST_AMOUNT_MINOR, minorDigits, sum } from './money.js';
import { ICD10, isNpi } from './superbill.js';

/** Where a provider is expected to furnish the services. */
export type ProviderLocation = PostalAddress;

export interface EstimateProvider {
  name: string;
  npi: string;
  taxId: string;
  location: ProviderLocation;
}

export interface EstimateItem {
  providerNpi: string;
  serviceCode: string;
  modifiers: string[];
  description: string;
  diagnosisCodes: string[];
  units: number;
  unitChargeMinor: number;
  chargeMinor: number;
}

/** What staff submit for one version. */
export interface EstimateSubmission {
  patientName: string;
  patientDateOfBirth: string;
  primaryService: string;
  primaryServiceDate: string;
  providers: EstimateProvider[];
  items: Array<Omit<EstimateItem, 'chargeMinor'> & { currency: string }>;
}

/** One issued version: a snapshot that never changes once issued. */
export interface EstimateVersion {
  version: number;
  issuedAt: Date;
  /** The staff member who issued it (Keycloak user id). */
  issuedBy: string;
  idempotencyKey: string;
  patientName: string;
  patientDateOfBirth: string;
  primaryService: string;
  primaryServiceDate: string;
  providers: EstimateProvider[];
  items: EstimateItem[];
  totalMinor: number;
  disclaimers: string[];
  disputeInstructions: string;
  /** SHA-256 of the version's content (contentOf): what a signature on it covers. */
  contentSha256: string;
}

export type DecisionKind = 'approve' | 'decline';

export interface EstimateDecision {
  kind: DecisionKind;
  version: number;
  intentStatement: string;
  evidence: SignatureEvidence;
}

/** A notice of charges over the estimate, recorded once per version and provider. */
export interface ExceededNotice {
  version: number;
  providerNpi: string;
  estimatedMinor: number;
  billedMinor: number;
  billDate: string;
  disputeDeadline: string;
  invoiceIds: string[];
}

export interface Estimate {
  estimateId: string;
  patientId: string;
  clinicId: string;
  clinicName: string;
  timeZone: string;
  currency: string;
  versions: EstimateVersion[];
  decisions: EstimateDecision[];
  exceeded: ExceededNotice[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The three disclaimers 45 CFR 149.610(c)(1) requires, in the words of HHS's model notice. */
export const DISCLAIMERS: readonly string[] = Object.freeze([
  'There may be additional items or services your provider recommends as part of your care that must be scheduled or requested separately and are not included in this Good Faith Estimate.',
  'This Good Faith Estimate shows the costs of items and services that are reasonably expected for your health care needs. It is only an estimate: the actual items, services or charges may differ.',
  'This Good Faith Estimate is not a contract and does not require you to obtain the items or services from any of the providers or facilities listed.',
]);

export const DISPUTE_INSTRUCTIONS =
  'If you are billed for more than this Good Faith Estimate, you have the right to dispute the bill. ' +
  'You may contact the provider or facility listed to tell them the billed charges are higher than the Good Faith Estimate, ask them to update the bill to match it, ask to negotiate the bill, or ask whether financial assistance is available. ' +
  'You may also start the patient-provider dispute resolution process with the U.S. Department of Health and Human Services (HHS) when a provider bills $400 or more above its estimate. ' +
  'You must start it within 120 calendar days (about 4 months) of the date on the bill. There is a $25 fee. ' +
  'If the reviewing agency agrees with you, you pay the price on this Good Faith Estimate; if it agrees with the provider, you pay the higher amount. ' +
  'To learn more and get a form to start the process, go to www.cms.gov/nosurprises or call 1-800-985-3059. ' +
  'Keep a copy of this Good Faith Estimate; you may need it if you are billed a higher amount.';

/** Days the patient has, from the date of the bill, to start the dispute process. */
export const DISPUTE_WINDOW_DAYS = 120;
/** The $400 of the rule, in major units of the estimate's currency. */
export const EXCEEDED_BY_MAJOR = 400;
export const MOST_ITEMS = 50;
export const MOST_PROVIDERS = 10;

/** The statement of intent a signer affirms for each decision. */
export const INTENT_STATEMENTS: Record<DecisionKind, string> = {
  approve: 'I approve this estimate',
  decline: 'I decline this estimate',
};

const TAX_ID = /^\d{2}-?\d{7}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (value: string) => ISO_DATE.test(value) && DateTime.fromISO(value).isValid;

/** The threshold of the $400 rule in minor units of `currency`. */
export const exceededThresholdMinor = (currency: string) => EXCEEDED_BY_MAJOR * 10 ** minorDigits(currency);

/**
 * The version's content from what staff submitted, or InvalidInput naming every missing or wrong
 * field (providers[0].npi, items[2].unit_charge...). Nothing is fixed silently.
 */
export function validateEstimate(
  input: EstimateSubmission,
  context: { currency: string; today: string },
): Pick<
  EstimateVersion,
  'patientName' | 'patientDateOfBirth' | 'primaryService' | 'primaryServiceDate' | 'providers' | 'items' | 'totalMinor'
> {
  const violations: Violation[] = [];
  const bad = (field: string, message: string) => violations.push({ field, message });
  const required = (value: string, field: string, longest = 200) => {
    if (!value.trim()) bad(field, 'is required');
    else if (value.length > longest) bad(field, `must be at most ${longest} characters`);
  };
  required(input.patientName, 'patient_name');
  if (!input.patientDateOfBirth) bad('patient_date_of_birth', 'is required');
  else if (!isDate(input.patientDateOfBirth)) bad('patient_date_of_birth', 'must be a date (YYYY-MM-DD)');
  else if (input.patientDateOfBirth > context.today) bad('patient_date_of_birth', 'must not be in the future');
  required(input.primaryService, 'primary_service');
  if (!input.primaryServiceDate) bad('primary_service_date', 'is required');
  else if (!isDate(input.primaryServiceDate)) bad('primary_service_date', 'must be a date (YYYY-MM-DD)');

  if (input.providers.length === 0) bad('providers', 'must name at least one provider');
  if (input.providers.length > MOST_PROVIDERS) bad('providers', `must name at most ${MOST_PROVIDERS}`);
  const providers = input.providers.map((p, i) => {
    const at = `providers[${i}]`;
    required(p.name, `${at}.name`);
    if (!p.npi) bad(`${at}.npi`, 'is required');
    else if (!isNpi(p.npi)) bad(`${at}.npi`, 'is not a valid NPI (ten digits with its check digit)');
    if (!p.taxId) bad(`${at}.tax_id`, 'is required');
    else if (!TAX_ID.test(p.taxId)) bad(`${at}.tax_id`, 'must be a 9-digit tax id (EIN)');
    required(p.location.line1, `${at}.location.line1`);
    required(p.location.city, `${at}.location.city`, 100);
    required(p.location.region, `${at}.location.region`, 100);
    required(p.location.postalCode, `${at}.location.postal_code`, 20);
    if (!/^[A-Z]{2}$/.test(p.location.countryCode)) bad(`${at}.location.country_code`, 'must be a two-letter country code');
    return { ...p, name: p.name.trim(), location: { ...p.location, line1: p.location.line1.trim(), city: p.location.city.trim() } };
  });
  const npis = providers.map((p) => p.npi);
  npis.forEach((npi, i) => {
    if (npi && npis.indexOf(npi) !== i) bad(`providers[${i}].npi`, 'names a provider listed already');
  });

  if (input.items.length === 0) bad('items', 'must hold at least one expected service');
  if (input.items.length > MOST_ITEMS) bad('items', `must hold at most ${MOST_ITEMS}`);
  const items: EstimateItem[] = input.items.map((item, i) => {
    const at = `items[${i}]`;
    if (!item.providerNpi) bad(`${at}.provider_npi`, 'is required');
    else if (!npis.includes(item.providerNpi)) bad(`${at}.provider_npi`, 'must be the NPI of one of the estimate’s providers');
    const code = item.serviceCode.trim().toUpperCase();
    if (!PROCEDURE_CODE.test(code)) bad(`${at}.service_code`, 'must be a CPT or HCPCS code');
    const modifiers = item.modifiers.map((m) => m.trim().toUpperCase());
    if (modifiers.length > 4) bad(`${at}.modifiers`, 'must be at most four');
    modifiers.forEach((m, j) => {
      if (!MODIFIER.test(m)) bad(`${at}.modifiers[${j}]`, 'must be two letters or digits');
    });
    required(item.description, `${at}.description`);
    const diagnoses = item.diagnosisCodes.map((c) => c.trim().toUpperCase());
    if (diagnoses.length === 0) bad(`${at}.diagnosis_codes`, 'must hold at least one ICD-10-CM code');
    if (diagnoses.length > 12) bad(`${at}.diagnosis_codes`, 'must hold at most 12');
    diagnoses.forEach((c, j) => {
      if (!ICD10.test(c)) bad(`${at}.diagnosis_codes[${j}]`, 'is not an ICD-10-CM code');
    });
    if (!Number.isInteger(item.units) || item.units < 1 || item.units > 999) bad(`${at}.units`, 'must be a whole number from 1 to 999');
    if (!Number.isSafeInteger(item.unitChargeMinor) || item.unitChargeMinor <= 0)
      bad(`${at}.unit_charge`, 'must be more than zero, in whole minor units');
    else if (item.unitChargeMinor > LARGEST_AMOUNT_MINOR) bad(`${at}.unit_charge`, 'is larger than any amount billing accepts');
    if (item.currency !== '' && item.currency !== context.currency) bad(`${at}.unit_charge.currency_code`, `must be ${context.currency}`);
    return {
      providerNpi: item.providerNpi,
      serviceCode: code,
      modifiers,
      description: item.description.trim(),
      diagnosisCodes: diagnoses,
      units: item.units,
      unitChargeMinor: item.unitChargeMinor,
      chargeMinor: item.units * item.unitChargeMinor,
    };
  });
  const totalMinor = sum(items.map((i) => i.chargeMinor));
  if (violations.length === 0 && totalMinor > LARGEST_AMOUNT_MINOR) bad('items', 'add up to more than any estimate billing accepts');
  if (violations.length) throw new InvalidInput('estimate', violations);
  return {
    patientName: input.patientName.trim(),
    patientDateOfBirth: input.patientDateOfBirth,
    primaryService: input.primaryService.trim(),
    primaryServiceDate: input.primaryServiceDate,
    providers,
    items,
    totalMinor,
  };
}

/**
 * The exact content of a version a signature covers, as canonical JSON (fixed key order): every
 * field the patient is shown, and nothing of how it is stored.
 */
export function contentOf(estimateId: string, currency: string, v: Omit<EstimateVersion, 'contentSha256' | 'idempotencyKey' | 'issuedBy'>) {
  return JSON.stringify({
    estimateId,
    version: v.version,
    issuedAt: v.issuedAt.toISOString(),
    currency,
    patientName: v.patientName,
    patientDateOfBirth: v.patientDateOfBirth,
    primaryService: v.primaryService,
    primaryServiceDate: v.primaryServiceDate,
    providers: v.providers.map((p) => ({
      name: p.name,
      npi: p.npi,
      taxId: p.taxId,
      location: [p.location.line1, p.location.line2, p.location.city, p.location.region, p.location.postalCode, p.location.countryCode],
    })),
    items: v.items.map((i) => [i.providerNpi, i.serviceCode, i.modifiers, i.description, i.diagnosisCodes, i.units, i.unitChargeMinor]),
    totalMinor: v.totalMinor,
    disclaimers: v.disclaimers,
    disputeInstructions: v.disputeInstructions,
  });
}

export const contentSha256 = (estimateId: string, currency: string, v: Parameters<typeof contentOf>[2]) =>
  sha256Hex(contentOf(estimateId, currency, v));

export const currentVersion = (estimate: Pick<Estimate, 'versions'>): EstimateVersion => estimate.versions.at(-1)!;

export const decisionOn = (estimate: Pick<Estimate, 'decisions'>, version: number) => estimate.decisions.find((d) => d.version === version);

export type EstimateStatus = 'awaiting_decision' | 'approved' | 'declined';

export function statusOfEstimate(estimate: Pick<Estimate, 'versions' | 'decisions'>): EstimateStatus {
  const decision = decisionOn(estimate, currentVersion(estimate).version);
  if (!decision) return 'awaiting_decision';
  return decision.kind === 'approve' ? 'approved' : 'declined';
}

/**
 * The signer may decide `version` now: it is the current version and nothing was decided on it,
 * the statement of intent is the decision's own, and the disclosure shown is the one in force and
 * was accepted. Each refusal says what to do.
 */
export function checkDecision(
  estimate: Pick<Estimate, 'versions' | 'decisions'>,
  request: { version: number; kind: DecisionKind; intentStatement: string; disclosureVersion: string; disclosureAccepted: boolean },
  disclosureInForce: string,
): void {
  const violations: Violation[] = [];
  if (request.intentStatement.trim() !== INTENT_STATEMENTS[request.kind])
    violations.push({ field: 'signature.intent_statement', message: `must be “${INTENT_STATEMENTS[request.kind]}”` });
  if (!request.disclosureAccepted)
    violations.push({ field: 'signature.disclosure_accepted', message: 'the electronic records disclosure must be accepted' });
  if (request.disclosureVersion !== disclosureInForce)
    violations.push({ field: 'signature.disclosure_version', message: 'is not the disclosure in force: read it again' });
  if (violations.length) throw new InvalidInput('signature', violations);
  const current = currentVersion(estimate);
  if (request.version !== current.version)
    throw new NotAllowedNow('the estimate was reissued since it was reviewed: review the current version');
  if (decisionOn(estimate, current.version)) throw new NotAllowedNow('this estimate was already approved or declined');
}

export interface ProviderTotal {
  providerNpi: string;
  estimatedMinor: number;
  billedMinor: number;
}

/** An invoice line counts toward an estimate's provider when it names the estimate and the provider's NPI. */
const billedLines = (estimateId: string, npi: string, invoices: Invoice[]) =>
  invoices
    .flatMap((invoice) => invoice.lines.map((line) => ({ invoice, line })))
    .filter(({ line }) => line.estimateId === estimateId && line.renderingProviderNpi === npi);

/** What each provider of the current version was estimated at and what was billed for the estimate since. */
export function providerTotals(estimate: Pick<Estimate, 'estimateId' | 'versions'>, invoices: Invoice[]): ProviderTotal[] {
  const current = currentVersion(estimate);
  return current.providers.map((p) => ({
    providerNpi: p.npi,
    estimatedMinor: sum(current.items.filter((i) => i.providerNpi === p.npi).map((i) => i.chargeMinor)),
    billedMinor: sum(billedLines(estimate.estimateId, p.npi, invoices).map(({ line }) => line.amountMinor)),
  }));
}

/**
 * The $400 rule for the current version: for each provider whose billed charges exceed their
 * estimated total by the threshold or more, the notice, dated by the bill that took the charges
 * over (the invoices oldest first) with the dispute deadline 120 days after it.
 */
export function exceededNotices(
  estimate: Pick<Estimate, 'estimateId' | 'versions' | 'currency' | 'timeZone'>,
  invoices: Invoice[],
): ExceededNotice[] {
  const current = currentVersion(estimate);
  const threshold = exceededThresholdMinor(estimate.currency);
  const notices: ExceededNotice[] = [];
  for (const total of providerTotals(estimate, invoices)) {
    if (total.billedMinor - total.estimatedMinor < threshold) continue;
    const lines = billedLines(estimate.estimateId, total.providerNpi, invoices).sort(
      (a, b) => a.invoice.issuedAt.getTime() - b.invoice.issuedAt.getTime(),
    );
    let running = 0;
    const crossing = lines.find(({ line }) => (running += line.amountMinor) - total.estimatedMinor >= threshold)!;
    const billDate = DateTime.fromJSDate(crossing.invoice.issuedAt, { zone: estimate.timeZone }).toISODate()!;
    notices.push({
      version: current.version,
      providerNpi: total.providerNpi,
      estimatedMinor: total.estimatedMinor,
      billedMinor: total.billedMinor,
      billDate,
      disputeDeadline: DateTime.fromISO(billDate).plus({ days: DISPUTE_WINDOW_DAYS }).toISODate()!,
      invoiceIds: [...new Set(lines.map(({ invoice }) => invoice.invoiceId))],
    });
  }
  return notices;
}

/** Notices not recorded yet (one per version and provider): each is published once. */
export const unrecordedNotices = (estimate: Pick<Estimate, 'exceeded'>, notices: ExceededNotice[]) =>
  notices.filter((n) => !estimate.exceeded.some((e) => e.version === n.version && e.providerNpi === n.providerNpi));
