// A postal address as every form of the portal asks for it (a contact's, the clinic's): two lines,
// town, region, postal code and country, under one legend. The form keeps it as `address.*`, the
// shape the gateway takes and answers with, so its field problems land here without a mapping.
// Used inside a react-hook-form FormProvider.
import { useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { PostalAddress } from '../app/model';
import { regions } from '../app/regions';
import { FormField, TextField } from './FormField';

/** Every part present (empty when not given), as form fields need. */
export type AddressValues = Required<PostalAddress>;

/** The address fields in screen order, for placing the gateway's problems and focusing the first. */
export const addressFields = [
  'address.line1',
  'address.line2',
  'address.city',
  'address.region',
  'address.postalCode',
  'address.countryCode',
] as const;

export const emptyAddress: AddressValues = { line1: '', line2: '', city: '', region: '', postalCode: '', countryCode: '' };

/** A stored address (parts may be missing) as the form's values. */
export function addressValues(address: Partial<AddressValues> | undefined): AddressValues {
  return { ...emptyAddress, ...Object.fromEntries(Object.entries(address ?? {}).filter(([, v]) => typeof v === 'string')) };
}

/** The address the gateway takes: trimmed, and with `onlyFilled` the empty parts left out. */
export function addressInput(values: AddressValues, onlyFilled: boolean): Partial<AddressValues> {
  const trimmed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]));
  return onlyFilled ? Object.fromEntries(Object.entries(trimmed).filter(([, v]) => v)) : trimmed;
}

export function AddressFields({
  optional = false,
  required = false,
}: {
  /** The whole address may be left empty (else line 2 and the region may). */
  optional?: boolean;
  /** Line 1, the town and the postal code must be given (the clinic's address: a profile is useless without). */
  required?: boolean;
}) {
  const { t } = useTranslation();
  const needed = (message: string) => (required ? { validate: (v: string) => Boolean(v.trim()) || message } : {});
  const {
    register,
    formState: { errors },
  } = useFormContext<{ address: AddressValues }>();
  const error = errors.address;
  return (
    <fieldset className="field-set">
      <legend>
        {t('address.legend')}
        {optional && <span className="field__optional"> {t('common.optional')}</span>}
      </legend>
      <TextField
        label={t('address.line1')}
        error={error?.line1?.message}
        maxLength={200}
        {...register('address.line1', needed(t('address.line1Required')))}
      />
      <TextField
        label={t('address.line2')}
        optional={!optional}
        error={error?.line2?.message}
        maxLength={200}
        {...register('address.line2')}
      />
      <div className="field-row">
        <TextField
          label={t('address.city')}
          className="field-row__grow"
          error={error?.city?.message}
          maxLength={100}
          {...register('address.city', needed(t('address.cityRequired')))}
        />
        <TextField
          label={t('address.region')}
          optional={!optional}
          className="field-row__grow"
          error={error?.region?.message}
          maxLength={100}
          {...register('address.region')}
        />
      </div>
      <div className="field-row">
        <TextField
          label={t('address.postalCode')}
          error={error?.postalCode?.message}
          maxLength={20}
          inputClassName="input--short"
          {...register('address.postalCode', needed(t('address.postalCodeRequired')))}
        />
        <FormField label={t('address.country')} error={error?.countryCode?.message} className="field-row__grow">
          {(control) => (
            <select {...control} {...register('address.countryCode')}>
              <option value="">{t('address.noCountry')}</option>
              <CountryOptions />
            </select>
          )}
        </FormField>
      </div>
    </fieldset>
  );
}

/** Every country by its name in the browser's language, for a select of countries. */
export function CountryOptions() {
  return regions().map((c) => (
    <option key={c.code} value={c.code}>
      {c.name}
    </option>
  ));
}
