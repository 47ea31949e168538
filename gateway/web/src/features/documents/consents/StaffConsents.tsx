// The consents section of a patient's record for staff: assign one of the clinic's consent texts
// (a release of information names one of the patient's contacts, what may be shared and until
// when), the patient's consents with their signed PDFs, and the check that a PDF someone hands in
// is one Portico produced, unchanged (hashed in the browser; only its SHA-256 is sent).
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../../../app/announcer';
import { problemOfError } from '../../../app/api';
import { useClinicDates } from '../../../app/dates';
import { Button } from '../../../components/Button';
import { FormField, TextField } from '../../../components/FormField';
import { ProblemMessage } from '../../../components/ProblemMessage';
import { useContacts } from '../../contacts/contactsApi';
import { ConsentList } from './ConsentList';
import { useAssignConsent, useConsentTemplates, useVerifySignedPdf } from './consentsApi';
import './consents.css';

interface AssignValues {
  templateId: string;
  contactId: string;
  scope: string;
  expiresOn: string;
}

export function PatientConsentsSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <h2 id="record-consents-heading">{t('consents.staff.heading')}</h2>
      <AssignConsentForm patientId={patientId} />
      <ConsentList patientId={patientId} staffView />
      <VerifySignedPdf />
    </>
  );
}

function AssignConsentForm({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const templates = useConsentTemplates();
  const contacts = useContacts(patientId);
  const assign = useAssignConsent(patientId);
  const form = useForm<AssignValues>({ defaultValues: { templateId: 'consent-to-treatment', contactId: '', scope: '', expiresOn: '' } });
  const chosen = templates.data?.find((x) => x.id === form.watch('templateId'));
  const isRelease = chosen?.kind === 'release_of_information';
  const serverErrors = assign.error ? (problemOfError(assign.error).errors ?? []) : [];
  const errorOf = (field: keyof AssignValues, server: string) =>
    form.formState.errors[field]?.message ?? serverErrors.find((e) => e.field === server)?.message;

  const send = form.handleSubmit((values) => {
    assign.mutate(
      {
        templateId: values.templateId,
        ...(isRelease ? { release: { contactId: values.contactId, scope: values.scope, expiresOn: values.expiresOn } } : {}),
      },
      {
        onSuccess: ({ consent }) => {
          announce(t('consents.staff.assigned', { name: consent.title }));
          form.reset({ ...values, scope: '', expiresOn: '' });
        },
      },
    );
  });

  return (
    <form className="consent-assign" onSubmit={send} noValidate>
      <FormField label={t('consents.staff.template')}>
        {(control) => (
          <select {...control} {...form.register('templateId')}>
            {(templates.data ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {x.title} ({t('consents.version', { version: x.version })})
              </option>
            ))}
          </select>
        )}
      </FormField>
      {isRelease && (
        <>
          <FormField label={t('consents.staff.contact')} error={errorOf('contactId', 'release.contact_id')}>
            {(control) => (
              <select {...control} {...form.register('contactId', { required: t('consents.staff.contactMissing') })}>
                <option value="">{t('consents.staff.chooseContact')}</option>
                {(contacts.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <TextField
            label={t('consents.staff.scope')}
            hint={t('consents.staff.scopeHint')}
            error={errorOf('scope', 'release.scope')}
            {...form.register('scope', { validate: (v) => v.trim() !== '' || t('consents.staff.scopeMissing') })}
          />
          <TextField
            type="date"
            label={t('consents.staff.expiresOn')}
            error={errorOf('expiresOn', 'release.expires_on')}
            {...form.register('expiresOn', { required: t('consents.staff.expiresOnMissing') })}
          />
        </>
      )}
      {assign.isError && <ProblemMessage problem={problemOfError(assign.error)} heading={t('consents.staff.notAssigned')} />}
      <div className="form-actions form-actions--start">
        <Button type="submit" variant="primary" busy={assign.isPending} busyLabel={t('common.sending')}>
          {t('consents.staff.assign')}
        </Button>
      </div>
    </form>
  );
}

function VerifySignedPdf() {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const verify = useVerifySignedPdf();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const result = verify.data;
  return (
    <section className="consent-verify" aria-labelledby="consent-verify-heading">
      <h3 id="consent-verify-heading">{t('consents.staff.verifyHeading')}</h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (file) verify.mutate(file);
        }}
      >
        <label htmlFor={inputId}>{t('consents.staff.verifyFile')}</label>{' '}
        <input id={inputId} type="file" accept="application/pdf,.pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />{' '}
        <Button type="submit" variant="secondary" disabled={!file} busy={verify.isPending} busyLabel={t('common.sending')}>
          {t('consents.staff.verify')}
        </Button>
      </form>
      <div aria-live="polite">
        {result &&
          (result.genuine ? (
            <p className="verify-result verify-result--genuine" data-testid="verify-result">
              {t('consents.staff.genuine', { title: result.title, when: dates.dateTime(result.signedAt!) })}
            </p>
          ) : (
            <p className="verify-result verify-result--not" data-testid="verify-result">
              {t('consents.staff.notGenuine')}
            </p>
          ))}
      </div>
      {verify.isError && <ProblemMessage problem={problemOfError(verify.error)} heading={t('consents.staff.notVerified')} />}
    </section>
  );
}
