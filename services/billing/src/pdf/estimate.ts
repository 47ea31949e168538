// The Good Faith Estimate as a patient keeps it: the patient, the primary service and its date,
// each provider (name, NPI, tax id, location) with their expected services (codes, diagnoses,
// charges) and total, the estimate's total, the three disclaimers, the dispute instructions, any
// notice of charges over the estimate, and the signed decision when there is one.
import { DateTime } from 'luxon';
import { currentVersion, decisionOn, type Estimate, type ExceededNotice } from '../domain/estimate.js';
import { formatMoney } from '../domain/money.js';
import { BillingPdf } from './layout.js';

export async function estimatePdf(estimate: Estimate, notices: ExceededNotice[]): Promise<Uint8Array> {
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: estimate.currency });
  const v = currentVersion(estimate);
  const pdf = await BillingPdf.create('Good Faith Estimate');
  pdf.field('Clinic', estimate.clinicName);
  pdf.field('Issued', `${DateTime.fromJSDate(v.issuedAt, { zone: estimate.timeZone }).toFormat('d LLLL yyyy')} (version ${v.version})`);
  pdf.gap().heading('Patient');
  pdf.field('Name', v.patientName).field('Date of birth', v.patientDateOfBirth);
  pdf.gap().heading('Primary service');
  pdf.field('Service', v.primaryService).field('Expected date', v.primaryServiceDate);
  for (const provider of v.providers) {
    const l = provider.location;
    pdf.gap().heading(`Provider: ${provider.name}`);
    pdf
      .field('NPI', provider.npi)
      .field('Tax id (TIN)', provider.taxId)
      .field('Location', [l.line1, l.line2, l.city, l.region, l.postalCode, l.countryCode].filter(Boolean).join(', '));
    const items = v.items.filter((i) => i.providerNpi === provider.npi);
    pdf.table(
      [
        { header: 'Code', x: 0 },
        { header: 'Modifiers', x: 50 },
        { header: 'Diagnoses', x: 110 },
        { header: 'Service', x: 190 },
        { header: 'Units', x: 360 },
        { header: 'Expected charge', x: 400 },
      ],
      items.map((i) => [
        i.serviceCode,
        i.modifiers.join(' '),
        i.diagnosisCodes.join(' '),
        i.description.slice(0, 32),
        String(i.units),
        money(i.chargeMinor),
      ]),
    );
    pdf.field('Provider estimate', money(items.reduce((t, i) => t + i.chargeMinor, 0)));
  }
  pdf.gap().field('Total estimated charges', money(v.totalMinor));
  for (const notice of notices) {
    pdf.gap().heading('Billed charges exceed this estimate');
    pdf
      .field('Provider NPI', notice.providerNpi)
      .field('Estimated', money(notice.estimatedMinor))
      .field('Billed', money(notice.billedMinor))
      .field('Date of the bill', notice.billDate)
      .field('Dispute by', notice.disputeDeadline);
  }
  pdf.gap().heading('Disclaimers');
  for (const disclaimer of v.disclaimers) wrap(disclaimer).forEach((line) => pdf.text(line, 9));
  pdf.gap().heading('If you are billed more than this estimate');
  wrap(v.disputeInstructions).forEach((line) => pdf.text(line, 9));
  const decision = decisionOn(estimate, v.version);
  if (decision) {
    const e = decision.evidence;
    pdf.gap().heading(decision.kind === 'approve' ? 'Approved by electronic signature' : 'Declined by electronic signature');
    pdf
      .field('Signed by (typed)', e.signerTypedName)
      .field('Statement', decision.intentStatement)
      .field('Acting for', e.actingFor.relationship === 'self' ? 'themself (the patient)' : 'the patient, as guardian')
      .field('Signed at (UTC)', e.signedAt)
      .field('Disclosure', `version ${e.disclosureVersion}, accepted`)
      .field('Content SHA-256', e.documentSha256.slice(0, 32))
      .field('', e.documentSha256.slice(32));
  }
  return pdf.bytes();
}

/** Lines of at most ~100 characters at 9 points, broken between words. */
function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
