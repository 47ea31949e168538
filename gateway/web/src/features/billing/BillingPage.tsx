// Seed step 7: Billing. The payment summary (balance, overdue, next instalment, last payment) with
// the large yellow Make a Payment button at the top right, and a left menu of the categories:
// Outstanding Invoices (each opening its line items), Payments (each with how it was applied and
// its receipt), Estimates, Payment Plans, Statements and Super Bills. For the patient the user
// acts for (a guardian sees their patient's, named at the top).
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Route, Routes, useParams } from 'react-router';
import { problemOfError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useClinicDates } from '../../app/dates';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { ScrollTable } from '../../components/ScrollTable';
import {
  receiptUrl,
  statementUrl,
  superbillUrl,
  useBillingSummary,
  useInvoice,
  useInvoices,
  usePayments,
  useStatements,
  useSuperbills,
  type Invoice,
  type Payment,
} from './billingApi';
import { EstimateDetail, EstimatesList } from './estimates/EstimatesPages';
import { MakePaymentDialog } from './MakePaymentDialog';
import { formatMoney, monthName } from './money';
import { PaymentPlans } from './PaymentPlans';
import './billing.css';

// Absolute addresses: relative ones inside the page's splat route would resolve under the current category.
const sections = [
  { to: '/billing', key: 'summary', end: true },
  { to: '/billing/invoices', key: 'invoices' },
  { to: '/billing/payments', key: 'payments' },
  { to: '/billing/estimates', key: 'estimates' },
  { to: '/billing/payment-plans', key: 'paymentPlans' },
  { to: '/billing/statements', key: 'statements' },
  { to: '/billing/superbills', key: 'superbills' },
] as const;

export function BillingPage() {
  const { t } = useTranslation();
  usePageTitle(t('billing.title'));
  const { me, patient, canSwitchPatient, patientPath } = useSession();
  const [paying, setPaying] = useState(false);
  const payButton = useRef<HTMLButtonElement>(null);
  const announce = useAnnounce();

  if (!patient) {
    return (
      <>
        <PageHeader title={t('billing.title')} />
        <div className="card">
          <p>{canSwitchPatient ? t('billing.choosePatient') : t('billing.noPatient')}</p>
        </div>
      </>
    );
  }
  const forSomeoneElse = patient.id !== me.user.id;

  const paid = (payment: Payment) => {
    setPaying(false);
    announce(
      payment.status === 'succeeded'
        ? t('billing.pay.received', { amount: formatMoney(payment.amount), receipt: payment.receiptNumber })
        : t('billing.pay.pending', { amount: formatMoney(payment.amount) }),
    );
    requestAnimationFrame(() => payButton.current?.focus());
  };

  return (
    <>
      <PageHeader title={t('billing.title')} lead={forSomeoneElse ? t('billing.leadFor', { name: patient.name }) : t('billing.lead')}>
        <Button variant="primary" className="button--pay" ref={payButton} onClick={() => setPaying(true)}>
          {t('billing.makePayment')}
        </Button>
      </PageHeader>
      <div className="billing-layout">
        <nav className="billing-nav" aria-label={t('billing.menuLabel')}>
          <ul>
            {sections.map((s) => (
              <li key={s.key}>
                <NavLink to={patientPath(s.to)} end={'end' in s} className="billing-nav__link">
                  {t(`billing.sections.${s.key}`)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="billing-content">
          <Routes>
            <Route index element={<Summary patientId={patient.id} />} />
            <Route path="invoices" element={<Invoices patientId={patient.id} />} />
            <Route path="invoices/:invoiceId" element={<InvoiceDetail patientId={patient.id} />} />
            <Route path="payments" element={<Payments patientId={patient.id} />} />
            <Route path="estimates" element={<EstimatesList patientId={patient.id} />} />
            <Route path="estimates/:estimateId" element={<EstimateDetail patientId={patient.id} />} />
            <Route path="payment-plans" element={<PaymentPlans patientId={patient.id} />} />
            <Route path="statements" element={<Statements patientId={patient.id} />} />
            <Route path="superbills" element={<Superbills patientId={patient.id} />} />
          </Routes>
        </div>
      </div>
      {paying && <MakePaymentDialog patientId={patient.id} onPaid={paid} onClose={() => setPaying(false)} />}
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="billing-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Summary({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const query = useBillingSummary(patientId);
  if (query.isPending) return <Loading>{t('billing.loading')}</Loading>;
  if (query.error) return <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />;
  const summary = query.data;
  const last = summary.lastPayment;
  return (
    <Section id="billing-summary-heading" title={t('billing.summary.title')}>
      <dl className="billing-summary">
        <div className="billing-summary__item billing-summary__item--balance">
          <dt>{t('billing.summary.balance')}</dt>
          <dd>{formatMoney(summary.balance)}</dd>
        </div>
        <div className="billing-summary__item">
          <dt>{t('billing.summary.overdue')}</dt>
          <dd>{formatMoney(summary.overdue)}</dd>
        </div>
        <div className="billing-summary__item">
          <dt>{t('billing.summary.nextInstalment')}</dt>
          <dd>
            {summary.nextInstalment ? (
              <Link to="/billing/payment-plans">
                {t('paymentPlans.summaryNext', {
                  amount: formatMoney(summary.nextInstalment.instalment.remaining),
                  date: dates.dayOf(summary.nextInstalment.instalment.dueOn, 'shortDay'),
                })}
              </Link>
            ) : (
              t('billing.summary.noPlan')
            )}
          </dd>
        </div>
        <div className="billing-summary__item">
          <dt>{t('billing.summary.lastPayment')}</dt>
          <dd>
            {last
              ? t('billing.summary.lastPaymentOn', { amount: formatMoney(last.amount), date: dates.date(last.receivedAt) })
              : t('billing.summary.none')}
          </dd>
        </div>
      </dl>
      <p>
        {summary.outstandingInvoices > 0 ? (
          <Link to="/billing/invoices">{t('billing.summary.outstanding', { count: summary.outstandingInvoices })}</Link>
        ) : (
          t('billing.summary.allPaid')
        )}
      </p>
    </Section>
  );
}

const statusClass = { open: 'badge--info', overdue: 'badge--warning', paid: 'badge--success' } as const;

function Invoices({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const query = useInvoices(patientId, true);
  return (
    <Section id="billing-invoices-heading" title={t('billing.sections.invoices')}>
      {query.isPending ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : query.error ? (
        <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />
      ) : query.data.length === 0 ? (
        <p>{t('billing.invoices.none')}</p>
      ) : (
        <ul className="billing-list">
          {query.data.map((invoice) => (
            <li key={invoice.id} className="card billing-item">
              <h3>
                <Link to={`/billing/invoices/${encodeURIComponent(invoice.id)}`}>
                  {t('billing.invoices.number', { number: invoice.number })}
                </Link>
              </h3>
              <p>
                <span className={`badge ${statusClass[invoice.status]}`}>{t(`billing.invoices.status.${invoice.status}`)}</span>{' '}
                {t('billing.invoices.issuedDue', { issued: dates.date(invoice.issuedAt), due: dates.dayOf(invoice.dueOn, 'shortDay') })}
              </p>
              <p className="billing-item__due">
                {t('billing.invoices.dueAmount', { amount: formatMoney(invoice.due), total: formatMoney(invoice.total) })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function InvoiceDetail({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const { invoiceId = '' } = useParams();
  const dates = useClinicDates();
  const query = useInvoice(patientId, invoiceId);
  if (query.isPending) return <Loading>{t('billing.loading')}</Loading>;
  if (query.error) return <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />;
  const invoice: Invoice = query.data;
  return (
    <Section id="billing-invoice-heading" title={t('billing.invoices.number', { number: invoice.number })}>
      <p>
        <span className={`badge ${statusClass[invoice.status]}`}>{t(`billing.invoices.status.${invoice.status}`)}</span>{' '}
        {t('billing.invoices.issuedDue', { issued: dates.date(invoice.issuedAt), due: dates.dayOf(invoice.dueOn, 'shortDay') })}
      </p>
      <ScrollTable
        labelledBy="billing-invoice-heading"
        columns={[
          t('billing.lines.date'),
          t('billing.lines.code'),
          t('billing.lines.description'),
          t('billing.lines.units'),
          t('billing.lines.amount'),
          t('billing.lines.paid'),
          t('billing.lines.due'),
        ]}
      >
        {invoice.lines.map((line, index) => (
          <tr key={index}>
            <td>{dates.dayOf(line.dateOfService, 'shortDay')}</td>
            <td>{[line.procedureCode, ...line.modifiers].join('-')}</td>
            <td>{line.description}</td>
            <td>{line.units}</td>
            <td>{formatMoney(line.amount)}</td>
            <td>{formatMoney(line.paid)}</td>
            <td>{formatMoney(line.due)}</td>
          </tr>
        ))}
      </ScrollTable>
      <dl className="billing-totals">
        <dt>{t('billing.invoices.total')}</dt>
        <dd>{formatMoney(invoice.total)}</dd>
        <dt>{t('billing.invoices.paid')}</dt>
        <dd>{formatMoney(invoice.paid)}</dd>
        {invoice.adjusted.amountMinor > 0 && (
          <>
            <dt>{t('billing.invoices.adjusted')}</dt>
            <dd>{formatMoney(invoice.adjusted)}</dd>
          </>
        )}
        {invoice.movedToPaymentPlan.amountMinor > 0 && (
          <>
            <dt>{t('paymentPlans.movedToPlan')}</dt>
            <dd>{formatMoney(invoice.movedToPaymentPlan)}</dd>
          </>
        )}
        <dt>{t('billing.invoices.due')}</dt>
        <dd>{formatMoney(invoice.due)}</dd>
      </dl>
      <p>
        <Link to="/billing/invoices">{t('billing.invoices.back')}</Link>
      </p>
    </Section>
  );
}

const methodKey = { card_online: 'cardOnline', cash: 'cash', check: 'check', card_terminal: 'cardTerminal' } as const;

function Payments({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const query = usePayments(patientId);
  return (
    <Section id="billing-payments-heading" title={t('billing.sections.payments')}>
      {query.isPending ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : query.error ? (
        <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />
      ) : query.data.length === 0 ? (
        <p>{t('billing.payments.none')}</p>
      ) : (
        <ul className="billing-list">
          {query.data.map((payment) => (
            <li key={payment.id} className="card billing-item">
              <h3>{t('billing.payments.heading', { amount: formatMoney(payment.amount), date: dates.date(payment.receivedAt) })}</h3>
              <p>
                {t(`billing.payments.status.${payment.status}`)} · {t(`billing.payments.method.${methodKey[payment.method]}`)}
                {payment.reference && ` · ${t('billing.payments.reference', { reference: payment.reference })}`}
                {payment.refunded.amountMinor > 0 && ` · ${t('billing.payments.refunded', { amount: formatMoney(payment.refunded) })}`}
              </p>
              {payment.failureReason && <p>{payment.failureReason}</p>}
              {payment.allocations.length > 0 && (
                <ul className="billing-applied" aria-label={t('billing.payments.appliedTo')}>
                  {payment.allocations.map((a) => (
                    <li key={a.invoiceId}>{t('billing.payments.applied', { amount: formatMoney(a.amount), number: a.invoiceNumber })}</li>
                  ))}
                </ul>
              )}
              {payment.status === 'succeeded' && (
                <a href={receiptUrl(patientId, payment.id)} download>
                  {t('billing.payments.receipt', { number: payment.receiptNumber })}
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Statements({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const query = useStatements(patientId);
  return (
    <Section id="billing-statements-heading" title={t('billing.sections.statements')}>
      {query.isPending ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : query.error ? (
        <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />
      ) : query.data.length === 0 ? (
        <p>{t('billing.statements.none')}</p>
      ) : (
        <ul className="billing-list">
          {query.data.map((statement) => {
            const month = monthName(statement.month);
            return (
              <li key={statement.month} className="card billing-item">
                <h3>{month}</h3>
                <p>
                  {t('billing.statements.totals', {
                    previous: formatMoney(statement.previousBalance),
                    charges: formatMoney(statement.charges),
                    payments: formatMoney(statement.payments),
                    // What the month had beyond charges and payments, so the sums add up on the card.
                    more: (['adjustments', 'movedToPaymentPlans', 'refunds'] as const)
                      .filter((kind) => statement[kind].amountMinor !== 0)
                      .map((kind) => t(`billing.statements.${kind}`, { amount: formatMoney(statement[kind]) }))
                      .join(''),
                    balance: formatMoney(statement.newBalance),
                  })}
                </p>
                <a href={statementUrl(patientId, statement.month)} download>
                  {t('billing.statements.download', { month })}
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function Superbills({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const query = useSuperbills(patientId);
  return (
    <Section id="billing-superbills-heading" title={t('billing.sections.superbills')}>
      <p>{t('billing.superbills.lead')}</p>
      {query.isPending ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : query.error ? (
        <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />
      ) : query.data.length === 0 ? (
        <p>{t('billing.superbills.none')}</p>
      ) : (
        <ul className="billing-list">
          {query.data.map((superbill) => {
            const period = t('billing.superbills.period', {
              from: dates.dayOf(superbill.firstDateOfService, 'shortDay'),
              to: dates.dayOf(superbill.lastDateOfService, 'shortDay'),
            });
            return (
              <li key={superbill.id} className="card billing-item">
                <h3>{period}</h3>
                <p>
                  {t('billing.superbills.totals', {
                    count: superbill.lines.length,
                    charges: formatMoney(superbill.totalCharges),
                    paid: formatMoney(superbill.totalPaid),
                  })}
                </p>
                <a href={superbillUrl(patientId, superbill.id)} download>
                  {t('billing.superbills.download', { period })}
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
