// "Email preferences" from the account menu: a patient or a guardian turns the appointment emails
// (booked, moved, cancelled, and the reminder before each visit) on or off, for themself. The
// notifications service keeps the choice; the appointments stay in the portal either way.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { call, problemOfError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useServerProblem } from '../../app/formErrors';
import type { NotificationPreferences } from '../../app/model';
import { keys } from '../../app/queryClient';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { FieldGroup } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';

const path = '/api/v1/me/notification-preferences';

export function useNotificationPreferences() {
  return useQuery({ queryKey: keys.notificationPreferences, queryFn: ({ signal }) => call('get', path, { signal }) });
}

export function EmailPreferencesPage() {
  const { t } = useTranslation();
  usePageTitle(t('emailPreferences.title'));
  const { me } = useSession();
  const preferences = useNotificationPreferences();
  const guardian = me.user.roles.includes('guardian');

  return (
    <>
      <PageHeader title={t('emailPreferences.title')} lead={guardian ? t('emailPreferences.leadGuardian') : t('emailPreferences.lead')} />
      {preferences.error && (
        <div className="card">
          <ProblemMessage problem={problemOfError(preferences.error)} heading={t('emailPreferences.couldNotLoad')} />
          <Button onClick={() => void preferences.refetch()}>{t('common.tryAgain')}</Button>
        </div>
      )}
      {preferences.isPending && <Loading>{t('emailPreferences.loading')}</Loading>}
      {preferences.data && <PreferencesForm saved={preferences.data} />}
    </>
  );
}

function PreferencesForm({ saved }: { saved: NotificationPreferences }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const form = useForm<NotificationPreferences>({ defaultValues: saved });
  const { register, handleSubmit, formState, reset } = form;
  const server = useServerProblem(form, ['appointmentEmails']);
  const save = useMutation({
    mutationFn: (body: NotificationPreferences) => call('put', path, { body }),
    onSuccess: (answer) => queryClient.setQueryData(keys.notificationPreferences, answer),
  });
  // What the service kept becomes what the form starts from (and what "unchanged" compares to).
  useEffect(() => reset(saved), [saved, reset]);

  const submit = handleSubmit(
    async (values) => {
      server.clear();
      try {
        const answer = await save.mutateAsync({ appointmentEmails: values.appointmentEmails });
        announce(answer.appointmentEmails ? t('emailPreferences.savedOn') : t('emailPreferences.savedOff'));
      } catch (error) {
        server.show(error);
      }
    },
    () => server.clear(),
  );

  return (
    <section className="card" aria-labelledby="email-choices-heading">
      <h2 id="email-choices-heading">{t('emailPreferences.heading')}</h2>
      <form onSubmit={submit} noValidate className="stack-form">
        <div ref={server.summaryRef} tabIndex={-1}>
          {server.problem && (
            <ProblemMessage problem={server.problem} otherErrors={server.other} heading={t('emailPreferences.notSaved')} />
          )}
        </div>
        <FieldGroup legend={t('emailPreferences.appointmentsLegend')} error={formState.errors.appointmentEmails?.message}>
          <div className="choice">
            <input id="appointment-emails" type="checkbox" aria-describedby="appointment-emails-hint" {...register('appointmentEmails')} />
            <label htmlFor="appointment-emails">{t('emailPreferences.appointmentEmails')}</label>
            <p id="appointment-emails-hint" className="choice__hint">
              {t('emailPreferences.appointmentEmailsHint')}
            </p>
          </div>
        </FieldGroup>
        <div className="form-actions form-actions--start">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('common.saving')}>
            {t('emailPreferences.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}
