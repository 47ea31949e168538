// A labelled form control with its hint and its error, wired for assistive technology: the label
// names the control, the hint and the error describe it, and aria-invalid marks a wrong value.
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

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
  const { id, hintId, errorId, describedBy } = useDescription(hint, error);
  return (
    <div className={['field', error ? 'field--invalid' : '', className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field__label">
        {label}
        {optional && <span className="field__optional"> (optional)</span>}
      </label>
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
      {children({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(error ? { 'aria-invalid': true as const } : {}) })}
    </div>
  );
}

/** The common case: a FormField around one single-line input whose value is a string. */
export function TextField({
  label,
  hint,
  error,
  optional,
  className,
  field,
  value,
  onValue,
  type = 'text',
  ...input
}: Omit<FormFieldProps, 'children'> & {
  /** Names the input for focus after a server error (data-field). */
  field: string;
  value: string;
  onValue: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id' | 'className'> & { inputClassName?: string }) {
  const { inputClassName, ...rest } = input;
  return (
    <FormField label={label} hint={hint} error={error} optional={optional} {...(className ? { className } : {})}>
      {(control) => (
        <input
          {...control}
          {...rest}
          data-field={field}
          type={type}
          {...(inputClassName ? { className: inputClassName } : {})}
          value={value}
          onChange={(e) => onValue(e.target.value)}
        />
      )}
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
