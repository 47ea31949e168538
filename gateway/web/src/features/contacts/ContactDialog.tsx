// The "Add New Contact" / "Edit contact" dialog: one form for both. Problems the gateway finds are
// shown next to their fields and the first of them gets focus; a stale edit (412) offers to load
// the latest version instead of overwriting someone else's change.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, problemOfError, type Problem, type ProblemFieldError } from '../../app/api';
import { regions } from '../../app/regions';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FieldGroup, FormField, TextField } from '../../components/FormField';
import { ProblemMessage } from '../../components/ProblemMessage';
import {
  check,
  emptyContact,
  fieldOrder,
  inputOf,
  placeErrors,
  valuesOf,
  type ContactField,
  type ContactFormValues,
  type FieldErrors,
} from './contactForm';
import { contactsApi, newIdempotencyKey, purposeLabels, purposes, type Contact, type Purpose } from './contactsApi';

export interface ContactDialogProps {
  patientId: string;
  /** The contact to edit; none to add a new one. */
  contact?: Contact;
  defaultRegion: string;
  onSaved(contact: Contact, added: boolean): void;
  onClose(): void;
}

const purposeHints: Record<Purpose, string> = {
  emergency: 'The clinic may call them in an emergency.',
  release_of_information: 'The clinic may share your information with them once you have signed a release.',
  other: 'Any other reason, described in the notes.',
};

export function ContactDialog({ patientId, contact, defaultRegion, onSaved, onClose }: ContactDialogProps) {
  const [editing, setEditing] = useState<Contact | undefined>(contact);
  const [values, setValues] = useState<ContactFormValues>(() => (contact ? valuesOf(contact, defaultRegion) : emptyContact(defaultRegion)));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherErrors, setOtherErrors] = useState<ProblemFieldError[]>([]);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const countries = regions();

  const set =
    <K extends ContactField>(field: K) =>
    (value: ContactFormValues[K]) => {
      setValues((v) => ({ ...v, [field]: value }));
      if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
    };

  const togglePurpose = (purpose: Purpose, on: boolean) =>
    set('purposes')(
      on ? [...values.purposes, purpose].filter((p, i, all) => all.indexOf(p) === i) : values.purposes.filter((p) => p !== purpose),
    );

  const focusFirstProblem = (fieldErrors: FieldErrors) => {
    // After React has drawn the messages: the first wrong field, else the summary.
    requestAnimationFrame(() => {
      const first = fieldOrder.find((f) => fieldErrors[f]);
      const target = first ? formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`) : null;
      (target ?? summaryRef.current)?.focus();
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setProblem(null);
    setOtherErrors([]);
    setStale(false);
    const found = check(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstProblem(found);
      return;
    }
    setBusy(true);
    try {
      const input = inputOf(values);
      const saved = editing
        ? await contactsApi.update(patientId, editing.id, editing.version, input)
        : await contactsApi.add(patientId, input, idempotencyKey);
      onSaved(saved, !editing);
    } catch (error) {
      setBusy(false);
      const p = problemOfError(error);
      if (error instanceof ApiError && (error.status === 412 || error.status === 409)) {
        setStale(true);
        setProblem(p);
        requestAnimationFrame(() => summaryRef.current?.focus());
        return;
      }
      const placed = placeErrors(p.errors);
      setErrors(placed.fields);
      setOtherErrors(placed.other);
      setProblem(p);
      focusFirstProblem(placed.fields);
    }
  };

  const loadLatest = async () => {
    if (!editing) return;
    setBusy(true);
    try {
      const latest = await contactsApi.get(patientId, editing.id);
      setEditing(latest);
      setValues(valuesOf(latest, defaultRegion));
      setErrors({});
      setProblem(null);
      setStale(false);
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-field="name"]')?.focus());
    } catch (error) {
      setProblem(problemOfError(error));
    } finally {
      setBusy(false);
    }
  };

  const hasFieldErrors = Object.values(errors).some(Boolean);
  const title = editing ? `Edit contact: ${editing.name}` : 'Add New Contact';

  return (
    <Dialog title={title} onClose={onClose} wide description="Fields marked (optional) can be left empty.">
      <form ref={formRef} onSubmit={submit} noValidate className="contact-form">
        {(problem || hasFieldErrors) && (
          <div ref={summaryRef} tabIndex={-1} className="form-summary">
            {problem ? (
              <ProblemMessage
                problem={problem}
                otherErrors={otherErrors}
                heading={
                  stale
                    ? 'Someone changed this contact after you opened it.'
                    : editing
                      ? 'The changes were not saved.'
                      : 'The contact was not added.'
                }
              />
            ) : (
              <p className="problem problem--inline" role="alert">
                Please correct the fields marked below.
              </p>
            )}
            {stale && (
              <p>
                Your changes were not saved, so nothing was overwritten.{' '}
                <Button variant="secondary" onClick={loadLatest} busy={busy} busyLabel="Loading…">
                  Load the latest version
                </Button>
              </p>
            )}
          </div>
        )}

        <TextField
          label="Name"
          error={errors.name}
          field="name"
          type="text"
          autoComplete="off"
          required
          maxLength={200}
          value={values.name}
          onValue={set('name')}
        />

        <TextField
          label="Relationship"
          optional
          hint="For example: mother, lawyer, school counsellor."
          error={errors.relationship}
          field="relationship"
          type="text"
          autoComplete="off"
          maxLength={100}
          value={values.relationship}
          onValue={set('relationship')}
        />

        <div className="field-row">
          <TextField
            label="Phone"
            optional={!values.purposes.includes('emergency')}
            hint="Needed for an emergency contact."
            error={errors.phone}
            className="field-row__grow"
            field="phone"
            type="tel"
            autoComplete="off"
            inputMode="tel"
            maxLength={40}
            value={values.phone}
            onValue={set('phone')}
          />
          <FormField label="Phone number’s country" hint="Not needed for a number that starts with +." error={errors.phoneRegion}>
            {(control) => (
              <select {...control} data-field="phoneRegion" value={values.phoneRegion} onChange={(e) => set('phoneRegion')(e.target.value)}>
                {countries.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>

        <TextField
          label="Email"
          optional
          error={errors.email}
          field="email"
          type="email"
          autoComplete="off"
          maxLength={254}
          value={values.email}
          onValue={set('email')}
        />

        <fieldset className="field-set">
          <legend>
            Address <span className="field__optional">(optional)</span>
          </legend>
          <TextField
            label="Address line 1"
            error={errors.line1}
            field="line1"
            type="text"
            maxLength={200}
            value={values.line1}
            onValue={set('line1')}
          />
          <TextField
            label="Address line 2"
            error={errors.line2}
            field="line2"
            type="text"
            maxLength={200}
            value={values.line2}
            onValue={set('line2')}
          />
          <div className="field-row">
            <TextField
              label="Town or city"
              error={errors.city}
              className="field-row__grow"
              field="city"
              type="text"
              maxLength={100}
              value={values.city}
              onValue={set('city')}
            />
            <TextField
              label="State, province or county"
              error={errors.region}
              className="field-row__grow"
              field="region"
              type="text"
              maxLength={100}
              value={values.region}
              onValue={set('region')}
            />
          </div>
          <div className="field-row">
            <TextField
              label="Postal code"
              error={errors.postalCode}
              field="postalCode"
              type="text"
              maxLength={20}
              inputClassName="input--short"
              value={values.postalCode}
              onValue={set('postalCode')}
            />
            <FormField label="Country" error={errors.countryCode} className="field-row__grow">
              {(control) => (
                <select
                  {...control}
                  data-field="countryCode"
                  value={values.countryCode}
                  onChange={(e) => set('countryCode')(e.target.value)}
                >
                  <option value="">Not given</option>
                  {countries.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </div>
        </fieldset>

        <FieldGroup legend="Purposes" hint="Why the clinic may contact this person. Choose at least one." error={errors.purposes}>
          {purposes.map((purpose, index) => (
            <div className="choice" key={purpose}>
              <input
                id={`purpose-${purpose}`}
                type="checkbox"
                data-field={index === 0 ? 'purposes' : undefined}
                checked={values.purposes.includes(purpose)}
                onChange={(e) => togglePurpose(purpose, e.target.checked)}
                aria-describedby={`purpose-${purpose}-hint`}
              />
              <label htmlFor={`purpose-${purpose}`}>{purposeLabels[purpose]}</label>
              <p id={`purpose-${purpose}-hint`} className="choice__hint">
                {purposeHints[purpose]}
              </p>
            </div>
          ))}
        </FieldGroup>

        <FormField label="Notes" optional error={errors.notes}>
          {(control) => (
            <textarea
              {...control}
              data-field="notes"
              rows={3}
              maxLength={2000}
              value={values.notes}
              onChange={(e) => set('notes')(e.target.value)}
            />
          )}
        </FormField>

        <div className="form-actions">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={busy && !stale} busyLabel="Saving…" disabled={stale}>
            {editing ? 'Save changes' : 'Add contact'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
