// Staff: every payment of the clinic, newest first — online, at the front desk, declined or still
// being confirmed — each linking to its patient's record.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { call, problemOfError } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { usePageTitle } from '../../app/usePageTitle';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { ScrollTable } from '../../components/ScrollTable';
import { formatMoney } from './money';
import './billing.css';

const methodKey = { card_online: 'cardOnline', cash: 'cash', check: 'check', card_terminal: 'cardTerminal' } as const;

export function StaffPaymentsPage() {
  const { t } = useTranslation();
  usePageTitle(t('billing.staff.clinicPayments'));
  const dates = useClinicDates();
  const query = useQuery({
    queryKey: ['staff', 'billing', 'payments'],
    queryFn: async ({ signal }) => (await call('get', '/api/v1/staff/billing/payments', { query: { pageSize: '100' }, signal })).payments,
  });
  return (
    <>
      <PageHeader title={t('billing.staff.clinicPayments')} lead={t('billing.staff.clinicPaymentsLead')} />
      <section aria-labelledby="clinic-payments-heading">
        <h2 id="clinic-payments-heading" className="visually-hidden">
          {t('billing.staff.clinicPayments')}
        </h2>
        {query.isPending ? (
          <Loading>{t('billing.loading')}</Loading>
        ) : query.error ? (
          <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />
        ) : query.data.length === 0 ? (
          <p>{t('billing.payments.none')}</p>
        ) : (
          <ScrollTable
            labelledBy="clinic-payments-heading"
            columns={[
              t('billing.staff.receipt'),
              t('billing.staff.received'),
              t('billing.lines.amount'),
              t('billing.staff.method'),
              t('billing.staff.status'),
            ]}
          >
            {query.data.map((payment) => (
              <tr key={payment.id}>
                <td>
                  <Link to={`/staff/patients/${encodeURIComponent(payment.patientId)}`}>{payment.receiptNumber}</Link>
                </td>
                <td>{dates.dateTime(payment.receivedAt)}</td>
                <td>{formatMoney(payment.amount)}</td>
                <td>{t(`billing.payments.method.${methodKey[payment.method]}`)}</td>
                <td>{t(`billing.payments.status.${payment.status}`)}</td>
              </tr>
            ))}
          </ScrollTable>
        )}
      </section>
    </>
  );
}
