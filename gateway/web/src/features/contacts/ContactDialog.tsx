// The "Add New Contact" / "Edit contact" dialog: one form for both. Problems the gateway finds are
// shown next to their fields and the first of them gets focus; a stale edit (412) offers to load
// the latest version instead of overwriting someone else's change.
import { useEffect, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api';
import { emailPattern, useServerProblem } from '../../app/formErrors';
import { phoneAccepted } from '../../app/phoneRule';
import { AddressFields, CountryOptions } from '../../components/AddressFields';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FieldGroup, FormField, TextField } from '../../components/FormField';
import { ProblemMessage } from '../../components/ProblemMessage';
import { contactWords, emptyContact, fieldOrder, inputOf, valuesOf, type ContactFormValues } from './contactForm';
import { newIdempotencyKey, purposes, useContactChanges, type Contact } from './contactsApi';

export interface ContactDialogProps {
  patientId: string;
  /** The contact to edit; none to add a new one. */
  contact?: Contact;
  /** Whose contact it is, named in the title when the user acts for someone else. */
  patientName?: string;
  defaultRegion: string;
  onSaved(contact: Contact, added: boolean): void;
  onClose(): void;
}

export function ContactDialog({ patientId, contact, patientName, defaultRegion, onSaved, onClose }: ContactDialogProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Contact | undefined>(contact);
  const [stale, setStale] = useState(false);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const changes = useContactChanges(patientId);
  const form = useForm<ContactFormValues>({
    defaultValues: contact ? valuesOf(contact, defaultRegion) : emptyContact(defaultRegion),
  });
  const { register, formState, handleSubmit, watch } = form;
  const { errors } = formState;
  const server = useServerProblem(form, fieldOrder, contactWords);
  const [loading, setLoading] = useState(false);
  // Set when the latest version was loaded: focus moves to the top of the form once React has
  // committed it (the button that was focused is gone by then), not on a frame that may come first.
  const [focusName, setFocusName] = useState(false);
  useEffect(() => {
    if (!focusName || loading) return;
    setFocusName(false);
    form.setFocus('name');
  }, [focusName, loading, form]);
  const emergency = watch('purposes').includes('emergency');

  const save = handleSubmit(
    async (values) => {
      server.clear();
      setStale(false);
      const input = inputOf(values);
      try {
        const saved = editing
          ? await changes.update.mutateAsync({ contact: editing, input })
          : await changes.add.mutateAsync({ input, idempotencyKey });
        onSaved(saved, !editing);
      } catch (error) {
        const stalled = error instanceof ApiError && (error.status === 412 || error.status === 409);
        setStale(stalled);
        server.show(error);
      }
    },
    () => server.clear(),
  );

  const loadLatest = async () => {
    if (!editing) return;
    setLoading(true);
    try {
      const latest = await changes.latest(editing.id);
      setEditing(latest);
      form.reset(valuesOf(latest, defaultRegion));
      server.clear();
      setStale(false);
      setFocusName(true);
    } catch (error) {
      server.show(error);
    } finally {
      setLoading(false);
    }
  };

  const busy = formState.isSubmitting;
  const hasFieldErrors = Object.keys(errors).length > 0;
  const title = patientName
    ? editing
      ? t('contacts.dialog.editTitleFor', { name: editing.name, patient: patientName })
      : t('contacts.dialog.addTitleFor', { patient: patientName })
    : editing
      ? t('contacts.dialog.editTitle', { name: editing.name })
      : t('contacts.dialog.addTitle');

  return (
    <Dialog title={title} onClose={onClose} wide description={t('contacts.dialog.description')} unsavedChanges={formState.isDirty}>
      <FormProvider {...form}>
        <form onSubmit={save} noValidate className="contact-form">
          {(server.problem || hasFieldErrors) && (
            <div ref={server.summaryRef} tabIndex={-1} className="form-summary">
              {server.problem ? (
                <ProblemMessage
                  problem={server.problem}
                  otherErrors={server.other}
                  heading={stale ? t('contacts.dialog.stale') : editing ? t('contacts.dialog.notSaved') : t('contacts.dialog.notAdded')}
                />
              ) : (
                <p className="problem problem--inline" role="alert">
                  {t('common.correctFields')}
                </p>
              )}
              {stale && (
                <p>
                  {t('contacts.dialog.nothingOverwritten')}{' '}
                  <Button variant="secondary" onClick={loadLatest} busy={loading} busyLabel={t('common.loading')}>
                    {t('contacts.dialog.loadLatest')}
                  </Button>
                </p>
              )}
            </div>
          )}

          <TextField
            label={t('contacts.fields.name')}
            error={errors.name?.message}
            autoComplete="off"
            required
            maxLength={200}
            {...register('name', { validate: (v) => Boolean(v.trim()) || t('contacts.form.nameRequired') })}
          />

          <TextField
            label={t('contacts.fields.relationship')}
            optional
            hint={t('contacts.fields.relationshipHint')}
            error={errors.relationship?.message}
            autoComplete="off"
            maxLength={100}
            {...register('relationship')}
          />

          <div className="field-row">
            <TextField
              label={t('contacts.fields.phone')}
              optional={!emergency}
              hint={t('contacts.fields.phoneHint')}
              error={errors.phone?.message}
              className="field-row__grow"
              type="tel"
              autoComplete="off"
              inputMode="tel"
              maxLength={40}
              {...register('phone', {
                // The contacts service's rules, checked here too so the person learns them before sending:
                // an emergency contact needs a phone, and a phone must be one the service can read.
                validate: (v, all) =>
                  v.trim() ? phoneAccepted(v, all.phoneRegion) : !all.purposes.includes('emergency') || t('contacts.form.phoneRequired'),
              })}
            />
            <FormField
              label={t('contacts.fields.phoneRegion')}
              hint={t('contacts.fields.phoneRegionHint')}
              error={errors.phoneRegion?.message}
            >
              {(control) => (
                <select {...control} {...register('phoneRegion')}>
                  <CountryOptions />
                </select>
              )}
            </FormField>
          </div>

          <TextField
            label={t('contacts.fields.email')}
            optional
            error={errors.email?.message}
            type="email"
            autoComplete="off"
            maxLength={254}
            {...register('email', { validate: (v) => !v.trim() || emailPattern.test(v.trim()) || t('fieldProblems.email') })}
          />

          <AddressFields optional />

          <FieldGroup legend={t('contacts.fields.purposes')} hint={t('contacts.fields.purposesHint')} error={errors.purposes?.message}>
            {purposes.map((purpose) => (
              <div className="choice" key={purpose}>
                <input
                  id={`purpose-${purpose}`}
                  type="checkbox"
                  value={purpose}
                  aria-describedby={`purpose-${purpose}-hint`}
                  {...register('purposes', { validate: (v) => v.length > 0 || t('contacts.form.purposeRequired') })}
                />
                <label htmlFor={`purpose-${purpose}`}>{t(`contacts.purposes.${purpose}`)}</label>
                <p id={`purpose-${purpose}-hint`} className="choice__hint">
                  {t(`contacts.purposeHints.${purpose}`)}
                </p>
              </div>
            ))}
          </FieldGroup>

          <FormField label={t('contacts.fields.notes')} optional error={errors.notes?.message}>
            {(control) => <textarea {...control} rows={3} maxLength={2000} {...register('notes')} />}
          </FormField>

          <div className="form-actions">
            <Button variant="secondary" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="primary" busy={busy} busyLabel={t('common.saving')} disabled={stale}>
              {editing ? t('contacts.dialog.saveChanges') : t('contacts.dialog.add')}
            </Button>
          </div>
        </form>
      </FormProvider>
    </Dialog>
  );
}
