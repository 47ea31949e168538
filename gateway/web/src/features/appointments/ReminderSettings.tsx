// The clinic's reminder emails: how many hours before each appointment they go out (1 to 168, a
// week). Staff of the clinic change it here; the notifications service keeps it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { call, problemOfError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useServerProblem } from '../../app/formErrors';
import type { ClinicNotificationSettings } from '../../app/model';
import { keys } from '../../app/queryClient';
import { Button } from '../../components/Button';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';
import { TextField } from '../../components/FormField';

const path = '/api/v1/staff/notification-settings';

interface ReminderValues {
  reminderLeadHours: string;
}

export function ReminderSettings() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: keys.clinicNotificationSettings, queryFn: ({ signal }) => call('get', path, { signal }) });
  return (
    <section className="card" aria-labelledby="reminders-heading">
      <h2 id="reminders-heading">{t('scheduling.reminders.heading')}</h2>
      {settings.error && (
        <>
          <ProblemMessage problem={problemOfError(settings.error)} heading={t('scheduling.reminders.couldNotLoad')} />
          <Button onClick={() => void settings.refetch()}>{t('common.tryAgain')}</Button>
        </>
      )}
      {settings.isPending && <Loading>{t('scheduling.reminders.loading')}</Loading>}
      {settings.data && <ReminderForm saved={settings.data} />}
    </section>
  );
}

function ReminderForm({ saved }: { saved: ClinicNotificationSettings }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const form = useForm<ReminderValues>({ defaultValues: { reminderLeadHours: String(saved.reminderLeadHours) } });
  const { register, handleSubmit, formState, reset } = form;
  const server = useServerProblem(form, ['reminderLeadHours']);
  const save = useMutation({
    mutationFn: (body: ClinicNotificationSettings) => call('put', path, { body }),
    onSuccess: (answer) => queryClient.setQueryData(keys.clinicNotificationSettings, answer),
  });
  useEffect(() => reset({ reminderLeadHours: String(saved.reminderLeadHours) }), [saved, reset]);

  const submit = handleSubmit(
    async (values) => {
      server.clear();
      try {
        const answer = await save.mutateAsync({ reminderLeadHours: Number(values.reminderLeadHours) });
        announce(t('scheduling.reminders.saved', { count: answer.reminderLeadHours }));
      } catch (error) {
        server.show(error);
      }
    },
    () => server.clear(),
  );

  return (
    <form onSubmit={submit} noValidate className="stack-form">
      <div ref={server.summaryRef} tabIndex={-1}>
        {server.problem && (
          <ProblemMessage problem={server.problem} otherErrors={server.other} heading={t('scheduling.reminders.notSaved')} />
        )}
      </div>
      <TextField
        label={t('scheduling.reminders.label')}
        hint={t('scheduling.reminders.hint')}
        error={formState.errors.reminderLeadHours?.message}
        type="number"
        inputMode="numeric"
        min={1}
        max={168}
        step={1}
        inputClassName="input--short"
        {...register('reminderLeadHours', {
          validate: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 168) || t('scheduling.reminders.range'),
        })}
      />
      <div className="form-actions form-actions--start">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('common.saving')}>
          {t('scheduling.reminders.save')}
        </Button>
      </div>
    </form>
  );
}
