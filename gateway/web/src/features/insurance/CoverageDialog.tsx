// The "Add Insurance" / "Edit insurance" pop-up: every detail of a coverage and photos of the
// card's front and back (a phone opens its camera through the file input's capture attribute),
// each photo previewed before saving. Problems the gateway finds are shown next to their fields.
import { useEffect, useMemo, useState } from 'react';
import { FormProvider, useForm, type UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api';
import { useServerProblem } from '../../app/formErrors';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FormField, TextField } from '../../components/FormField';
import { FormSummary } from '../../components/FormSummary';
import { emptyCoverage, fieldOrder, inputOf, minorUnitsOf, valuesOf, type CoverageFormValues } from './coverageForm';
import {
  MAX_PHOTO_BYTES,
  newIdempotencyKey,
  photoUrl,
  PHOTO_TYPES,
  planTypes,
  priorities,
  relationships,
  useCoverageChanges,
  type CardSide,
  type Coverage,
  type Priority,
} from './insuranceApi';

export interface CoverageDialogProps {
  patientId: string;
  coverage?: Coverage;
  /** The priority a new coverage starts with: the first one not taken. */
  suggestedPriority: Priority;
  onSaved(coverage: Coverage, added: boolean): void;
  onClose(): void;
}

const isAcceptedPhoto = (file: File) => /^image\/(jpeg|png|heic|heif)$/.test(file.type) || /\.(jpe?g|png|heic|heif)$/i.test(file.name);

export function CoverageDialog({ patientId, coverage, suggestedPriority, onSaved, onClose }: CoverageDialogProps) {
  const { t } = useTranslation();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [stale, setStale] = useState(false);
  const changes = useCoverageChanges(patientId);
  const form = useForm<CoverageFormValues>({ defaultValues: coverage ? valuesOf(coverage) : emptyCoverage(suggestedPriority) });
  const { register, formState, handleSubmit, watch } = form;
  const { errors } = formState;
  const server = useServerProblem(form, fieldOrder);
  const relationship = watch('subscriber.relationship');
  const today = new Date().toISOString().slice(0, 10);

  const save = handleSubmit(
    async (values) => {
      server.clear();
      setStale(false);
      const input = inputOf(values);
      const photos = { frontPhoto: values.frontPhoto?.[0], backPhoto: values.backPhoto?.[0] };
      try {
        const saved = coverage
          ? await changes.update.mutateAsync({ coverage, input, photos })
          : await changes.add.mutateAsync({ input, photos, idempotencyKey });
        onSaved(saved, !coverage);
      } catch (error) {
        setStale(error instanceof ApiError && (error.status === 412 || error.status === 409));
        server.show(error);
      }
    },
    () => server.clear(),
  );

  const photoRule = (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return true;
    if (!isAcceptedPhoto(file)) return t('insurance.form.photoType');
    if (file.size > MAX_PHOTO_BYTES) return t('insurance.form.photoSize');
    return true;
  };

  const hasFieldErrors = Object.keys(errors).length > 0;
  const title = coverage ? t('insurance.dialog.editTitle', { payer: coverage.payerName }) : t('insurance.dialog.addTitle');

  return (
    <Dialog title={title} onClose={onClose} wide description={t('insurance.dialog.description')} unsavedChanges={formState.isDirty}>
      <FormProvider {...form}>
        <form onSubmit={save} noValidate className="coverage-form">
          <FormSummary
            server={server}
            hasFieldErrors={hasFieldErrors}
            heading={stale ? t('insurance.dialog.stale') : coverage ? t('insurance.dialog.notSaved') : t('insurance.dialog.notAdded')}
          />

          <TextField
            label={t('insurance.fields.payerName')}
            hint={t('insurance.fields.payerNameHint')}
            error={errors.payerName?.message}
            required
            maxLength={200}
            autoComplete="off"
            {...register('payerName', { validate: (v) => Boolean(v.trim()) || t('fieldProblems.required') })}
          />
          <div className="field-row">
            <TextField
              label={t('insurance.fields.planName')}
              optional
              error={errors.planName?.message}
              className="field-row__grow"
              maxLength={200}
              autoComplete="off"
              {...register('planName')}
            />
            <FormField label={t('insurance.fields.planType')} error={errors.planType?.message}>
              {(control) => (
                <select
                  {...control}
                  required
                  {...register('planType', { validate: (v) => v !== '' || t('insurance.form.planTypeRequired') })}
                >
                  <option value="">{t('insurance.form.choose')}</option>
                  {planTypes.map((type) => (
                    <option key={type} value={type}>
                      {t(`insurance.planTypes.${type}`)}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </div>
          <div className="field-row">
            <TextField
              label={t('insurance.fields.memberId')}
              error={errors.memberId?.message}
              className="field-row__grow"
              required
              maxLength={64}
              autoComplete="off"
              {...register('memberId', { validate: (v) => Boolean(v.trim()) || t('fieldProblems.required') })}
            />
            <TextField
              label={t('insurance.fields.groupNumber')}
              optional
              error={errors.groupNumber?.message}
              className="field-row__grow"
              maxLength={64}
              autoComplete="off"
              {...register('groupNumber')}
            />
          </div>

          <FormField label={t('insurance.fields.priority')} hint={t('insurance.fields.priorityHint')} error={errors.priority?.message}>
            {(control) => (
              <select {...control} {...register('priority')}>
                {priorities.map((p) => (
                  <option key={p} value={p}>
                    {t(`insurance.priorities.${p}`)}
                  </option>
                ))}
              </select>
            )}
          </FormField>

          <fieldset className="field-group coverage-form__subscriber">
            <legend className="field__label">{t('insurance.fields.subscriber')}</legend>
            <FormField
              label={t('insurance.fields.relationship')}
              hint={t('insurance.fields.relationshipHint')}
              error={errors.subscriber?.relationship?.message}
            >
              {(control) => (
                <select {...control} {...register('subscriber.relationship')}>
                  {relationships.map((r) => (
                    <option key={r} value={r}>
                      {t(`insurance.relationships.${r}`)}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            {relationship !== 'self' && (
              <div className="field-row">
                <TextField
                  label={t('insurance.fields.subscriberName')}
                  error={errors.subscriber?.name?.message}
                  className="field-row__grow"
                  required
                  maxLength={200}
                  autoComplete="off"
                  {...register('subscriber.name', { validate: (v) => Boolean(v.trim()) || t('fieldProblems.required') })}
                />
                <TextField
                  label={t('insurance.fields.subscriberBirthDate')}
                  error={errors.subscriber?.dateOfBirth?.message}
                  type="date"
                  required
                  max={today}
                  {...register('subscriber.dateOfBirth', {
                    validate: (v) => (!v ? t('fieldProblems.required') : v > today ? t('insurance.form.birthInFuture') : true),
                  })}
                />
              </div>
            )}
          </fieldset>

          <div className="field-row">
            <TextField
              label={t('insurance.fields.effectiveDate')}
              error={errors.effectiveDate?.message}
              type="date"
              required
              {...register('effectiveDate', { validate: (v) => Boolean(v) || t('fieldProblems.required') })}
            />
            <TextField
              label={t('insurance.fields.endDate')}
              hint={t('insurance.fields.endDateHint')}
              optional
              error={errors.endDate?.message}
              type="date"
              {...register('endDate', {
                validate: (v, all) => !v || !all.effectiveDate || v >= all.effectiveDate || t('insurance.form.endBeforeStart'),
              })}
            />
          </div>

          <div className="field-row">
            <TextField
              label={t('insurance.fields.copay')}
              hint={t('insurance.fields.copayHint')}
              optional
              error={errors.copay?.message}
              className="field-row__grow"
              inputMode="decimal"
              autoComplete="off"
              {...register('copay', {
                validate: (v, all) => !v.trim() || minorUnitsOf(v, all.currencyCode) !== undefined || t('insurance.form.copayAmount'),
              })}
            />
            <FormField label={t('insurance.fields.currency')}>
              {(control) => (
                <select {...control} {...register('currencyCode')}>
                  {['USD', 'CAD', 'EUR', 'GBP'].map((code) => (
                    <option key={code} value={code}>
                      {code}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </div>

          <div className="photo-fields">
            {(['front', 'back'] as const).map((side) => (
              <PhotoField
                key={side}
                side={side}
                coverage={coverage}
                files={watch(`${side}Photo`)}
                error={errors[`${side}Photo`]?.message}
                registration={register(`${side}Photo`, { validate: photoRule })}
              />
            ))}
          </div>

          <div className="form-actions">
            <Button variant="secondary" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('common.saving')} disabled={stale}>
              {coverage ? t('insurance.dialog.saveChanges') : t('insurance.dialog.add')}
            </Button>
          </div>
        </form>
      </FormProvider>
    </Dialog>
  );
}

/** One side of the card: the file input (camera on a phone) and a preview of what will be sent. */
function PhotoField({
  side,
  coverage,
  files,
  error,
  registration,
}: {
  side: CardSide;
  coverage: Coverage | undefined;
  files: FileList | null;
  error: string | undefined;
  registration: UseFormRegisterReturn;
}) {
  const { t } = useTranslation();
  const file = files?.[0];
  const preview = useMemo(() => (file && /^image\/(jpeg|png)$/.test(file.type) ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);
  const stored = coverage?.[`${side}Photo`];
  const label = t(`insurance.fields.${side}Photo`);
  return (
    <div className="photo-field">
      <FormField label={label} hint={t('insurance.fields.photoHint')} error={error} optional>
        {(control) => <input {...control} type="file" accept={PHOTO_TYPES} capture="environment" {...registration} />}
      </FormField>
      <div className="photo-field__preview" aria-live="polite">
        {file && preview && <img src={preview} alt={t('insurance.photos.previewAlt', { side: label })} />}
        {file && !preview && <p className="field__hint">{t('insurance.photos.noPreview', { name: file.name })}</p>}
        {!file && stored && coverage && <img src={photoUrl(coverage, side)} alt={t('insurance.photos.currentAlt', { side: label })} />}
      </div>
    </div>
  );
}
