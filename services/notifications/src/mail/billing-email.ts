// The billing emails to a patient (and each guardian): a payment's receipt and a month's statement
// ready. Amounts only — never a service, a code or a description, since an email can be read by
// anyone who sees the inbox — and a link to Billing. HTML and text say the same, from the catalog.
import { escapeHtml, type RenderedEmail } from '@portico/kit/mail';
import type { AppointmentNotice, Recipient } from '../domain/appointment-notice.js';
import { emailPage, portalPage } from './appointment-email.js';
import { emailText, type EmailMessageKey } from './messages/index.js';

export interface BillingEmailContent {
  clinic: { name: string; portalUrl: string };
  recipient: Pick<Recipient, 'kind' | 'givenName'>;
  patientName: string;
  hasLogo: boolean;
  notice: Pick<AppointmentNotice, 'kind' | 'money' | 'month'>;
}

/** $1,234.50 from minor units, built from the integer's digits (no float can show a cent that is not there). */
export function formatAmount(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const text = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const decimal = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return `${amountMinor < 0 ? '−' : ''}${format.format(Number(decimal))}`;
}

/** "November 2026" for YYYY-MM: a calendar month, the same in every zone. */
const monthName = (month: string) =>
  new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`));

export function billingEmail(content: BillingEmailContent): RenderedEmail {
  const { clinic, recipient, notice } = content;
  const receipt = notice.kind === 'payment_receipt';
  const words: Record<string, string> = {
    clinicName: clinic.name,
    recipientName: recipient.givenName,
    patientName: content.patientName,
    amount: notice.money ? formatAmount(notice.money.amountMinor, notice.money.currency) : '',
    month: notice.month ? monthName(notice.month) : '',
  };
  const context = recipient.kind === 'guardian' && content.patientName ? 'guardian' : undefined;
  const t = (key: EmailMessageKey, values = words) => emailText(key, values, context);
  const escaped = Object.fromEntries(Object.entries(words).map(([name, value]) => [name, escapeHtml(value)]));
  const h = (key: EmailMessageKey) => t(key, escaped);
  const greeting: EmailMessageKey = recipient.givenName ? 'appointment.greeting' : 'appointment.greetingNoName';
  const what: EmailMessageKey = receipt ? 'billing.receipt' : 'billing.statement';
  const page = portalPage(clinic.portalUrl, receipt ? 'billing/payments' : 'billing/statements');
  const subject = t(receipt ? 'billing.receiptSubject' : 'billing.statementSubject');

  const text = [t(greeting), '', t(what), '', ...(page ? [`${t('billing.seeBilling')} ${page}`, ''] : []), t('billing.why'), ''].join('\n');
  const html = emailPage({
    subject,
    logoAlt: content.hasLogo ? clinic.name : undefined,
    paragraphs: [h(greeting), `<strong>${h(what)}</strong>`],
    link: page ? { href: page, label: h('billing.openBilling'), lead: h('billing.seeBilling') } : undefined,
    after: [],
    footer: h('billing.why'),
  });
  return { subject, text, html };
}
