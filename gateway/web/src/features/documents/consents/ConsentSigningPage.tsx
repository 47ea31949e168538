// One consent, opened with its pencil button: its text as assigned, then (once) the
// electronic-records disclosure to accept, then the signature — the typed full name, and a drawn
// signature if the signer wants one — and Save at the bottom. A signed consent shows who signed
// and when, its PDF, and for a release of information the revocation.
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAnnounce } from '../../../app/announcer';
import { problemOfError } from '../../../app/api';
import { useClinicDates } from '../../../app/dates';
import { useSession } from '../../../app/session';
import { usePageTitle } from '../../../app/usePageTitle';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { TextField } from '../../../components/FormField';
import { Icon } from '../../../components/Icon';
import { PageHeader } from '../../../components/PageHeader';
import { ProblemMessage } from '../../../components/ProblemMessage';
import { ReleaseLine } from './ConsentList';
import {
  signedPdfUrl,
  useAcceptDisclosure,
  useConsent,
  useRevokeRelease,
  useSignConsent,
  type Consent,
  type Disclosure,
} from './consentsApi';
import { SignaturePadField, type SignaturePadHandle } from './SignaturePadField';
import './consents.css';

export function ConsentSigningPage() {
  const { t } = useTranslation();
  const { consentId = '' } = useParams();
  const { patient } = useSession();
  const patientId = patient?.id ?? '';
  const query = useConsent(patientId, consentId);
  usePageTitle(query.data?.consent.title ?? t('consents.title'));
  // Held here, not in the form: once signed the form gives way to the signed consent, and the
  // outcome is still announced and focus moved to it.
  const sign = useSignConsent(patientId, consentId);

  return (
    <>
      <PageHeader title={query.data?.consent.title ?? t('consents.title')} lead={t('consents.lead')} />
      <p>
        <Link to="/documents/consents">{t('consents.back')}</Link>
      </p>
      {query.isError && <ProblemMessage problem={problemOfError(query.error)} heading={t('consents.couldNotLoadOne')} />}
      {!query.data && !query.isError && <p>{t('consents.loading')}</p>}
      {query.data && (
        <>
          <article className="card consent-text" aria-labelledby="consent-text-heading">
            <h2 id="consent-text-heading">{t('consents.textHeading')}</h2>
            {query.data.consent.release && <ReleaseLine patientId={patientId} consent={query.data.consent} />}
            {query.data.text.split(/\n{2,}/).map((paragraph, index) => (
              <p key={index}>{paragraph}</p>
            ))}
            <p className="document-item__meta">{t('consents.version', { version: query.data.consent.templateVersion })}</p>
          </article>
          {query.data.consent.state === 'signed' ? (
            <SignedConsent patientId={patientId} consent={query.data.consent} justSigned={sign.isSuccess} />
          ) : !query.data.disclosureAccepted ? (
            <DisclosureForm patientId={patientId} disclosure={query.data.disclosure} />
          ) : (
            <SignatureForm sign={sign} />
          )}
        </>
      )}
    </>
  );
}

function DisclosureForm({ patientId, disclosure }: { patientId: string; disclosure: Disclosure }) {
  const { t } = useTranslation();
  const accept = useAcceptDisclosure(patientId);
  const [agreed, setAgreed] = useState(false);
  const [missing, setMissing] = useState(false);
  return (
    <section className="card consent-disclosure" aria-labelledby="disclosure-heading">
      <h2 id="disclosure-heading">{disclosure.title}</h2>
      <p>{t('consents.disclosure.intro')}</p>
      {disclosure.sections.map((s) => (
        <div key={s.heading}>
          <h3>{s.heading}</h3>
          <p>{s.body}</p>
        </div>
      ))}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!agreed) return setMissing(true);
          accept.mutate(disclosure.version);
        }}
        noValidate
      >
        <label className="checkbox">
          <input
            type="checkbox"
            checked={agreed}
            onChange={(e) => {
              setAgreed(e.target.checked);
              setMissing(false);
            }}
            aria-invalid={missing || undefined}
            aria-describedby={missing ? 'disclosure-missing' : undefined}
          />{' '}
          {t('consents.disclosure.agree')}
        </label>
        {missing && (
          <p id="disclosure-missing" className="field__error" role="alert">
            {t('consents.disclosure.tickFirst')}
          </p>
        )}
        {accept.isError && <ProblemMessage problem={problemOfError(accept.error)} heading={t('consents.disclosure.notSaved')} />}
        <div className="form-actions form-actions--start">
          <Button type="submit" variant="primary" busy={accept.isPending} busyLabel={t('common.sending')}>
            {t('consents.disclosure.accept')}
          </Button>
        </div>
      </form>
      <p className="document-item__meta">{t('consents.disclosure.version', { version: disclosure.version })}</p>
    </section>
  );
}

function SignatureForm({ sign }: { sign: ReturnType<typeof useSignConsent> }) {
  const { t } = useTranslation();
  const pad = useRef<SignaturePadHandle>(null);
  const form = useForm<{ typedName: string }>({ defaultValues: { typedName: '' } });
  const serverErrors = sign.error ? (problemOfError(sign.error).errors ?? []) : [];
  const nameError = form.formState.errors.typedName?.message ?? serverErrors.find((e) => e.field === 'typed_name')?.message;

  const save = form.handleSubmit(({ typedName }) => {
    const drawing = pad.current?.drawing();
    sign.mutate({ typedName, ...(drawing ? { drawing } : {}) });
  });

  return (
    <section className="card consent-signature" aria-labelledby="signature-heading">
      <h2 id="signature-heading">{t('consents.sign.heading')}</h2>
      <form onSubmit={save} noValidate>
        <TextField
          label={t('consents.sign.typedName')}
          hint={t('consents.sign.typedNameHint')}
          error={nameError}
          autoComplete="name"
          {...form.register('typedName', { validate: (v) => v.trim() !== '' || t('consents.sign.typedNameMissing') })}
        />
        <div className="field">
          <p className="field__label" id="drawing-label">
            {t('consents.sign.drawing')} <span className="field__optional">{t('common.optional')}</span>
          </p>
          <p className="field__hint" id="drawing-hint">
            {t('consents.sign.drawingHint')}
          </p>
          <SignaturePadField handle={pad} hintId="drawing-hint" />
        </div>
        {sign.isError && <ProblemMessage problem={problemOfError(sign.error)} heading={t('consents.sign.notSaved')} />}
        <p>{t('consents.sign.declaration')}</p>
        <div className="form-actions form-actions--start">
          <Button type="submit" variant="primary" busy={sign.isPending} busyLabel={t('common.sending')}>
            {t('consents.sign.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function SignedConsent({ patientId, consent, justSigned }: { patientId: string; consent: Consent; justSigned: boolean }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const heading = useRef<HTMLHeadingElement>(null);
  // Just signed: the Save button is gone, so focus goes to what replaced it, and it is said.
  useEffect(() => {
    if (!justSigned) return;
    heading.current?.focus();
    announce(t('consents.sign.saved', { name: consent.title }));
  }, [justSigned, announce, t, consent.title]);
  const dates = useClinicDates();
  const revoke = useRevokeRelease(patientId);
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="card" aria-labelledby="signed-heading">
      <h2 id="signed-heading" ref={heading} tabIndex={-1}>
        {t('consents.signedHeading')}
      </h2>
      <p>{t('consents.signedBy', { name: consent.signedByName, when: dates.dateTime(consent.signedAt!) })}</p>
      <div className="consent-actions">
        <a className="button button--secondary" href={signedPdfUrl(patientId, consent.id)} download>
          <Icon name="download" />
          {t('consents.downloadPdf', { name: consent.title })}
        </a>
        {consent.release?.state === 'active' && (
          <Button variant="danger" onClick={() => setConfirming(true)}>
            {t('consents.release.revoke')}
          </Button>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title={t('consents.release.revokeTitle')}
          confirmLabel={t('consents.release.revoke')}
          busyLabel={t('common.sending')}
          variant="danger"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await revoke.mutateAsync(consent.id);
            setConfirming(false);
            announce(t('consents.release.revoked'));
          }}
        >
          <p>{t('consents.release.revokeBody')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
