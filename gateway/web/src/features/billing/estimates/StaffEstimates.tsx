// Good Faith Estimates on a patient's record, for staff: the patient's estimates with their status
// and any $400 notice, and the form to issue one (or reissue one as a new version): the patient's
// name and date of birth, the primary service and its date, and up to ten providers (name, NPI,
// tax id, location), each with the services they are expected to give (CPT/HCPCS codes,
// modifiers, ICD-10 diagnoses, units and charges). The billing service checks everything again;
// each refusal shows next to its field.
import { useState } from 'react';
import { useFieldArray, useForm, type FieldPath, type UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey, problemOfError } from '../../../app/api';
import { useServerProblem } from '../../../app/formErrors';
import { useAnnounce } from '../../../app/announcer';
import { useClinicDates } from '../../../app/dates';
import { Button } from '../../../components/Button';
import { Dialog } from '../../../components/Dialog';
import { FormField, TextField } from '../../../components/FormField';
import { FormSummary } from '../../../components/FormSummary';
import { Loading } from '../../../components/Loading';
import { ProblemMessage } from '../../../components/ProblemMessage';
import { ScrollTable } from '../../../components/ScrollTable';
import { formatMoney, parseAmount } from '../money';
import { placeOfService } from './estimateFieldPaths';
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

interface ProviderForm {
  name: string;
  npi: string;
  taxId: string;
  location: { line1: string; city: string; region: string; postalCode: string };
  /** The services this provider is expected to give. */
  items: ItemForm[];
}

interface EstimateForm {
  patientName: string;
  patientDateOfBirth: string;
  primaryService: string;
  primaryServiceDate: string;
  providers: ProviderForm[];
}

/** 45 CFR 149.610 lets one estimate name the convening provider and up to nine co-providers. */
const MOST_PROVIDERS = 10;

const words = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());

const emptyItem = (): ItemForm => ({ serviceCode: '', modifiers: '', diagnosisCodes: '', description: '', units: '1', unitCharge: '' });
const emptyProvider = (): ProviderForm => ({
  name: '',
  npi: '',
  taxId: '',
  location: { line1: '', city: '', region: '', postalCode: '' },
  items: [emptyItem()],
});

function defaultsOf(from: Estimate | undefined): EstimateForm {
  const amount = (minor: number) => (minor / 100).toFixed(2);
  return {
    patientName: from?.patientName ?? '',
    patientDateOfBirth: from?.patientDateOfBirth ?? '',
    primaryService: from?.primaryService ?? '',
    primaryServiceDate: from?.primaryServiceDate ?? '',
    providers: from
      ? from.providers.map((p) => ({
          name: p.name,
          npi: p.npi,
          taxId: p.taxId,
          location: { line1: p.location.line1, city: p.location.city, region: p.location.region, postalCode: p.location.postalCode },
          items: from.items
            .filter((i) => i.providerNpi === p.npi)
            .map((i) => ({
              serviceCode: i.serviceCode,
              modifiers: i.modifiers.join(' '),
              diagnosisCodes: i.diagnosisCodes.join(' '),
              description: i.description,
              units: String(i.units),
              unitCharge: amount(i.unitCharge.amountMinor),
            })),
        }))
      : [emptyProvider()],
  };
}

const PROVIDER_FIELDS = ['name', 'npi', 'taxId', 'location.line1', 'location.city', 'location.region', 'location.postalCode'] as const;
const ITEM_FIELDS = ['serviceCode', 'modifiers', 'diagnosisCodes', 'description', 'units', 'unitCharge'] as const;

/** The form's fields a refusal can name, in screen order, for the providers and services it has now. */
function fieldsOf(providers: ProviderForm[]): FieldPath<EstimateForm>[] {
  return [
    'patientName',
    'patientDateOfBirth',
    'primaryService',
    'primaryServiceDate',
    ...providers.flatMap((provider, p) => [
      ...PROVIDER_FIELDS.map((f) => `providers.${p}.${f}` as const),
      ...provider.items.flatMap((_, i) => ITEM_FIELDS.map((f) => `providers.${p}.items.${i}.${f}` as const)),
    ]),
  ];
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
  const { issue } = useEstimateChanges(patientId);
  const currency = from?.total.currency ?? 'USD';
  const form = useForm<EstimateForm>({ defaultValues: defaultsOf(from) });
  const { register, handleSubmit, formState, control, watch } = form;
  const { errors } = formState;
  const providers = useFieldArray({ control, name: 'providers' });
  const server = useServerProblem(form, fieldsOf(watch('providers')));
  const required = (v: string) => Boolean(v.trim()) || t('billing.staff.required');

  const submit = handleSubmit(async (values) => {
    server.clear();
    const body: NewEstimate = {
      patientName: values.patientName.trim(),
      patientDateOfBirth: values.patientDateOfBirth,
      primaryService: values.primaryService.trim(),
      primaryServiceDate: values.primaryServiceDate,
      providers: values.providers.map((p) => ({
        name: p.name.trim(),
        npi: p.npi.trim(),
        taxId: p.taxId.trim(),
        location: {
          line1: p.location.line1.trim(),
          city: p.location.city.trim(),
          region: p.location.region.trim(),
          postalCode: p.location.postalCode.trim(),
          countryCode: 'US',
        },
      })),
      items: [],
    };
    const owners: [number, number][] = [];
    values.providers.forEach((provider, p) =>
      provider.items.forEach((item, i) => {
        const charge = parseAmount(item.unitCharge, currency);
        owners.push([p, i]);
        body.items.push({
          providerNpi: provider.npi.trim(),
          serviceCode: item.serviceCode.trim().toUpperCase(),
          modifiers: words(item.modifiers),
          diagnosisCodes: words(item.diagnosisCodes),
          description: item.description.trim(),
          units: Number(item.units),
          unitCharge: { amountMinor: 'amountMinor' in charge ? charge.amountMinor : 0, currency },
        });
      }),
    );
    try {
      onDone(await issue.mutateAsync({ body, idempotencyKey, ...(from ? { estimateId: from.id } : {}) }));
    } catch (error) {
      // Each refused service named where the form shows it: under its provider.
      const problem = problemOfError(error);
      if (problem.errors) problem.errors = problem.errors.map((e) => ({ ...e, field: placeOfService(e.field, owners) }));
      server.show(error);
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
        <FormSummary server={server} hasFieldErrors={Object.keys(errors).length > 0} heading={t('estimates.staff.notIssued')} />
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
        {providers.fields.map((field, index) => (
          <ProviderFields
            key={field.id}
            form={form}
            index={index}
            currency={currency}
            {...(providers.fields.length > 1 ? { onRemove: () => providers.remove(index) } : {})}
          />
        ))}
        {providers.fields.length < MOST_PROVIDERS && (
          <Button onClick={() => providers.append(emptyProvider())}>{t('estimates.staff.addProvider')}</Button>
        )}
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

/** One provider of the estimate (name, NPI, tax id, location) and the services they are expected to give. */
function ProviderFields({
  form,
  index,
  currency,
  onRemove,
}: {
  form: UseFormReturn<EstimateForm>;
  index: number;
  currency: string;
  onRemove?: () => void;
}) {
  const { t } = useTranslation();
  const { register, control, formState } = form;
  const items = useFieldArray({ control, name: `providers.${index}.items` });
  const e = formState.errors.providers?.[index];
  const required = (v: string) => Boolean(v.trim()) || t('billing.staff.required');
  const number = index + 1;
  const at = `providers.${index}` as const;
  return (
    <fieldset className="field-group estimate-provider">
      <legend className="field__label">{t('estimates.staff.providerNumbered', { number })}</legend>
      <TextField
        label={t('estimates.staff.providerName')}
        error={e?.name?.message}
        autoComplete="off"
        {...register(`${at}.name`, { validate: required })}
      />
      <div className="field-row">
        <TextField
          label={t('estimates.staff.npi')}
          hint={t('estimates.staff.npiHint')}
          error={e?.npi?.message}
          inputMode="numeric"
          autoComplete="off"
          inputClassName="input--short"
          {...register(`${at}.npi`, { validate: (v) => /^\d{10}$/.test(v.trim()) || t('estimates.staff.npiInvalid') })}
        />
        <TextField
          label={t('estimates.staff.taxId')}
          hint={t('estimates.staff.taxIdHint')}
          error={e?.taxId?.message}
          autoComplete="off"
          inputClassName="input--short"
          {...register(`${at}.taxId`, { validate: required })}
        />
      </div>
      <TextField
        label={t('estimates.staff.line1')}
        error={e?.location?.line1?.message}
        autoComplete="off"
        {...register(`${at}.location.line1`, { validate: required })}
      />
      <div className="field-row">
        <TextField
          label={t('estimates.staff.city')}
          error={e?.location?.city?.message}
          autoComplete="off"
          {...register(`${at}.location.city`, { validate: required })}
        />
        <TextField
          label={t('estimates.staff.region')}
          error={e?.location?.region?.message}
          autoComplete="off"
          inputClassName="input--short"
          {...register(`${at}.location.region`, { validate: required })}
        />
        <TextField
          label={t('estimates.staff.postalCode')}
          error={e?.location?.postalCode?.message}
          autoComplete="off"
          inputClassName="input--short"
          {...register(`${at}.location.postalCode`, { validate: required })}
        />
      </div>
      {items.fields.map((field, i) => {
        const ie = e?.items?.[i];
        const item = `${at}.items.${i}` as const;
        return (
          <fieldset key={field.id} className="field-group estimate-item-row">
            <legend className="field__label">{t('estimates.staff.providerItem', { provider: number, number: i + 1 })}</legend>
            <div className="field-row">
              <TextField
                label={t('estimates.code')}
                hint={t('billing.staff.codeHint')}
                error={ie?.serviceCode?.message}
                autoComplete="off"
                inputClassName="input--short"
                {...register(`${item}.serviceCode`, {
                  validate: (v) => /^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$/.test(v.trim().toUpperCase()) || t('billing.staff.codeInvalid'),
                })}
              />
              <TextField
                label={t('billing.staff.modifiers')}
                hint={t('billing.staff.modifiersHint')}
                optional
                error={ie?.modifiers?.message}
                autoComplete="off"
                inputClassName="input--short"
                {...register(`${item}.modifiers`)}
              />
              <TextField
                label={t('estimates.diagnoses')}
                hint={t('estimates.staff.diagnosesHint')}
                error={ie?.diagnosisCodes?.message}
                autoComplete="off"
                inputClassName="input--short"
                {...register(`${item}.diagnosisCodes`, { validate: required })}
              />
            </div>
            <TextField
              label={t('billing.lines.description')}
              error={ie?.description?.message}
              autoComplete="off"
              maxLength={200}
              {...register(`${item}.description`, { validate: required })}
            />
            <div className="field-row">
              <TextField
                label={t('billing.lines.units')}
                error={ie?.units?.message}
                inputMode="numeric"
                inputClassName="input--short"
                {...register(`${item}.units`, { validate: (v) => /^[1-9][0-9]{0,2}$/.test(v) || t('billing.staff.unitsInvalid') })}
              />
              <TextField
                label={t('estimates.staff.unitCharge', { currency })}
                error={ie?.unitCharge?.message}
                inputMode="decimal"
                inputClassName="input--short"
                {...register(`${item}.unitCharge`, {
                  validate: (v) => {
                    const parsed = parseAmount(v, currency);
                    return 'amountMinor' in parsed || t(`billing.pay.amountProblem.${parsed.problem}`);
                  },
                })}
              />
            </div>
            {items.fields.length > 1 && (
              <Button onClick={() => items.remove(i)}>
                {t('estimates.staff.removeProviderItem', { provider: number, number: i + 1 })}
              </Button>
            )}
          </fieldset>
        );
      })}
      <Button onClick={() => items.append(emptyItem())}>{t('estimates.staff.addProviderItem', { provider: number })}</Button>
      {onRemove && <Button onClick={onRemove}>{t('estimates.staff.removeProvider', { number })}</Button>}
    </fieldset>
  );
}
