// A monthly statement: the clinic's details, the previous balance, the month's charges, payments,
// adjustments, what was moved to a payment plan and refunds line by line, and the new balance.
import type { OrganisationProfile } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { DateTime } from 'luxon';
import type { EntryKind, Statement } from '../domain/statement.js';
import { formatMoney } from '../domain/money.js';
import { addressLine } from '../grpc/clinic.js';
import { BillingPdf } from './layout.js';

const KINDS: Record<EntryKind, string> = {
  charge: 'Charge',
  payment: 'Payment',
  adjustment: 'Adjustment',
  moved_to_plan: 'Moved to payment plan',
  refund: 'Refund',
};

export interface StatementContext {
  clinicName: string;
  profile: OrganisationProfile | undefined;
  patientId: string;
  currency: string;
  timeZone: string;
}

export async function statementPdf(statement: Statement, context: StatementContext): Promise<Uint8Array> {
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: context.currency });
  const month = DateTime.fromISO(`${statement.month}-01`).toFormat('LLLL yyyy');
  const pdf = await BillingPdf.create(`Statement, ${month}`);
  const address = addressLine(context.profile);
  pdf.field('Clinic', context.clinicName);
  if (address) pdf.field('Address', address);
  if (context.profile?.phone) pdf.field('Phone', context.profile.phone);
  if (context.profile?.email) pdf.field('Email', context.profile.email);
  pdf.field('Account', context.patientId).field('Period', month).gap();

  pdf.field('Previous balance', money(statement.previousBalanceMinor));
  pdf.field('Charges', money(statement.chargesMinor));
  pdf.field('Payments', money(statement.paymentsMinor));
  pdf.field('Adjustments', money(statement.adjustmentsMinor));
  // Only where there is one: most patients never have a plan.
  if (statement.movedToPaymentPlansMinor !== 0) pdf.field('Moved to payment plans', money(statement.movedToPaymentPlansMinor));
  pdf.field('Refunds', money(statement.refundsMinor));
  pdf.field('New balance', money(statement.newBalanceMinor)).gap();

  pdf.heading('Activity');
  if (statement.entries.length === 0) pdf.text('Nothing was charged or paid this month.');
  else
    pdf.table(
      [
        { header: 'Date', x: 0 },
        { header: 'Entry', x: 110 },
        { header: 'Reference', x: 210 },
        { header: 'Amount', x: 380 },
      ],
      statement.entries.map((e) => [
        DateTime.fromJSDate(e.at, { zone: context.timeZone }).toFormat('d LLL yyyy'),
        KINDS[e.kind],
        e.reference,
        money(e.kind === 'charge' || e.kind === 'refund' ? e.amountMinor : -e.amountMinor),
      ]),
    );
  pdf.text('Questions about this statement? Please contact the clinic.');
  return pdf.bytes();
}
