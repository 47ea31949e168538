// Billing → Payment Plans: each plan with its total, what is paid and what is left, the next
// instalment, and the whole schedule (date, amount, paid, status); a cancelled plan says when and
// what went back onto the balance. Read-only for the patient: the clinic makes and cancels plans;
// an instalment becomes a charge on its date and is paid like any invoice.
import { useTranslation } from 'react-i18next';
import { problemOfError } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';
import { ScrollTable } from '../../components/ScrollTable';
import { formatMoney } from './money';
import { usePaymentPlans, type Instalment, type PaymentPlan } from './paymentPlansApi';

export const instalmentBadge = {
  scheduled: 'badge--info',
  due: 'badge--info',
  overdue: 'badge--warning',
  paid: 'badge--success',
  cancelled: 'badge--inactive',
} as const;
const planBadge = { active: 'badge--info', completed: 'badge--success', cancelled: 'badge--inactive' } as const;

export function PaymentPlans({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const query = usePaymentPlans(patientId);
  return (
    <section aria-labelledby="billing-paymentPlans-heading" className="billing-section">
      <h2 id="billing-paymentPlans-heading">{t('billing.sections.paymentPlans')}</h2>
      {query.isPending ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : query.error ? (
        <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />
      ) : query.data.length === 0 ? (
        <p>{t('paymentPlans.none')}</p>
      ) : (
        <ul className="billing-list">
          {query.data.map((plan) => (
            <li key={plan.id} className="card billing-item">
              <PlanCard plan={plan} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PlanCard({ plan }: { plan: PaymentPlan }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const headingId = `plan-${plan.id}`;
  return (
    <>
      <h3 id={headingId}>{t('paymentPlans.heading', { number: plan.number })}</h3>
      <p>
        <span className={`badge ${planBadge[plan.status]}`}>{t(`paymentPlans.status.${plan.status}`)}</span>{' '}
        {t('paymentPlans.terms', {
          count: plan.instalments.length,
          frequency: t(`paymentPlans.frequency.${plan.frequency}`),
        })}
      </p>
      <dl className="billing-totals">
        <dt>{t('paymentPlans.total')}</dt>
        <dd>{formatMoney(plan.total)}</dd>
        <dt>{t('paymentPlans.paid')}</dt>
        <dd>{formatMoney(plan.paid)}</dd>
        <dt>{t('paymentPlans.remaining')}</dt>
        <dd>{formatMoney(plan.remaining)}</dd>
      </dl>
      {plan.covers.length > 0 && (
        <p>
          {t('paymentPlans.covers', {
            invoices: plan.covers
              .map((c) => t('paymentPlans.cover', { number: c.invoiceNumber, amount: formatMoney(c.amount) }))
              .join(', '),
          })}
        </p>
      )}
      <p className="billing-item__due">
        <PlanOutlook plan={plan} />
      </p>
      <ScrollTable
        labelledBy={headingId}
        columns={[
          t('paymentPlans.columns.number'),
          t('paymentPlans.columns.date'),
          t('paymentPlans.columns.amount'),
          t('paymentPlans.columns.paid'),
          t('paymentPlans.columns.status'),
        ]}
      >
        {plan.instalments.map((instalment) => (
          <tr key={instalment.number}>
            <td>{instalment.number}</td>
            <td>{dates.dayOf(instalment.dueOn, 'shortDay')}</td>
            <td>{formatMoney(instalment.amount)}</td>
            <td>{formatMoney(instalment.paid)}</td>
            <td>
              <span className={`badge ${instalmentBadge[instalment.status]}`}>
                {t(`paymentPlans.instalmentStatus.${instalment.status}`)}
              </span>
            </td>
          </tr>
        ))}
      </ScrollTable>
    </>
  );
}

/** What comes next of a plan: its next instalment, that all are paid, or when it was cancelled and what went back onto the balance. */
export function PlanOutlook({ plan }: { plan: PaymentPlan }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  if (plan.cancellation)
    return (
      <>
        {t(plan.cancellation.remainderInvoiceNumber ? 'paymentPlans.cancelledReturned' : 'paymentPlans.cancelledOn', {
          date: dates.date(plan.cancellation.cancelledAt),
          amount: formatMoney(plan.cancellation.returnedToBalance),
          invoice: plan.cancellation.remainderInvoiceNumber,
        })}
      </>
    );
  return plan.nextInstalment ? <NextInstalment instalment={plan.nextInstalment} /> : <>{t('paymentPlans.allPaid')}</>;
}

/** "Next: $83.34 on Tue, Dec 15 (instalment 1)". */
export function NextInstalment({ instalment }: { instalment: Instalment }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const amount = formatMoney(instalment.remaining);
  const date = dates.dayOf(instalment.dueOn, 'shortDay');
  return <>{t('paymentPlans.next', { amount, date, number: instalment.number })}</>;
}
