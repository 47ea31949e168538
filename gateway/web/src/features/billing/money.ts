// Money on the screen: amounts arrive as integer minor units with their ISO currency and are shown
// with the browser's own currency formatting; what a person types ("12.50") becomes minor units
// without ever going through a float, and an amount with a fraction of a cent is refused.
import { i18n } from '../../app/i18n';
import type { Money } from './billingApi';

/** Digits after the decimal point in `currency` (2 for USD, 0 for JPY). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "$1,234.50", in the portal's language (not the browser's, which may write "US$"). */
export function formatMoney(money: Money, locale: string = i18n.language): string {
  const digits = minorDigits(money.currency);
  const negative = money.amountMinor < 0;
  const whole = Math.abs(money.amountMinor);
  // Built from the integer's digits, so no float rounding can show a cent that is not there.
  const text = String(whole).padStart(digits + 1, '0');
  const decimal = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  const formatted = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(Number(decimal));
  return negative ? `−${formatted}` : formatted;
}

export type AmountProblem = 'empty' | 'notANumber' | 'tooManyDecimals' | 'notPositive';

/** Minor units of what a person typed ("1,250.5" → 125050), or why it is not an amount. */
export function parseAmount(text: string, currency: string): { amountMinor: number } | { problem: AmountProblem } {
  const cleaned = text.trim().replace(/[,\s$€£]/g, '');
  if (!cleaned) return { problem: 'empty' };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return { problem: 'notANumber' };
  const digits = minorDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return { problem: 'tooManyDecimals' };
  const amountMinor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) return { problem: 'notPositive' };
  return { amountMinor };
}

/** "December 2026" for a statement's month (YYYY-MM): a calendar month, the same in every zone. */
export function monthName(month: string, locale: string = i18n.language): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`));
}
