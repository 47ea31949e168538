// The Billing section of a patient's record for staff: every invoice with what it still owes, the
// payments, payment plans, and the clinic's changes — issuing an invoice (StaffBillingForms: one
// line per service), recording a payment taken at the front desk, a payment plan, an adjustment,
// a refund and a superbill. The billing service checks again that the patient is the clinic's.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey, problemOfError, type Problem } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useClinicDates } from '../../app/dates';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FormField, TextField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';
import { ScrollTable } from '../../components/ScrollTable';
import { useBillingChanges, useBillingSummary, useInvoices, usePayments, type FrontDeskPayment } from './billingApi';
import { formatMoney, parseAmount } from './money';
import { AdjustInvoiceDialog, MultiLineInvoiceDialog, RefundPaymentDialog, SuperbillDialog } from './StaffBillingForms';
import { NewPaymentPlanDialog, StaffPaymentPlans } from './StaffPaymentPlans';
import './billing.css';

type Editing = 'invoice' | 'payment' | 'plan' | 'adjust' | 'refund' | 'superbill' | null;

export function StaffBilling({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const summary = useBillingSummary(patientId);
  const invoices = useInvoices(patientId, false);
  const payments = usePayments(patientId);
  const [editing, setEditing] = useState<Editing>(null);
  const announce = useAnnounce();
  const problem = summary.error ?? invoices.error ?? payments.error;

  const done = (message: string) => {
    setEditing(null);
    announce(message);
  };
  const dialog = { patientId, currency: summary.data?.balance.currency ?? 'USD', onClose: () => setEditing(null), onDone: done };

  return (
    <>
      <div className="section-header">
        <h2 id="record-billing-heading">{t('billing.title')}</h2>
        <div className="billing-staff-actions">
          <Button onClick={() => setEditing('invoice')}>{t('billing.staff.newInvoice')}</Button>
          <Button onClick={() => setEditing('payment')}>{t('billing.staff.recordPayment')}</Button>
          <Button onClick={() => setEditing('plan')}>{t('paymentPlans.staff.new')}</Button>
          <Button onClick={() => setEditing('adjust')} disabled={!invoices.data?.some((i) => i.due.amountMinor > 0)}>
            {t('staffBillingForms.adjust')}
          </Button>
          <Button
            onClick={() => setEditing('refund')}
            disabled={!payments.data?.some((p) => p.status === 'succeeded' && p.refunded.amountMinor < p.amount.amountMinor)}
          >
            {t('staffBillingForms.refund')}
          </Button>
          <Button onClick={() => setEditing('superbill')} disabled={!invoices.data?.length}>
            {t('staffBillingForms.superbill')}
          </Button>
        </div>
      </div>
      {problem ? (
        <ProblemMessage problem={problemOfError(problem)} heading={t('billing.couldNotLoad')} />
      ) : !summary.data || !invoices.data || !payments.data ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : (
        <>
          <p>{t('billing.staff.balance', { balance: formatMoney(summary.data.balance), overdue: formatMoney(summary.data.overdue) })}</p>
          <h3 id="record-invoices-heading">{t('billing.staff.invoices')}</h3>
          {invoices.data.length === 0 ? (
            <p>{t('billing.invoices.noneAtAll')}</p>
          ) : (
            <ScrollTable
              labelledBy="record-invoices-heading"
              columns={[
                t('billing.staff.number'),
                t('billing.staff.issued'),
                t('billing.lines.amount'),
                t('billing.lines.due'),
                t('billing.staff.status'),
              ]}
            >
              {invoices.data.map((invoice) => (
                <tr key={invoice.id}>
                  <td>{invoice.number}</td>
                  <td>{dates.date(invoice.issuedAt)}</td>
                  <td>{formatMoney(invoice.total)}</td>
                  <td>{formatMoney(invoice.due)}</td>
                  <td>
                    {t(`billing.invoices.status.${invoice.status}`)}
                    {invoice.movedToPaymentPlan.amountMinor > 0 && (
                      <>
                        <br />
                        {t('paymentPlans.movedToPlanAmount', { amount: formatMoney(invoice.movedToPaymentPlan) })}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </ScrollTable>
          )}
          <StaffPaymentPlans patientId={patientId} />
          <h3 id="record-payments-heading">{t('billing.sections.payments')}</h3>
          {payments.data.length === 0 ? (
            <p>{t('billing.payments.none')}</p>
          ) : (
            <ScrollTable
              labelledBy="record-payments-heading"
              columns={[t('billing.staff.receipt'), t('billing.staff.received'), t('billing.lines.amount'), t('billing.staff.status')]}
            >
              {payments.data.map((payment) => (
                <tr key={payment.id}>
                  <td>{payment.receiptNumber}</td>
                  <td>{dates.date(payment.receivedAt)}</td>
                  <td>{formatMoney(payment.amount)}</td>
                  <td>{t(`billing.payments.status.${payment.status}`)}</td>
                </tr>
              ))}
            </ScrollTable>
          )}
        </>
      )}
      {editing === 'invoice' && <MultiLineInvoiceDialog {...dialog} />}
      {editing === 'adjust' && <AdjustInvoiceDialog {...dialog} invoices={invoices.data ?? []} />}
      {editing === 'refund' && <RefundPaymentDialog {...dialog} payments={payments.data ?? []} />}
      {editing === 'superbill' && <SuperbillDialog {...dialog} invoices={invoices.data ?? []} />}
      {editing === 'plan' && <NewPaymentPlanDialog {...dialog} invoices={invoices.data ?? []} />}
      {editing === 'payment' && (
        <FrontDeskPaymentDialog
          patientId={patientId}
          currency={summary.data?.balance.currency ?? 'USD'}
          onClose={() => setEditing(null)}
          onDone={(amount) => done(t('billing.staff.paymentRecorded', { amount }))}
        />
      )}
    </>
  );
}

const deskMethods = ['cash', 'check', 'card_terminal'] as const;
const deskMethodKey = { cash: 'cash', check: 'check', card_terminal: 'cardTerminal' } as const;

function FrontDeskPaymentDialog({
  patientId,
  currency,
  onClose,
  onDone,
}: {
  patientId: string;
  currency: string;
  onClose(): void;
  onDone(amount: string): void;
}) {
  const { t } = useTranslation();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [problem, setProblem] = useState<Problem | null>(null);
  const { recordPayment } = useBillingChanges(patientId);
  const form = useForm<{ amount: string; method: FrontDeskPayment['method']; reference: string }>({
    defaultValues: { amount: '', method: 'cash', reference: '' },
  });
  const { register, handleSubmit, formState } = form;
  const { errors } = formState;

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    const parsed = parseAmount(values.amount, currency);
    if (!('amountMinor' in parsed)) return;
    try {
      const payment = await recordPayment.mutateAsync({
        idempotencyKey,
        body: { amount: { amountMinor: parsed.amountMinor, currency }, method: values.method, reference: values.reference.trim() },
      });
      onDone(formatMoney(payment.amount));
    } catch (error) {
      setProblem(problemOfError(error));
    }
  });

  return (
    <Dialog title={t('billing.staff.recordPayment')} onClose={onClose} description={t('billing.staff.recordPaymentHint')}>
      <form onSubmit={submit} noValidate>
        {problem && <ProblemMessage problem={problem} heading={t('billing.staff.notRecorded')} />}
        <TextField
          label={t('billing.pay.amount', { currency })}
          error={errors.amount?.message}
          inputMode="decimal"
          inputClassName="input--short"
          {...register('amount', {
            validate: (v) => {
              const parsed = parseAmount(v, currency);
              return 'amountMinor' in parsed || t(`billing.pay.amountProblem.${parsed.problem}`);
            },
          })}
        />
        <FormField label={t('billing.staff.method')}>
          {(control) => (
            <select {...control} {...register('method')}>
              {deskMethods.map((m) => (
                <option key={m} value={m}>
                  {t(`billing.payments.method.${deskMethodKey[m]}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <TextField label={t('billing.staff.reference')} optional maxLength={64} autoComplete="off" {...register('reference')} />
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('billing.staff.recording')}>
            {t('billing.staff.record')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
