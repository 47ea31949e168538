// Payment plans on a patient's record for staff: the plans with what is paid and what comes next,
// cancelling one (after a confirmation: what it has not billed goes back onto the balance), and
// the dialog that makes one — the whole balance or an amount of it, a number of instalments,
// how often, and the first date. The billing service checks the terms again and splits the total
// exactly (the first instalments carry the cents that do not divide evenly).
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey, problemOfError, type Problem } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useClinicDates } from '../../app/dates';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { FieldGroup, FormField, TextField } from '../../components/FormField';
import { ProblemMessage } from '../../components/ProblemMessage';
import { ScrollTable } from '../../components/ScrollTable';
import type { Invoice } from './billingApi';
import { formatMoney, parseAmount } from './money';
import { PlanOutlook } from './PaymentPlans';
import { useCancelPaymentPlan, useCreatePaymentPlan, usePaymentPlans, type NewPaymentPlan, type PaymentPlan } from './paymentPlansApi';

export function StaffPaymentPlans({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const query = usePaymentPlans(patientId);
  const [cancelling, setCancelling] = useState<PaymentPlan | null>(null);
  const cancel = useCancelPaymentPlan(patientId);
  const announce = useAnnounce();
  // The cancelled plan's button is gone: focus goes to the heading of the plans rather than the page's top.
  // After the dialog is gone, or its own hand-back of focus (to the vanished button) would win.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [focusHeading, setFocusHeading] = useState(false);
  useEffect(() => {
    if (!focusHeading || cancelling) return;
    headingRef.current?.focus();
    setFocusHeading(false);
  }, [focusHeading, cancelling]);
  if (!query.data?.length) return null;

  const confirmCancel = async (plan: PaymentPlan) => {
    const cancelled = await cancel.mutateAsync(plan.id);
    setCancelling(null);
    setFocusHeading(true);
    announce(
      t('paymentPlans.staff.cancelled', {
        number: cancelled.number,
        amount: formatMoney(cancelled.cancellation?.returnedToBalance ?? { amountMinor: 0, currency: cancelled.total.currency }),
      }),
    );
  };

  return (
    <>
      <h3 id="record-plans-heading" ref={headingRef} tabIndex={-1}>
        {t('billing.sections.paymentPlans')}
      </h3>
      <ScrollTable
        labelledBy="record-plans-heading"
        columns={[
          t('paymentPlans.columns.plan'),
          t('paymentPlans.columns.status'),
          t('paymentPlans.total'),
          t('paymentPlans.paid'),
          t('paymentPlans.columns.next'),
          t('paymentPlans.columns.actions'),
        ]}
      >
        {query.data.map((plan) => (
          <tr key={plan.id}>
            <td>{plan.number}</td>
            <td>{t(`paymentPlans.status.${plan.status}`)}</td>
            <td>{formatMoney(plan.total)}</td>
            <td>{formatMoney(plan.paid)}</td>
            <td>
              <PlanOutlook plan={plan} />
            </td>
            <td>
              {cancellable(plan) && (
                <Button onClick={() => setCancelling(plan)}>
                  {t('paymentPlans.staff.cancel')}
                  <span className="visually-hidden"> {plan.number}</span>
                </Button>
              )}
            </td>
          </tr>
        ))}
      </ScrollTable>
      {cancelling && (
        <ConfirmDialog
          title={t('paymentPlans.staff.cancelTitle', { number: cancelling.number })}
          confirmLabel={t('paymentPlans.staff.cancelConfirm')}
          busyLabel={t('paymentPlans.staff.cancelling')}
          dismissLabel={t('paymentPlans.staff.keep')}
          variant="danger"
          onConfirm={() => confirmCancel(cancelling)}
          onClose={() => setCancelling(null)}
        >
          <CancellationTerms plan={cancelling} />
        </ConfirmDialog>
      )}
    </>
  );
}

/** An active plan with an instalment not billed yet: the service refuses the others. */
const cancellable = (plan: PaymentPlan) => plan.status === 'active' && plan.instalments.some((i) => i.status === 'scheduled');

/** What cancelling will do, in figures: the instalments not billed, and that their amount is owed at once. */
function CancellationTerms({ plan }: { plan: PaymentPlan }) {
  const { t } = useTranslation();
  const scheduled = plan.instalments.filter((i) => i.status === 'scheduled');
  const amountMinor = scheduled.reduce((total, i) => total + i.amount.amountMinor, 0);
  return (
    <>
      <p>
        {t('paymentPlans.staff.cancelBody', {
          count: scheduled.length,
          amount: formatMoney({ amountMinor, currency: plan.total.currency }),
        })}
      </p>
      <p>{t('paymentPlans.staff.cancelBilledStay')}</p>
    </>
  );
}

const frequencies = ['monthly', 'every_two_weeks', 'weekly'] as const;

interface PlanForm {
  invoiceIds: string[];
  amount: string;
  instalmentCount: string;
  frequency: NewPaymentPlan['frequency'];
  firstDueOn: string;
}

export function NewPaymentPlanDialog({
  patientId,
  currency,
  invoices,
  onClose,
  onDone,
}: {
  patientId: string;
  currency: string;
  /** The patient's invoices: those with something due can be chosen. */
  invoices: Invoice[];
  onClose(): void;
  onDone(message: string): void;
}) {
  const outstanding = invoices.filter((i) => i.due.amountMinor > 0);
  const { t } = useTranslation();
  const dates = useClinicDates();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [problem, setProblem] = useState<Problem | null>(null);
  const create = useCreatePaymentPlan(patientId);
  const { register, handleSubmit, formState } = useForm<PlanForm>({
    defaultValues: { invoiceIds: [], amount: '', instalmentCount: '3', frequency: 'monthly', firstDueOn: dates.today() },
  });
  const { errors } = formState;

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    const amount = values.amount.trim() ? parseAmount(values.amount, currency) : undefined;
    if (amount && !('amountMinor' in amount)) return;
    try {
      const plan = await create.mutateAsync({
        idempotencyKey,
        body: {
          ...(values.invoiceIds.length ? { invoiceIds: values.invoiceIds } : {}),
          ...(amount ? { amount: { amountMinor: amount.amountMinor, currency } } : {}),
          instalmentCount: Number(values.instalmentCount),
          frequency: values.frequency,
          firstDueOn: values.firstDueOn,
        },
      });
      onDone(t('paymentPlans.staff.created', { number: plan.number, total: formatMoney(plan.total), count: plan.instalments.length }));
    } catch (error) {
      setProblem(problemOfError(error));
    }
  });

  return (
    <Dialog title={t('paymentPlans.staff.new')} onClose={onClose} description={t('paymentPlans.staff.hint')}>
      <form onSubmit={submit} noValidate>
        {problem && <ProblemMessage problem={problem} heading={t('paymentPlans.staff.notCreated')} />}
        {outstanding.length > 0 && (
          <FieldGroup legend={t('paymentPlans.staff.invoices')}>
            <p className="field__hint">{t('paymentPlans.staff.invoicesHint')}</p>
            {outstanding.map((invoice) => (
              <div className="choice" key={invoice.id}>
                <input id={`plan-invoice-${invoice.id}`} type="checkbox" value={invoice.id} {...register('invoiceIds')} />
                <label htmlFor={`plan-invoice-${invoice.id}`}>
                  {t('billing.pay.invoiceChoice', { number: invoice.number, amount: formatMoney(invoice.due) })}
                </label>
              </div>
            ))}
          </FieldGroup>
        )}
        <TextField
          label={t('paymentPlans.staff.amount', { currency })}
          hint={t('paymentPlans.staff.amountHint')}
          optional
          error={errors.amount?.message}
          inputMode="decimal"
          inputClassName="input--short"
          {...register('amount', {
            validate: (v) => {
              if (!v.trim()) return true;
              const parsed = parseAmount(v, currency);
              return 'amountMinor' in parsed || t(`billing.pay.amountProblem.${parsed.problem}`);
            },
          })}
        />
        <div className="field-row">
          <TextField
            label={t('paymentPlans.staff.count')}
            hint={t('paymentPlans.staff.countHint')}
            error={errors.instalmentCount?.message}
            inputMode="numeric"
            inputClassName="input--short"
            {...register('instalmentCount', {
              validate: (v) => (/^\d{1,2}$/.test(v) && Number(v) >= 2 && Number(v) <= 36) || t('paymentPlans.staff.countInvalid'),
            })}
          />
          <FormField label={t('paymentPlans.staff.frequency')}>
            {(control) => (
              <select {...control} {...register('frequency')}>
                {frequencies.map((f) => (
                  <option key={f} value={f}>
                    {t(`paymentPlans.frequency.${f}`)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
        <FormField label={t('paymentPlans.staff.firstDate')} error={errors.firstDueOn?.message}>
          {(control) => (
            <input
              {...control}
              type="date"
              min={dates.today()}
              {...register('firstDueOn', {
                validate: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) && v >= dates.today()) || t('paymentPlans.staff.firstDateInvalid'),
              })}
            />
          )}
        </FormField>
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('paymentPlans.staff.creating')}>
            {t('paymentPlans.staff.create')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
