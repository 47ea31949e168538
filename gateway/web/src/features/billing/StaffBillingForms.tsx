// The staff's billing forms on a patient's record, for what the billing API takes: an invoice of
// several lines (added and removed; each with its rendering provider's NPI and the patient's Good
// Faith Estimate it falls under, which the $400 rule compares), an adjustment of an invoice, a refund of a payment, and a
// superbill of chosen services (several dates of service). Each shows what the gateway or the
// billing service refused next to its field; each retry of one submission carries one
// Idempotency-Key, so a double click changes nothing twice.
import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { call, newIdempotencyKey, problemOfError, type RequestBodyOf } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { readable, useServerProblem } from '../../app/formErrors';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FormField, TextField } from '../../components/FormField';
import { FormSummary } from '../../components/FormSummary';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBillingChanges, type Invoice, type Payment } from './billingApi';
import { useEstimates, type Estimate } from './estimates/estimatesApi';
import { formatMoney, parseAmount } from './money';

type Superbill = RequestBodyOf<'/api/v1/staff/patients/{patientId}/billing/superbills', 'post'>;
const staffBase = '/api/v1/staff/patients/{patientId}/billing';

/** Adjust, refund and superbill: each a change of the patient's billing, refreshing all of it. */
function useStaffChanges(patientId: string) {
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: ['patients', patientId, 'billing'] });
  const headers = (key: string) => ({ 'idempotency-key': key });
  return {
    adjust: useMutation({
      mutationFn: async (v: { invoiceId: string; amountMinor: number; currency: string; reason: string; key: string }) =>
        (
          await call('post', `${staffBase}/invoices/{invoiceId}/adjustments`, {
            path: { patientId, invoiceId: v.invoiceId },
            body: { amount: { amountMinor: v.amountMinor, currency: v.currency }, reason: v.reason },
            headers: headers(v.key),
          })
        ).invoice,
      onSettled,
    }),
    refund: useMutation({
      mutationFn: async (v: { paymentId: string; amountMinor: number; currency: string; reason: string; key: string }) =>
        (
          await call('post', `${staffBase}/payments/{paymentId}/refunds`, {
            path: { patientId, paymentId: v.paymentId },
            body: { amount: { amountMinor: v.amountMinor, currency: v.currency }, reason: v.reason },
            headers: headers(v.key),
          })
        ).payment,
      onSettled,
    }),
    superbill: useMutation({
      mutationFn: async (v: { body: Superbill; key: string }) =>
        (await call('post', `${staffBase}/superbills`, { path: { patientId }, body: v.body, headers: headers(v.key) })).superbill,
      onSettled,
    }),
  };
}

interface Props {
  patientId: string;
  currency: string;
  onClose(): void;
  onDone(message: string): void;
}

/** The rule of an amount field: whole cents, more than zero; its problem in the form's words. */
function useAmountRule(currency: string): (v: string) => true | string {
  const { t } = useTranslation();
  return (v) => {
    const parsed = parseAmount(v, currency);
    return 'amountMinor' in parsed ? true : String(t(`billing.pay.amountProblem.${parsed.problem}`));
  };
}

const PLACES = ['11', '02', '10'] as const;

interface LineForm {
  dateOfService: string;
  procedureCode: string;
  modifiers: string;
  description: string;
  units: string;
  unitPrice: string;
  /** Ten digits, or '' when not given. */
  renderingProviderNpi: string;
  /** One of the patient's estimates, or '' for none. */
  estimateId: string;
}

/** The fields of a line the billing service may name with the line's position, in screen order. */
const LINE_FIELDS = [
  'dateOfService',
  'procedureCode',
  'modifiers',
  'description',
  'units',
  'unitPrice',
  'renderingProviderNpi',
  'estimateId',
] as const;

/** An invoice of one or more lines; a line can be added and removed (never the last one). */
export function MultiLineInvoiceDialog({ patientId, currency, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const amountRule = useAmountRule(currency);
  const dates = useClinicDates();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const { issueInvoice } = useBillingChanges(patientId);
  const blank = (): LineForm => ({
    dateOfService: dates.today(),
    procedureCode: '',
    modifiers: '',
    description: '',
    units: '1',
    unitPrice: '',
    renderingProviderNpi: '',
    estimateId: '',
  });
  const form = useForm<{ lines: LineForm[] }>({ defaultValues: { lines: [blank()] } });
  const { register, handleSubmit, formState, control, watch } = form;
  const lines = useFieldArray({ control, name: 'lines' });
  const estimates = useEstimates(patientId).data ?? [];
  const server = useServerProblem(form, [
    ...lines.fields.flatMap((_, index) => LINE_FIELDS.map((field) => `lines.${index}.${field}` as const)),
    'lines',
  ]);
  const errors = formState.errors.lines;

  const submit = handleSubmit(async (values) => {
    server.clear();
    try {
      const invoice = await issueInvoice.mutateAsync({
        idempotencyKey,
        body: {
          lines: values.lines.map((line) => ({
            dateOfService: line.dateOfService,
            procedureCode: line.procedureCode.trim().toUpperCase(),
            modifiers: line.modifiers
              .split(/[\s,]+/)
              .filter(Boolean)
              .map((m) => m.toUpperCase()),
            description: line.description.trim(),
            units: Number(line.units),
            unitPrice: { amountMinor: (parseAmount(line.unitPrice, currency) as { amountMinor: number }).amountMinor, currency },
            ...(line.renderingProviderNpi.trim() ? { renderingProviderNpi: line.renderingProviderNpi.trim() } : {}),
            ...(line.estimateId ? { estimateId: line.estimateId } : {}),
          })),
        },
      });
      onDone(t('billing.staff.invoiceIssued', { number: invoice.number }));
    } catch (error) {
      server.show(error);
    }
  });

  return (
    <Dialog title={t('billing.staff.newInvoice')} onClose={onClose} wide unsavedChanges={formState.isDirty}>
      <form onSubmit={submit} noValidate>
        <FormSummary server={server} hasFieldErrors={Boolean(errors)} heading={t('billing.staff.notIssued')} />
        {lines.fields.map((field, index) => (
          <fieldset key={field.id} className="billing-form-line">
            <legend>{t('staffBillingForms.line', { number: index + 1 })}</legend>
            <div className="field-row">
              <FormField label={t('billing.lines.date')} error={errors?.[index]?.dateOfService?.message}>
                {(c) => (
                  <input {...c} type="date" {...register(`lines.${index}.dateOfService`, { required: t('billing.staff.required') })} />
                )}
              </FormField>
              <TextField
                label={t('billing.lines.code')}
                hint={t('billing.staff.codeHint')}
                error={errors?.[index]?.procedureCode?.message}
                autoComplete="off"
                inputClassName="input--short"
                {...register(`lines.${index}.procedureCode`, {
                  validate: (v) => /^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$/.test(v.trim().toUpperCase()) || t('billing.staff.codeInvalid'),
                })}
              />
              <TextField
                label={t('billing.staff.modifiers')}
                hint={t('billing.staff.modifiersHint')}
                optional
                autoComplete="off"
                inputClassName="input--short"
                {...register(`lines.${index}.modifiers`)}
              />
            </div>
            <TextField
              label={t('billing.lines.description')}
              error={errors?.[index]?.description?.message}
              autoComplete="off"
              maxLength={200}
              {...register(`lines.${index}.description`, { validate: (v) => Boolean(v.trim()) || t('billing.staff.required') })}
            />
            <div className="field-row">
              <TextField
                label={t('billing.lines.units')}
                error={errors?.[index]?.units?.message}
                inputMode="numeric"
                inputClassName="input--short"
                {...register(`lines.${index}.units`, { validate: (v) => /^[1-9][0-9]{0,2}$/.test(v) || t('billing.staff.unitsInvalid') })}
              />
              <TextField
                label={t('billing.staff.unitPrice', { currency })}
                error={errors?.[index]?.unitPrice?.message}
                inputMode="decimal"
                inputClassName="input--short"
                {...register(`lines.${index}.unitPrice`, { validate: amountRule })}
              />
            </div>
            <div className="field-row">
              <TextField
                label={t('staffBillingForms.npi')}
                hint={t('staffBillingForms.npiHint')}
                optional
                error={errors?.[index]?.renderingProviderNpi?.message}
                inputMode="numeric"
                autoComplete="off"
                inputClassName="input--short"
                {...register(`lines.${index}.renderingProviderNpi`, {
                  validate: (v, all) => {
                    const npi = v.trim();
                    if (!npi) return !all.lines[index]?.estimateId || t('staffBillingForms.npiWithEstimate');
                    return /^\d{10}$/.test(npi) || t('estimates.staff.npiInvalid');
                  },
                })}
              />
              {estimates.length > 0 && (
                <FormField
                  label={t('staffBillingForms.estimate')}
                  hint={estimateProviders(t, estimates, watch(`lines.${index}.estimateId`)) ?? t('staffBillingForms.estimateHint')}
                  optional
                  error={errors?.[index]?.estimateId?.message}
                >
                  {(c) => (
                    <select {...c} {...register(`lines.${index}.estimateId`)}>
                      <option value="">{t('staffBillingForms.noEstimate')}</option>
                      {estimates.map((estimate) => (
                        <option key={estimate.id} value={estimate.id}>
                          {t('staffBillingForms.estimateOption', {
                            service: estimate.primaryService,
                            date: dates.dayOf(estimate.primaryServiceDate, 'shortDay'),
                            total: formatMoney(estimate.total),
                            version: estimate.version,
                          })}
                        </option>
                      ))}
                    </select>
                  )}
                </FormField>
              )}
            </div>
            {lines.fields.length > 1 && (
              <Button onClick={() => lines.remove(index)}>{t('staffBillingForms.removeLine', { number: index + 1 })}</Button>
            )}
          </fieldset>
        ))}
        {lines.fields.length < 50 && <Button onClick={() => lines.append(blank())}>{t('staffBillingForms.addLine')}</Button>}
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('billing.staff.issuing')}>
            {t('billing.staff.issue')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** "On this estimate: Dr Rivera (1234567893)" for the chosen estimate, so staff give an NPI it compares. */
function estimateProviders(t: TFunction, estimates: Estimate[], estimateId: string | undefined): string | undefined {
  const chosen = estimates.find((e) => e.id === estimateId);
  if (!chosen) return undefined;
  return String(t('staffBillingForms.estimateProviders', { providers: chosen.providers.map((p) => `${p.name} (${p.npi})`).join(', ') }));
}

interface AmountChange {
  /** The invoice or payment chosen, the amount in minor units, and the reason given. */
  (values: { id: string; amountMinor: number; reason: string; key: string }): Promise<string>;
}

/**
 * One amount taken from one entry of the ledger: an adjustment of an invoice or a refund of a
 * payment. `words` is the dialog's own vocabulary (staffBillingForms.<words>…).
 */
function AmountChangeDialog({
  currency,
  onClose,
  onDone,
  words,
  choices,
  reasonRequired,
  change,
}: Omit<Props, 'patientId'> & {
  words: 'adjust' | 'refund';
  choices: { id: string; label: string }[];
  reasonRequired: boolean;
  change: AmountChange;
}) {
  const { t } = useTranslation();
  const amountRule = useAmountRule(currency);
  const [key] = useState(newIdempotencyKey);
  const form = useForm({ defaultValues: { id: choices[0]?.id ?? '', amount: '', reason: '' } });
  const { register, handleSubmit, formState } = form;
  const { errors } = formState;
  const server = useServerProblem(form, ['id', 'amount', 'reason'] as const);
  const submit = handleSubmit(async (values) => {
    server.clear();
    try {
      const amountMinor = (parseAmount(values.amount, currency) as { amountMinor: number }).amountMinor;
      onDone(await change({ id: values.id, amountMinor, reason: values.reason.trim(), key }));
    } catch (error) {
      server.show(error);
    }
  });
  return (
    <Dialog title={t(`staffBillingForms.${words}`)} onClose={onClose} description={t(`staffBillingForms.${words}Hint`)}>
      <form onSubmit={submit} noValidate>
        <FormSummary server={server} hasFieldErrors={Object.keys(errors).length > 0} heading={t(`staffBillingForms.${words}NotDone`)} />
        <FormField label={t(`staffBillingForms.${words}Choice`)} error={errors.id?.message}>
          {(c) => (
            <select {...c} {...register('id', { required: t('billing.staff.required') })}>
              {choices.map((choice) => (
                <option key={choice.id} value={choice.id}>
                  {choice.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <TextField
          label={t('billing.pay.amount', { currency })}
          error={errors.amount?.message}
          inputMode="decimal"
          inputClassName="input--short"
          {...register('amount', { validate: amountRule })}
        />
        <TextField
          label={t('staffBillingForms.reason')}
          hint={t('staffBillingForms.reasonHint')}
          optional={!reasonRequired}
          error={errors.reason?.message}
          maxLength={200}
          {...register('reason', { validate: (v) => !reasonRequired || Boolean(v.trim()) || t('billing.staff.required') })}
        />
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('staffBillingForms.saving')}>
            {t(`staffBillingForms.${words}Submit`)}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** A write-off or a discount on one invoice, at most what it owes. */
export function AdjustInvoiceDialog({ patientId, invoices, ...props }: Props & { invoices: Invoice[] }) {
  const { t } = useTranslation();
  const { adjust } = useStaffChanges(patientId);
  const choices = invoices
    .filter((i) => i.due.amountMinor > 0)
    .map((i) => ({ id: i.id, label: t('staffBillingForms.invoiceOption', { number: i.number, due: formatMoney(i.due) }) }));
  return (
    <AmountChangeDialog
      {...props}
      words="adjust"
      choices={choices}
      reasonRequired
      change={async ({ id, amountMinor, reason, key }) => {
        const invoice = await adjust.mutateAsync({ invoiceId: id, amountMinor, currency: props.currency, reason, key });
        return t('staffBillingForms.adjusted', { number: invoice.number, due: formatMoney(invoice.due) });
      }}
    />
  );
}

/** Part or all of a settled payment given back; online payments go back to the card. */
export function RefundPaymentDialog({ patientId, payments, ...props }: Props & { payments: Payment[] }) {
  const { t } = useTranslation();
  const { refund } = useStaffChanges(patientId);
  const choices = payments
    .filter((p) => p.status === 'succeeded' && p.refunded.amountMinor < p.amount.amountMinor)
    .map((p) => ({
      id: p.id,
      label: t('staffBillingForms.paymentOption', {
        receipt: p.receiptNumber,
        left: formatMoney({ amountMinor: p.amount.amountMinor - p.refunded.amountMinor, currency: p.amount.currency }),
      }),
    }));
  return (
    <AmountChangeDialog
      {...props}
      words="refund"
      choices={choices}
      reasonRequired={false}
      change={async ({ id, amountMinor, reason, key }) => {
        const payment = await refund.mutateAsync({ paymentId: id, amountMinor, currency: props.currency, reason, key });
        return t('staffBillingForms.refunded', {
          amount: formatMoney({ amountMinor, currency: props.currency }),
          receipt: payment.receiptNumber,
        });
      }}
    />
  );
}

const PARTY_FIELDS = [
  'clinicNpi',
  'clinicTaxId',
  'providerName',
  'providerCredentials',
  'providerLicence',
  'providerNpi',
  'patientName',
  'patientDateOfBirth',
] as const;
type PartyField = (typeof PARTY_FIELDS)[number];

interface SuperbillForm {
  parties: Record<PartyField, string> & { memberId: string };
  diagnosisCodes: string;
  services: { chosen: boolean; placeOfService: string; diagnosisPointers: string }[];
}

/** A superbill of chosen services (each a line of an invoice, on its date of service). */
export function SuperbillDialog({ patientId, onClose, onDone, invoices }: Omit<Props, 'currency'> & { invoices: Invoice[] }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const [key] = useState(newIdempotencyKey);
  const { superbill } = useStaffChanges(patientId);
  const services = invoices.flatMap((invoice) =>
    invoice.lines.filter((line) => line.procedureCode).map((line, lineIndex) => ({ invoice, line, lineIndex })),
  );
  const form = useForm<SuperbillForm>({
    defaultValues: {
      parties: { ...(Object.fromEntries(PARTY_FIELDS.map((f) => [f, ''])) as Record<PartyField, string>), memberId: '' },
      diagnosisCodes: '',
      services: services.map(() => ({ chosen: true, placeOfService: '11', diagnosisPointers: 'A' })),
    },
  });
  const { register, handleSubmit, formState } = form;
  const { errors } = formState;
  const fields = [...PARTY_FIELDS.map((f) => `parties.${f}` as const), 'diagnosisCodes', 'services'] as const;
  const server = useServerProblem(form, fields);
  const submit = handleSubmit(async (values) => {
    server.clear();
    const chosen = services.map((s, i) => ({ ...s, ...values.services[i]! })).filter((s) => s.chosen);
    if (chosen.length === 0) {
      form.setError('services', { type: 'required', message: t('staffBillingForms.chooseService') });
      return;
    }
    try {
      await superbill.mutateAsync({
        key,
        body: {
          parties: { ...values.parties, memberId: values.parties.memberId.trim() },
          diagnosisCodes: values.diagnosisCodes
            .split(/[\s,]+/)
            .filter(Boolean)
            .map((c) => c.toUpperCase()),
          lines: chosen.map((s) => ({
            invoiceId: s.invoice.id,
            lineIndex: s.lineIndex,
            placeOfService: s.placeOfService,
            diagnosisPointers: s.diagnosisPointers.trim().toUpperCase(),
          })),
        },
      });
      onDone(t('staffBillingForms.superbillMade', { count: chosen.length }));
    } catch (error) {
      // The service numbers the lines it was sent (the chosen services): each goes next to its service's field.
      const positions = services.map((_, i) => i).filter((i) => values.services[i]!.chosen);
      const problem = problemOfError(error);
      problem.errors = (problem.errors ?? []).filter((e) => {
        const line = /^lines\[(\d+)\]\.(place_of_service|diagnosis_pointers)$/.exec(e.field);
        const position = line ? positions[Number(line[1])] : undefined;
        if (!line || position === undefined) return true;
        const field = line[2] === 'place_of_service' ? 'placeOfService' : 'diagnosisPointers';
        form.setError(`services.${position}.${field}`, { type: 'server', message: readable(e.message) });
        return false;
      });
      server.show(error);
    }
  });
  return (
    <Dialog title={t('staffBillingForms.superbill')} onClose={onClose} wide description={t('staffBillingForms.superbillHint')}>
      <form onSubmit={submit} noValidate>
        <FormSummary server={server} hasFieldErrors={Object.keys(errors).length > 0} heading={t('staffBillingForms.notMade')} />
        <fieldset>
          <legend>{t('staffBillingForms.parties')}</legend>
          {PARTY_FIELDS.map((f) => (
            <TextField
              key={f}
              label={t(`staffBillingForms.party.${f}`)}
              error={errors.parties?.[f]?.message}
              autoComplete="off"
              {...register(`parties.${f}`)}
            />
          ))}
          <TextField label={t('staffBillingForms.party.memberId')} optional autoComplete="off" {...register('parties.memberId')} />
        </fieldset>
        <TextField
          label={t('staffBillingForms.diagnosisCodes')}
          hint={t('staffBillingForms.diagnosisHint')}
          error={errors.diagnosisCodes?.message}
          autoComplete="off"
          {...register('diagnosisCodes')}
        />
        <fieldset aria-describedby={errors.services?.message ? 'superbill-services-error' : undefined}>
          <legend>{t('staffBillingForms.services')}</legend>
          {errors.services?.message && (
            <p id="superbill-services-error" className="field__error">
              {errors.services.message}
            </p>
          )}
          {services.map((s, i) => {
            const name = t('staffBillingForms.service', {
              date: dates.dayOf(s.line.dateOfService, 'shortDay'),
              code: [s.line.procedureCode, ...s.line.modifiers].join('-'),
              number: s.invoice.number,
            });
            return (
              <div key={`${s.invoice.id}-${s.lineIndex}`} className="billing-form-line">
                <label className="checkbox">
                  <input type="checkbox" {...register(`services.${i}.chosen`)} /> {name}
                </label>
                <div className="field-row">
                  <FormField
                    label={t('staffBillingForms.placeOfService', { service: name })}
                    error={errors.services?.[i]?.placeOfService?.message}
                  >
                    {(c) => (
                      <select {...c} {...register(`services.${i}.placeOfService`)}>
                        {PLACES.map((code) => (
                          <option key={code} value={code}>
                            {t(`staffBillingForms.place.${code}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </FormField>
                  <TextField
                    label={t('staffBillingForms.pointers', { service: name })}
                    error={errors.services?.[i]?.diagnosisPointers?.message}
                    inputClassName="input--short"
                    autoComplete="off"
                    {...register(`services.${i}.diagnosisPointers`)}
                  />
                </div>
              </div>
            );
          })}
        </fieldset>
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('staffBillingForms.saving')}>
            {t('staffBillingForms.superbillSubmit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
