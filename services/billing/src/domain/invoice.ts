// What staff submit to issue an invoice, checked against every rule at once (each broken rule is
// named, none repeats the value): line items with a date of service, a CPT or HCPCS code, up to
// four modifiers, a description, units and a unit price in minor units.
import { z } from '@portico/kit/config';
import { InvalidInput, snakeCase, UUID_PATTERN, validate } from '@portico/kit/domain';
import { DateTime } from 'luxon';
import { LARGEST_AMOUNT_MINOR, sum } from './money.js';
import type { InvoiceLine } from './ledger.js';
import { isNpi } from './superbill.js';

/** CPT: five digits, or four and a category II/III letter; HCPCS level II: a letter and four digits. */
export const PROCEDURE_CODE = /^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$/;
/** CPT/HCPCS modifiers are two letters or digits (95, GT, 59). */
export const MODIFIER = /^[0-9A-Z]{2}$/;
export const MOST_LINES = 50;
/** Days an invoice is payable when staff give no due date. */
export const DEFAULT_TERMS_DAYS = 30;

const isoDate = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid, 'must be a date (YYYY-MM-DD)');

const lineSchema = z.object({
  dateOfService: isoDate,
  procedureCode: z.string().regex(PROCEDURE_CODE, 'must be a CPT or HCPCS code'),
  modifiers: z.array(z.string().regex(MODIFIER, 'must be two letters or digits')).max(4, 'must be at most four'),
  description: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  units: z.number().int('must be a whole number').min(1, 'must be at least 1').max(999, 'must be at most 999'),
  unitPriceMinor: z.number().int('must be whole minor units').min(1, 'must be more than zero').max(LARGEST_AMOUNT_MINOR, 'is too large'),
  renderingProviderNpi: z
    .string()
    .refine((npi) => npi === '' || isNpi(npi), 'is not a valid NPI (ten digits with its check digit)')
    .optional(),
  estimateId: z
    .string()
    .refine((id) => id === '' || UUID_PATTERN.test(id), 'must be an estimate id')
    .optional(),
});

/** `0.unitPriceMinor` → `lines[0].unit_price_minor`, the wire's spelling. */
function lineField(path: string): string {
  const [index, ...rest] = path.split('.');
  return `lines[${index}]${rest.length ? `.${snakeCase(rest.join('.'))}` : ''}`;
}

export type LineSubmission = z.input<typeof lineSchema>;

/** The lines as stored, with their amounts; InvalidInput naming every broken rule (lines[1].units...). */
export function validateLines(lines: LineSubmission[], today: string): InvoiceLine[] {
  if (lines.length === 0) throw new InvalidInput('invoice', [{ field: 'lines', message: 'must hold at least one line' }]);
  if (lines.length > MOST_LINES) throw new InvalidInput('invoice', [{ field: 'lines', message: `must hold at most ${MOST_LINES} lines` }]);
  const valid = validate(z.array(lineSchema), lines, 'invoice', { field: lineField });
  const future = valid.findIndex((line) => line.dateOfService > today);
  if (future >= 0) throw new InvalidInput('invoice', [{ field: `lines[${future}].date_of_service`, message: 'must not be in the future' }]);
  const result = valid.map((line) => ({ ...line, modifiers: line.modifiers, amountMinor: line.units * line.unitPriceMinor }));
  if (sum(result.map((l) => l.amountMinor)) > LARGEST_AMOUNT_MINOR)
    throw new InvalidInput('invoice', [{ field: 'lines', message: 'add up to more than any invoice billing accepts' }]);
  return result;
}

/** The due date staff gave (not before today) or today plus the default terms. */
export function dueDateOf(dueOn: string, today: string): string {
  if (!dueOn) return DateTime.fromISO(today).plus({ days: DEFAULT_TERMS_DAYS }).toISODate()!;
  const parsed = validate(isoDate, dueOn, 'invoice', { whole: 'due_on', field: () => 'due_on' });
  if (parsed < today) throw new InvalidInput('invoice', [{ field: 'due_on', message: 'must not be before today' }]);
  return parsed;
}
