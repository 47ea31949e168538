// The coverage form's values, how they become the API's details (trimmed, the copay in minor
// units of its currency), and the order of its fields for placing the gateway's problems.
import type { FieldPath } from 'react-hook-form';
import type { Coverage, CoverageInput, PlanType, Priority, Relationship } from './insuranceApi';

export interface CoverageFormValues {
  payerName: string;
  planName: string;
  planType: PlanType | '';
  memberId: string;
  groupNumber: string;
  subscriber: { relationship: Relationship; name: string; dateOfBirth: string };
  priority: Priority;
  effectiveDate: string;
  endDate: string;
  /** As typed: "25" or "25.00", in `currencyCode`. */
  copay: string;
  currencyCode: string;
  frontPhoto: FileList | null;
  backPhoto: FileList | null;
}

export const fieldOrder = [
  'payerName',
  'planName',
  'planType',
  'memberId',
  'groupNumber',
  'priority',
  'subscriber.relationship',
  'subscriber.name',
  'subscriber.dateOfBirth',
  'effectiveDate',
  'endDate',
  'copay',
  'frontPhoto',
  'backPhoto',
] as const satisfies readonly FieldPath<CoverageFormValues>[];

/** How many minor units a currency has (2 for USD, 0 for JPY), as the browser's Intl knows it. */
export function minorDigits(currencyCode: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currencyCode }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "25.5" in USD → 2550, without floating point; undefined when it is not an amount. */
export function minorUnitsOf(text: string, currencyCode: string): number | undefined {
  const digits = minorDigits(currencyCode);
  const match = /^(\d{1,7})(?:[.,](\d*))?$/.exec(text.trim());
  if (!match || (match[2] ?? '').length > digits) return undefined;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}

/** 2550 USD → "25.50", for the form. */
export function amountText(amountMinor: number, currencyCode: string): string {
  const digits = minorDigits(currencyCode);
  const text = String(amountMinor).padStart(digits + 1, '0');
  return digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
}

export function formatMoney(amountMinor: number, currencyCode: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: currencyCode }).format(
    amountText(amountMinor, currencyCode) as unknown as number,
  );
}

export function emptyCoverage(priority: Priority): CoverageFormValues {
  return {
    payerName: '',
    planName: '',
    planType: '',
    memberId: '',
    groupNumber: '',
    subscriber: { relationship: 'self', name: '', dateOfBirth: '' },
    priority,
    effectiveDate: '',
    endDate: '',
    copay: '',
    currencyCode: 'USD',
    frontPhoto: null,
    backPhoto: null,
  };
}

export function valuesOf(coverage: Coverage): CoverageFormValues {
  return {
    payerName: coverage.payerName,
    planName: coverage.planName,
    planType: coverage.planType,
    memberId: coverage.memberId,
    groupNumber: coverage.groupNumber,
    subscriber: { ...coverage.subscriber },
    priority: coverage.priority,
    effectiveDate: coverage.effectiveDate,
    endDate: coverage.endDate,
    copay: coverage.copay ? amountText(coverage.copay.amountMinor, coverage.copay.currencyCode) : '',
    currencyCode: coverage.copay?.currencyCode ?? 'USD',
    frontPhoto: null,
    backPhoto: null,
  };
}

export function inputOf(values: CoverageFormValues): CoverageInput {
  const trim = (s: string) => s.trim();
  const self = values.subscriber.relationship === 'self';
  const input: CoverageInput = {
    payerName: trim(values.payerName),
    planType: values.planType as PlanType,
    memberId: trim(values.memberId),
    subscriber: self
      ? { relationship: 'self' }
      : { relationship: values.subscriber.relationship, name: trim(values.subscriber.name), dateOfBirth: values.subscriber.dateOfBirth },
    priority: values.priority,
    effectiveDate: values.effectiveDate,
  };
  if (trim(values.planName)) input.planName = trim(values.planName);
  if (trim(values.groupNumber)) input.groupNumber = trim(values.groupNumber);
  if (values.endDate) input.endDate = values.endDate;
  const copay = trim(values.copay) ? minorUnitsOf(values.copay, values.currencyCode) : undefined;
  if (copay !== undefined) input.copay = { amountMinor: copay, currencyCode: values.currencyCode };
  return input;
}
