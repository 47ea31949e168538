// Good Faith Estimates on a patient's record, for staff: the patient's estimates with their status
// and any $400 notice, and the form to issue one (or reissue one as a new version): the patient's
// name and date of birth, the primary service and its date, the provider (name, NPI, tax id,
// location) and the expected services with their CPT/HCPCS codes, modifiers, ICD-10 diagnoses,
// units and charges. The billing service checks everything again and lists what is wrong.
import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey, problemOfError, type Problem } from '../../../app/api';
import { useAnnounce } from '../../../app/announcer';
import { useClinicDates } from '../../../app/dates';
import { Button } from '../../../components/Button';
import { Dialog } from '../../../components/Dialog';
import { FormField, TextField } from '../../../components/FormField';
import { Loading } from '../../../components/Loading';
import { ProblemMessage } from '../../../components/ProblemMessage';
import { ScrollTable } from '../../../components/ScrollTable';
import { formatMoney, parseAmount } from '../money';
import { useEstimateChanges, useEstimates, type Estimate, type NewEstimate } from './estimatesApi';
import './estimates.css';

const statusKey = { awaiting_decision: 'awaitingDecision', approved: 'approved', declined: 'declined' } as const;

export function StaffEstimates({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const query = useEstimates(patientId);
  const [editing, setEditing] = useState<{ from?: Estimate } | null>(null);
  const announce = useAnnounce();
  return (
    <>
      <div className="section-header">
        <h2 id="record-estimates-heading">{t('estimates.staff.title')}</h2>
        <Button onClick={() => setEditing({})}>{t('estimates.staff.issue')}</Button>
      </div>
      {query.isPending ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : query.error ? (
        <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />
      ) : query.data.length === 0 ? (
        <p>{t('estimates.none')}</p>
      ) : (
        <ScrollTable
          labelledBy="record-estimates-heading"
          columns={[
            t('estimates.primaryService'),
            t('estimates.serviceDate'),
            t('estimates.charge'),
            t('billing.staff.status'),
            t('estimates.staff.actions'),
          ]}
        >
          {query.data.map((estimate) => (
            <tr key={estimate.id}>
              <td>
                {estimate.primaryService} ({t('estimates.staff.versionShort', { version: estimate.version })})
              </td>
              <td>{dates.dayOf(estimate.primaryServiceDate, 'shortDay')}</td>
              <td>{formatMoney(estimate.total)}</td>
              <td>
                {t(`estimates.status.${statusKey[estimate.status]}`)}
                {estimate.exceeded.length > 0 && ` · ${t('estimates.exceeded.flag')}`}
              </td>
              <td>
                <Button onClick={() => setEditing({ from: estimate })}>
                  {t('estimates.staff.reissue', { service: estimate.primaryService })}
                </Button>
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {editing && (
        <IssueEstimateDialog
          patientId={patientId}
          {...(editing.from ? { from: editing.from } : {})}
          onClose={() => setEditing(null)}
          onDone={(estimate) => {
            setEditing(null);
            announce(t('estimates.staff.issued', { service: estimate.primaryService, version: estimate.version }));
          }}
        />
      )}
    </>
  );
}

interface ItemForm {
  serviceCode: string;
  modifiers: string;
  diagnosisCodes: string;
  description: string;
  units: string;
  unitCharge: string;
}

interface EstimateForm {
  patientName: string;
  patientDateOfBirth: string;
  primaryService: string;
  primaryServiceDate: string;
  providerName: string;
  npi: string;
  taxId: string;
  line1: string;
  city: string;
  region: string;
  postalCode: string;
  items: ItemForm[];
}

const words = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());

const emptyItem: ItemForm = { serviceCode: '', modifiers: '', diagnosisCodes: '', description: '', units: '1', unitCharge: '' };

function defaultsOf(from: Estimate | undefined): EstimateForm {
  const p = from?.providers[0];
  const amount = (minor: number) => (minor / 100).toFixed(2);
  return {
    patientName: from?.patientName ?? '',
    patientDateOfBirth: from?.patientDateOfBirth ?? '',
    primaryService: from?.primaryService ?? '',
    primaryServiceDate: from?.primaryServiceDate ?? '',
    providerName: p?.name ?? '',
    npi: p?.npi ?? '',
    taxId: p?.taxId ?? '',
    line1: p?.location.line1 ?? '',
    city: p?.location.city ?? '',
    region: p?.location.region ?? '',
    postalCode: p?.location.postalCode ?? '',
    items: from
      ? from.items.map((i) => ({
          serviceCode: i.serviceCode,
          modifiers: i.modifiers.join(' '),
          diagnosisCodes: i.diagnosisCodes.join(' '),
          description: i.description,
          units: String(i.units),
          unitCharge: amount(i.unitCharge.amountMinor),
        }))
      : [emptyItem],
  };
}

function IssueEstimateDialog({
  patientId,
  from,
  onClose,
  onDone,
}: {
  patientId: string;
  from?: Estimate;
  onClose(): void;
  onDone(estimate: Estimate): void;
}) {
  const { t } = useTranslation();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [problem, setProblem] = useState<Problem | null>(null);
  const { issue } = useEstimateChanges(patientId);
  const currency = from?.total.currency ?? 'USD';
  const form = useForm<EstimateForm>({ defaultValues: defaultsOf(from) });
  const { register, handleSubmit, formState, control } = form;
  const { errors } = formState;
  const items = useFieldArray({ control, name: 'items' });
  const required = (v: string) => Boolean(v.trim()) || t('billing.staff.required');

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    const npi = values.npi.trim();
    const body: NewEstimate = {
      patientName: values.patientName.trim(),
      patientDateOfBirth: values.patientDateOfBirth,
      primaryService: values.primaryService.trim(),
      primaryServiceDate: values.primaryServiceDate,
      providers: [
        {
          name: values.providerName.trim(),
          npi,
          taxId: values.taxId.trim(),
          location: {
            line1: values.line1.trim(),
            city: values.city.trim(),
            region: values.region.trim(),
            postalCode: values.postalCode.trim(),
            countryCode: 'US',
          },
        },
      ],
      items: [],
    };
    for (const item of values.items) {
      const charge = parseAmount(item.unitCharge, currency);
      if (!('amountMinor' in charge)) return;
      body.items.push({
        providerNpi: npi,
        serviceCode: item.serviceCode.trim().toUpperCase(),
        modifiers: words(item.modifiers),
        diagnosisCodes: words(item.diagnosisCodes),
        description: item.description.trim(),
        units: Number(item.units),
        unitCharge: { amountMinor: charge.amountMinor, currency },
      });
    }
    try {
      onDone(await issue.mutateAsync({ body, idempotencyKey, ...(from ? { estimateId: from.id } : {}) }));
    } catch (error) {
      setProblem(problemOfError(error));
    }
  });

  return (
    <Dialog
      title={from ? t('estimates.staff.reissueTitle') : t('estimates.staff.issue')}
      description={t('estimates.staff.description')}
      onClose={onClose}
      unsavedChanges={formState.isDirty}
      wide
    >
      <form onSubmit={submit} noValidate>
        {problem && <ProblemMessage problem={problem} heading={t('estimates.staff.notIssued')} />}
        <fieldset className="field-group">
          <legend className="field__label">{t('estimates.patient')}</legend>
          <div className="field-row">
            <TextField
              label={t('estimates.staff.patientName')}
              error={errors.patientName?.message}
              autoComplete="off"
              {...register('patientName', { validate: required })}
            />
            <FormField label={t('estimates.dateOfBirth')} error={errors.patientDateOfBirth?.message}>
              {(c) => <input {...c} type="date" {...register('patientDateOfBirth', { validate: required })} />}
            </FormField>
          </div>
          <div className="field-row">
            <TextField
              label={t('estimates.primaryService')}
              error={errors.primaryService?.message}
              autoComplete="off"
              {...register('primaryService', { validate: required })}
            />
            <FormField label={t('estimates.serviceDate')} error={errors.primaryServiceDate?.message}>
              {(c) => <input {...c} type="date" {...register('primaryServiceDate', { validate: required })} />}
            </FormField>
          </div>
        </fieldset>
        <fieldset className="field-group">
          <legend className="field__label">{t('estimates.staff.provider')}</legend>
          <TextField
            label={t('estimates.staff.providerName')}
            error={errors.providerName?.message}
            autoComplete="off"
            {...register('providerName', { validate: required })}
          />
          <div className="field-row">
            <TextField
              label={t('estimates.staff.npi')}
              hint={t('estimates.staff.npiHint')}
              error={errors.npi?.message}
              inputMode="numeric"
              autoComplete="off"
              inputClassName="input--short"
              {...register('npi', { validate: (v) => /^\d{10}$/.test(v.trim()) || t('estimates.staff.npiInvalid') })}
            />
            <TextField
              label={t('estimates.staff.taxId')}
              hint={t('estimates.staff.taxIdHint')}
              error={errors.taxId?.message}
              autoComplete="off"
              inputClassName="input--short"
              {...register('taxId', { validate: required })}
            />
          </div>
          <TextField
            label={t('estimates.staff.line1')}
            error={errors.line1?.message}
            autoComplete="off"
            {...register('line1', { validate: required })}
          />
          <div className="field-row">
            <TextField
              label={t('estimates.staff.city')}
              error={errors.city?.message}
              autoComplete="off"
              {...register('city', { validate: required })}
            />
            <TextField
              label={t('estimates.staff.region')}
              error={errors.region?.message}
              autoComplete="off"
              inputClassName="input--short"
              {...register('region', { validate: required })}
            />
            <TextField
              label={t('estimates.staff.postalCode')}
              error={errors.postalCode?.message}
              autoComplete="off"
              inputClassName="input--short"
              {...register('postalCode', { validate: required })}
            />
          </div>
        </fieldset>
        {items.fields.map((field, index) => {
          const e = errors.items?.[index];
          return (
            <fieldset key={field.id} className="field-group estimate-item-row">
              <legend className="field__label">{t('estimates.staff.item', { number: index + 1 })}</legend>
              <div className="field-row">
                <TextField
                  label={t('estimates.code')}
                  hint={t('billing.staff.codeHint')}
                  error={e?.serviceCode?.message}
                  autoComplete="off"
                  inputClassName="input--short"
                  {...register(`items.${index}.serviceCode`, {
                    validate: (v) => /^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$/.test(v.trim().toUpperCase()) || t('billing.staff.codeInvalid'),
                  })}
                />
                <TextField
                  label={t('billing.staff.modifiers')}
                  hint={t('billing.staff.modifiersHint')}
                  optional
                  autoComplete="off"
                  inputClassName="input--short"
                  {...register(`items.${index}.modifiers`)}
                />
                <TextField
                  label={t('estimates.diagnoses')}
                  hint={t('estimates.staff.diagnosesHint')}
                  error={e?.diagnosisCodes?.message}
                  autoComplete="off"
                  inputClassName="input--short"
                  {...register(`items.${index}.diagnosisCodes`, { validate: required })}
                />
              </div>
              <TextField
                label={t('billing.lines.description')}
                error={e?.description?.message}
                autoComplete="off"
                maxLength={200}
                {...register(`items.${index}.description`, { validate: required })}
              />
              <div className="field-row">
                <TextField
                  label={t('billing.lines.units')}
                  error={e?.units?.message}
                  inputMode="numeric"
                  inputClassName="input--short"
                  {...register(`items.${index}.units`, { validate: (v) => /^[1-9][0-9]{0,2}$/.test(v) || t('billing.staff.unitsInvalid') })}
                />
                <TextField
                  label={t('estimates.staff.unitCharge', { currency })}
                  error={e?.unitCharge?.message}
                  inputMode="decimal"
                  inputClassName="input--short"
                  {...register(`items.${index}.unitCharge`, {
                    validate: (v) => {
                      const parsed = parseAmount(v, currency);
                      return 'amountMinor' in parsed || t(`billing.pay.amountProblem.${parsed.problem}`);
                    },
                  })}
                />
              </div>
              {items.fields.length > 1 && (
                <Button onClick={() => items.remove(index)}>{t('estimates.staff.removeItem', { number: index + 1 })}</Button>
              )}
            </fieldset>
          );
        })}
        <Button onClick={() => items.append(emptyItem)}>{t('estimates.staff.addItem')}</Button>
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('billing.staff.issuing')}>
            {from ? t('estimates.staff.reissueSubmit') : t('estimates.staff.issueSubmit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
