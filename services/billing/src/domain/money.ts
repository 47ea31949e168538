// Money as the billing service keeps it (DESIGN rule 6): integer minor units of one ISO 4217
// currency, never a float. Amounts are JavaScript numbers restricted to safe integers, so every
// sum of a patient's ledger stays exact; the wire carries them as int64.
import { InvalidInput } from '@portico/kit/domain';

export interface Money {
  amountMinor: number;
  currency: string;
}

/** Largest single amount accepted (ten million in major units): far beyond any clinic bill, far below 2^53. */
export const LARGEST_AMOUNT_MINOR = 1_000_000_000;

const CURRENCY = /^[A-Z]{3}$/;

/** The ISO 4217 currencies the runtime knows (Intl), so a typo is refused rather than stored. */
export function isKnownCurrency(code: string): boolean {
  if (!CURRENCY.test(code)) return false;
  try {
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return false;
  }
}

/**
 * A positive amount in `currency` from the wire: an int64 within range, in the currency the
 * patient is billed in. `field` names it in the violation.
 */
export function positiveAmount(amountMinor: bigint | number | undefined, currencyCode: string, currency: string, field: string): number {
  const violations = [];
  const amount = Number(amountMinor ?? 0n);
  if (!Number.isSafeInteger(amount) || amount <= 0) violations.push({ field, message: 'must be more than zero' });
  else if (amount > LARGEST_AMOUNT_MINOR) violations.push({ field, message: 'is larger than any amount billing accepts' });
  if (currencyCode !== '' && currencyCode !== currency)
    violations.push({ field: `${field}.currency_code`, message: `must be ${currency}` });
  if (violations.length) throw new InvalidInput('request', violations);
  return amount;
}

/** How many minor units one major unit has (2 for USD, 0 for JPY), from the runtime's currency data. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** $1,234.50: for receipts, statements and PDFs; the web app formats the same way in the browser. */
export function formatMoney(money: Money, locale = 'en-US'): string {
  const digits = minorDigits(money.currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amountMinor / 10 ** digits);
}

export const sum = (amounts: number[]): number => amounts.reduce((total, amount) => total + amount, 0);
