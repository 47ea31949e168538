// The Make a Payment dialog: what to pay (the whole balance, chosen outstanding invoices, or an
// amount not more than the balance) and the card. Locally and in the demo clinic the card is taken
// by the sandbox's own form, which turns one of its test card numbers into the sandbox's token in
// the browser: the number itself is never sent. One idempotency key per attempt makes a double
// click or a retry after a lost answer charge once; a declined card gets a fresh key to try again.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey, problemOfError, type Problem } from '../../app/api';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FieldGroup, TextField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';
import { useBillingChanges, useBillingSummary, useInvoices, usePaymentSettings, type NewPayment, type Payment } from './billingApi';
import { formatMoney, parseAmount } from './money';

/** The sandbox's test cards (see the billing service's sandbox processor): number → token. */
export const SANDBOX_TEST_CARDS: Record<string, string> = {
  '4242424242424242': 'sandbox_card_4242',
  '4000000000000002': 'sandbox_card_0002',
  '4000000000000119': 'sandbox_card_0119',
};

type What = 'whole_balance' | 'invoices' | 'amount';

interface PaymentForm {
  what: What;
  invoiceIds: string[];
  amount: string;
  cardNumber: string;
}

export function MakePaymentDialog({ patientId, onPaid, onClose }: { patientId: string; onPaid(payment: Payment): void; onClose(): void }) {
  const { t } = useTranslation();
  const summary = useBillingSummary(patientId);
  const invoices = useInvoices(patientId, true);
  const settings = usePaymentSettings();
  const { pay } = useBillingChanges(patientId);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [declined, setDeclined] = useState('');
  const form = useForm<PaymentForm>({ defaultValues: { what: 'whole_balance', invoiceIds: [], amount: '', cardNumber: '' } });
  const { register, handleSubmit, watch, formState } = form;
  const { errors } = formState;
  const what = watch('what');

  const loading = summary.isPending || invoices.isPending || settings.isPending;
  const loadProblem = summary.error ?? invoices.error ?? settings.error;
  const balance = summary.data?.balance;
  const currency = balance?.currency ?? 'USD';

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    setDeclined('');
    const token = SANDBOX_TEST_CARDS[values.cardNumber.replace(/[\s-]/g, '')] ?? '';
    let body: NewPayment;
    if (values.what === 'invoices') body = { pay: 'invoices', invoiceIds: values.invoiceIds, paymentMethodToken: token };
    else if (values.what === 'amount') {
      const parsed = parseAmount(values.amount, currency);
      if (!('amountMinor' in parsed)) return;
      body = { pay: 'amount', amount: { amountMinor: parsed.amountMinor, currency }, paymentMethodToken: token };
    } else body = { pay: 'whole_balance', paymentMethodToken: token };
    try {
      const payment = await pay.mutateAsync({ body, idempotencyKey });
      if (payment.status === 'failed') {
        // This attempt is over: another try is another payment, with a key of its own.
        setIdempotencyKey(newIdempotencyKey());
        setDeclined(payment.failureReason || t('billing.pay.declined'));
        return;
      }
      onPaid(payment);
    } catch (error) {
      setProblem(problemOfError(error));
    }
  });

  const amountRule = (text: string) => {
    if (what !== 'amount') return true;
    const parsed = parseAmount(text, currency);
    if ('problem' in parsed) return t(`billing.pay.amountProblem.${parsed.problem}`);
    if (balance && parsed.amountMinor > balance.amountMinor) return t('billing.pay.amountOverBalance', { balance: formatMoney(balance) });
    return true;
  };

  return (
    <Dialog title={t('billing.pay.title')} onClose={onClose} description={t('billing.pay.description')}>
      {loading ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : loadProblem ? (
        <ProblemMessage problem={problemOfError(loadProblem)} heading={t('billing.couldNotLoad')} />
      ) : balance && balance.amountMinor <= 0 ? (
        <>
          <p>{t('billing.pay.nothingDue')}</p>
          <div className="form-actions">
            <Button onClick={onClose}>{t('common.close')}</Button>
          </div>
        </>
      ) : (
        <form onSubmit={submit} noValidate className="payment-form">
          {problem && <ProblemMessage problem={problem} heading={t('billing.pay.notPaid')} />}
          {declined && (
            <p className="problem problem--inline" role="alert">
              {t('billing.pay.declinedWith', { reason: declined })}
            </p>
          )}
          <FieldGroup legend={t('billing.pay.what')} error={errors.invoiceIds?.message}>
            <div className="choice">
              <input id="pay-whole" type="radio" value="whole_balance" {...register('what')} />
              <label htmlFor="pay-whole">{t('billing.pay.wholeBalance', { amount: balance ? formatMoney(balance) : '' })}</label>
            </div>
            <div className="choice">
              <input id="pay-invoices" type="radio" value="invoices" {...register('what')} />
              <label htmlFor="pay-invoices">{t('billing.pay.chosenInvoices')}</label>
            </div>
            {what === 'invoices' && (
              <div className="payment-form__invoices">
                {(invoices.data ?? []).map((invoice) => (
                  <div className="choice" key={invoice.id}>
                    <input
                      id={`pay-invoice-${invoice.id}`}
                      type="checkbox"
                      value={invoice.id}
                      {...register('invoiceIds', {
                        validate: (v) => what !== 'invoices' || v.length > 0 || t('billing.pay.chooseInvoice'),
                      })}
                    />
                    <label htmlFor={`pay-invoice-${invoice.id}`}>
                      {t('billing.pay.invoiceChoice', { number: invoice.number, amount: formatMoney(invoice.due) })}
                    </label>
                  </div>
                ))}
              </div>
            )}
            <div className="choice">
              <input id="pay-amount" type="radio" value="amount" {...register('what')} />
              <label htmlFor="pay-amount">{t('billing.pay.otherAmount')}</label>
            </div>
          </FieldGroup>
          {what === 'amount' && (
            <TextField
              label={t('billing.pay.amount', { currency })}
              hint={t('billing.pay.amountHint', { balance: balance ? formatMoney(balance) : '' })}
              error={errors.amount?.message}
              inputMode="decimal"
              autoComplete="off"
              inputClassName="input--short"
              {...register('amount', { validate: amountRule })}
            />
          )}
          {settings.data?.processor === 'stripe' ? (
            <p className="problem problem--inline">{t('billing.pay.stripeUnavailable')}</p>
          ) : (
            <TextField
              label={t('billing.pay.cardNumber')}
              hint={t('billing.pay.sandboxHint')}
              error={errors.cardNumber?.message}
              inputMode="numeric"
              autoComplete="off"
              {...register('cardNumber', {
                validate: (v) => Boolean(SANDBOX_TEST_CARDS[v.replace(/[\s-]/g, '')]) || t('billing.pay.sandboxCardOnly'),
              })}
            />
          )}
          <div className="form-actions">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="submit"
              variant="primary"
              className="button--pay"
              busy={formState.isSubmitting}
              busyLabel={t('billing.pay.paying')}
            >
              {t('billing.pay.submit')}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
