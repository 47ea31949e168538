// A labelled form control with its hint and its error, wired for assistive technology: the label
// names the control, the hint and the error describe it, and aria-invalid marks a wrong value.
import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

export interface FormFieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

/** Ids for the hint and the error, and the aria-describedby that names them (error first). */
function useDescription(hint: ReactNode, error: string | undefined) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return { id, hintId, errorId, describedBy: [errorId, hintId].filter(Boolean).join(' ') || undefined };
}

function FieldMessages({
  hint,
  hintId,
  error,
  errorId,
}: {
  hint: ReactNode;
  hintId?: string | undefined;
  error?: string | undefined;
  errorId?: string | undefined;
}) {
  return (
    <>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
    </>
  );
}

export function FormField({ label, hint, error, optional, className, children }: FormFieldProps) {
  const { t } = useTranslation();
  const { id, hintId, errorId, describedBy } = useDescription(hint, error);
  return (
    <div className={['field', error ? 'field--invalid' : '', className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field__label">
        {label}
        {optional && <span className="field__optional"> {t('common.optional')}</span>}
      </label>
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
      {children({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(error ? { 'aria-invalid': true as const } : {}) })}
    </div>
  );
}

/**
 * The common case: a FormField around one single-line input, registered with react-hook-form
 * (`<TextField label="Name" {...form.register('name')} />`): the registration's ref, name and
 * handlers go to the input.
 */
export function TextField({
  label,
  hint,
  error,
  optional,
  className,
  inputClassName,
  type = 'text',
  ref,
  ...input
}: Omit<FormFieldProps, 'children'> &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'> & { inputClassName?: string; ref?: Ref<HTMLInputElement> }) {
  return (
    <FormField label={label} hint={hint} error={error} optional={optional} {...(className ? { className } : {})}>
      {(control) => <input {...control} {...input} ref={ref} type={type} {...(inputClassName ? { className: inputClassName } : {})} />}
    </FormField>
  );
}

/** A group of checkboxes or radios with a legend, a hint and one error for the group. */
export function FieldGroup({
  legend,
  hint,
  error,
  children,
  className,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
  className?: string;
}) {
  const { hintId, errorId, describedBy } = useDescription(hint, error);
  return (
    <fieldset
      className={['field', 'field-group', error ? 'field--invalid' : '', className].filter(Boolean).join(' ')}
      aria-describedby={describedBy}
    >
      <legend className="field__label">{legend}</legend>
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
      <div className="field-group__options">{children}</div>
    </fieldset>
  );
}
