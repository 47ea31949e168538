// The superbill as insurers read it: the billing clinic, the rendering provider, the patient, the
// diagnoses (ICD-10-CM with their pointer letters), each service line, the totals and a signature line.
import { DateTime } from 'luxon';
import { formatMoney } from '../domain/money.js';
import { PLACES_OF_SERVICE, totalsOfSuperbill, type Superbill } from '../domain/superbill.js';
import { BillingPdf } from './layout.js';

export async function superbillPdf(superbill: Superbill, timeZone: string): Promise<Uint8Array> {
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: superbill.currency });
  const p = superbill.parties;
  const pdf = await BillingPdf.create('Superbill');
  pdf.field('Date', DateTime.fromJSDate(superbill.createdAt, { zone: timeZone }).toFormat('d LLLL yyyy')).gap();
  pdf.heading('Billing provider');
  pdf.field('Clinic', p.clinicName).field('Address', p.clinicAddress).field('NPI', p.clinicNpi).field('Tax id (EIN)', p.clinicTaxId).gap();
  pdf.heading('Rendering provider');
  pdf.field('Name', `${p.providerName}, ${p.providerCredentials}`).field('Licence', p.providerLicence).field('NPI', p.providerNpi).gap();
  pdf.heading('Patient');
  pdf.field('Name', p.patientName).field('Date of birth', p.patientDateOfBirth);
  if (p.memberId) pdf.field('Member id', p.memberId);
  pdf.gap().heading('Diagnoses (ICD-10-CM)');
  superbill.diagnosisCodes.forEach((code, i) => pdf.text(`${'ABCDEFGHIJKL'[i]}. ${code}`));
  pdf.gap().heading('Services');
  pdf.table(
    [
      { header: 'Date', x: 0 },
      { header: 'POS', x: 70 },
      { header: 'CPT', x: 105 },
      { header: 'Modifiers', x: 150 },
      { header: 'Dx', x: 215 },
      { header: 'Units', x: 250 },
      { header: 'Charge', x: 290 },
      { header: 'Paid', x: 370 },
    ],
    superbill.lines.map((l) => [
      l.dateOfService,
      l.placeOfService,
      l.procedureCode,
      l.modifiers.join(' '),
      l.diagnosisPointers,
      String(l.units),
      money(l.chargeMinor),
      money(l.paidMinor),
    ]),
  );
  const totals = totalsOfSuperbill(superbill);
  pdf.field('Total charges', money(totals.chargesMinor)).field('Total paid', money(totals.paidMinor));
  const places = [...new Set(superbill.lines.map((l) => l.placeOfService))];
  pdf.text(`Place of service: ${places.map((code) => `${code} ${PLACES_OF_SERVICE[code] ?? ''}`).join('; ')}`, 8);
  pdf.signatureLine(`Signature of ${p.providerName}, ${p.providerCredentials}                Date`);
  return pdf.bytes();
}
