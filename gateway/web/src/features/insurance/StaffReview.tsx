// What staff do with a coverage on the patient's record: verify it, ask the patient for more
// information (the message is shown to them), and read who changed what.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { problemOfError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useServerProblem } from '../../app/formErrors';
import { useClinicDates } from '../../app/dates';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FormField } from '../../components/FormField';
import { FormSummary } from '../../components/FormSummary';
import { ProblemMessage } from '../../components/ProblemMessage';
import { useCoverageChanges, useCoverageHistory, type Coverage } from './insuranceApi';

export function CoverageReview({ coverage }: { coverage: Coverage }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const changes = useCoverageChanges(coverage.patientId);
  const [asking, setAsking] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const active = coverage.status === 'active';
  const verify = async () => {
    const saved = await changes.verify.mutateAsync(coverage);
    announce(t('insurance.review.verifiedNow', { payer: saved.payerName }));
  };
  return (
    <div className="coverage-review">
      {active && (
        <div className="coverage-card__actions">
          {coverage.verification !== 'verified' && (
            <Button variant="primary" onClick={() => void verify()} busy={changes.verify.isPending} busyLabel={t('common.saving')}>
              {t('insurance.review.verify')}
            </Button>
          )}
          <Button variant="secondary" onClick={() => setAsking(true)}>
            {t('insurance.review.askForInformation')}
          </Button>
        </div>
      )}
      {changes.verify.error && (
        <ProblemMessage problem={problemOfError(changes.verify.error)} heading={t('insurance.review.notVerified')} />
      )}
      <Button variant="quiet" aria-expanded={showHistory} onClick={() => setShowHistory((shown) => !shown)}>
        {showHistory ? t('insurance.review.hideHistory') : t('insurance.review.showHistory')}
      </Button>
      {showHistory && <CoverageHistory coverage={coverage} />}
      {asking && <AskForInformation coverage={coverage} onClose={() => setAsking(false)} />}
    </div>
  );
}

function CoverageHistory({ coverage }: { coverage: Coverage }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const history = useCoverageHistory(coverage);
  if (history.error) return <ProblemMessage problem={problemOfError(history.error)} heading={t('insurance.review.historyFailed')} />;
  if (!history.data) return <p>{t('common.loading')}</p>;
  return (
    <ol className="coverage-history" aria-label={t('insurance.review.historyLabel', { payer: coverage.payerName })}>
      {history.data.map((change, index) => (
        <li key={`${change.at}-${index}`}>
          <time dateTime={change.at}>{dates.dateTime(change.at)}</time>{' '}
          {t(`insurance.review.actions.${change.action}`, {
            who: change.actorName || change.actorId,
            role: t(`insurance.review.roles.${change.actorRole}`, { defaultValue: change.actorRole }),
          })}
          {change.changedFields.length > 0 && (
            <span className="coverage-history__fields">
              {' '}
              ({change.changedFields.map((f) => t(`insurance.fields.${f}`, { defaultValue: f })).join(', ')})
            </span>
          )}
          {change.message && <q className="coverage-history__message">{change.message}</q>}
        </li>
      ))}
    </ol>
  );
}

function AskForInformation({ coverage, onClose }: { coverage: Coverage; onClose(): void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const changes = useCoverageChanges(coverage.patientId);
  const form = useForm<{ message: string }>({ defaultValues: { message: '' } });
  const server = useServerProblem(form, ['message'] as const);
  const { errors } = form.formState;
  const send = form.handleSubmit(async ({ message }) => {
    server.clear();
    try {
      await changes.requestInformation.mutateAsync({ coverage, message: message.trim() });
      announce(t('insurance.review.askedNow', { payer: coverage.payerName }));
      onClose();
    } catch (error) {
      server.show(error);
    }
  });
  return (
    <Dialog
      title={t('insurance.review.askTitle', { payer: coverage.payerName })}
      onClose={onClose}
      description={t('insurance.review.askDescription')}
      unsavedChanges={form.formState.isDirty}
    >
      <form onSubmit={send} noValidate>
        <FormSummary server={server} hasFieldErrors={Boolean(errors.message)} heading={t('insurance.review.notSent')} />
        <FormField label={t('insurance.review.message')} error={errors.message?.message}>
          {(control) => (
            <textarea
              {...control}
              rows={4}
              maxLength={1000}
              required
              {...form.register('message', { validate: (v) => Boolean(v.trim()) || t('fieldProblems.required') })}
            />
          )}
        </FormField>
        <div className="form-actions">
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel={t('common.sending')}>
            {t('insurance.review.send')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
