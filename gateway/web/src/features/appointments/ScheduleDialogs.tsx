// Staff's dialogs for one appointment: book one (patient, clinician, what, when in the clinic's
// zone, in person where or by video with its link, a note for the patient), move one to a new
// time (refused when someone changed it meanwhile, with the latest to load), and cancel one with a
// reason the patient reads. The gateway's field problems are shown next to their fields.
import { useState } from 'react';
import { FormProvider, useForm, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError, newIdempotencyKey } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { useServerProblem } from '../../app/formErrors';
import type { PortalUser } from '../../app/model';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FormSummary } from '../../components/FormSummary';
import { FieldGroup, FormField, TextField } from '../../components/FormField';
import { useAppointmentChanges, type Appointment } from './appointmentsApi';
import { timeWords } from './appointmentWords';
import {
  endProblem,
  httpsLink,
  scheduleBody,
  scheduleFields,
  scheduleWords,
  timeBody,
  timeFields,
  timeValuesOf,
  type ScheduleValues,
  type TimeValues,
} from './scheduleForm';

export function ScheduleDialog({
  patients,
  clinicians,
  initial,
  onScheduled,
  onClose,
}: {
  patients: PortalUser[];
  clinicians: PortalUser[];
  initial: ScheduleValues;
  onScheduled(appointment: Appointment): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const changes = useAppointmentChanges();
  const form = useForm<ScheduleValues>({ defaultValues: initial });
  const { register, formState, handleSubmit, watch } = form;
  const { errors } = formState;
  const server = useServerProblem(form, scheduleFields, scheduleWords);
  const mode = watch('mode');

  const save = handleSubmit(
    async (values) => {
      server.clear();
      try {
        const appointment = await changes.schedule.mutateAsync({ patientId: values.patientId, body: scheduleBody(values), idempotencyKey });
        onScheduled(appointment);
      } catch (error) {
        server.show(error);
      }
    },
    () => server.clear(),
  );

  return (
    <Dialog
      title={t('scheduling.schedule.title')}
      onClose={onClose}
      wide
      description={t('scheduling.schedule.description')}
      unsavedChanges={formState.isDirty}
    >
      <FormProvider {...form}>
        <form onSubmit={save} noValidate>
          <FormSummary server={server} hasFieldErrors={Object.keys(errors).length > 0} heading={t('scheduling.schedule.notScheduled')} />
          <div className="field-row">
            <FormField label={t('scheduling.fields.patient')} error={errors.patientId?.message} className="field-row__grow">
              {(control) => (
                <select {...control} {...register('patientId', { required: t('scheduling.form.patientRequired') })}>
                  <option value="">{t('scheduling.fields.choosePatient')}</option>
                  {patients.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.email || p.username})
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField label={t('scheduling.fields.clinician')} error={errors.clinicianId?.message} className="field-row__grow">
              {(control) => (
                <select {...control} {...register('clinicianId', { required: t('scheduling.form.clinicianRequired') })}>
                  <option value="">{t('scheduling.fields.chooseClinician')}</option>
                  {clinicians.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </div>
          <TextField
            label={t('scheduling.fields.serviceType')}
            hint={t('scheduling.fields.serviceTypeHint')}
            error={errors.serviceType?.message}
            maxLength={200}
            autoComplete="off"
            {...register('serviceType', { validate: (v) => Boolean(v.trim()) || t('scheduling.form.serviceTypeRequired') })}
          />
          <TimeFields />
          <FieldGroup legend={t('scheduling.fields.mode')} error={errors.mode?.message}>
            {(['in_person', 'telehealth'] as const).map((value) => (
              <div className="choice" key={value}>
                <input id={`schedule-mode-${value}`} type="radio" value={value} {...register('mode')} />
                <label htmlFor={`schedule-mode-${value}`}>{t(`appointments.mode.${value}`)}</label>
                <p className="choice__hint">{t(`scheduling.fields.modeHints.${value}`)}</p>
              </div>
            ))}
          </FieldGroup>
          {mode === 'in_person' ? (
            <TextField
              key="location"
              label={t('scheduling.fields.location')}
              hint={t('scheduling.fields.locationHint')}
              error={errors.location?.message}
              maxLength={300}
              autoComplete="off"
              {...register('location', {
                validate: (v, all) => all.mode !== 'in_person' || Boolean(v.trim()) || t('scheduling.form.locationRequired'),
              })}
            />
          ) : (
            <TextField
              key="meetingUrl"
              label={t('scheduling.fields.meetingUrl')}
              hint={t('scheduling.fields.meetingUrlHint')}
              error={errors.meetingUrl?.message}
              type="url"
              maxLength={2000}
              autoComplete="off"
              {...register('meetingUrl', {
                validate: (v, all) =>
                  all.mode !== 'telehealth' ||
                  (!v.trim() ? t('scheduling.form.meetingUrlRequired') : httpsLink.test(v.trim()) || t('scheduling.form.meetingUrlHttps')),
              })}
            />
          )}
          <FormField
            label={t('scheduling.fields.noteForPatient')}
            hint={t('scheduling.fields.noteForPatientHint')}
            optional
            error={errors.noteForPatient?.message}
          >
            {(control) => <textarea {...control} rows={3} maxLength={2000} {...register('noteForPatient')} />}
          </FormField>
          <div className="form-actions">
            <Button variant="secondary" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('scheduling.schedule.busy')}>
              {t('scheduling.schedule.submit')}
            </Button>
          </div>
        </form>
      </FormProvider>
    </Dialog>
  );
}

/** Date, start and end in the clinic's zone (named), inside a FormProvider; the end comes after the start. */
function TimeFields() {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const {
    register,
    getValues,
    formState: { errors },
  } = useFormContext<TimeValues>();
  return (
    <fieldset className="field-set">
      <legend>{t('scheduling.fields.when', { zone: dates.zoneName() })}</legend>
      <div className="field-row">
        <TextField
          label={t('scheduling.fields.day')}
          type="date"
          error={errors.day?.message}
          {...register('day', { required: t('scheduling.form.dayRequired') })}
        />
        <TextField
          label={t('scheduling.fields.start')}
          type="time"
          error={errors.start?.message}
          {...register('start', { required: t('scheduling.form.startRequired') })}
        />
        <TextField
          label={t('scheduling.fields.end')}
          type="time"
          error={errors.end?.message}
          {...register('end', {
            required: t('scheduling.form.endRequired'),
            validate: () => endProblem(getValues()) ?? true,
          })}
        />
      </div>
    </fieldset>
  );
}

export function RescheduleDialog({
  appointment,
  patientName,
  onRescheduled,
  onClose,
}: {
  appointment: Appointment;
  patientName: string;
  onRescheduled(appointment: Appointment): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const dates = useClinicDates().inZone(appointment.timeZone);
  const [current, setCurrent] = useState(appointment);
  const [stale, setStale] = useState(false);
  const [loading, setLoading] = useState(false);
  const changes = useAppointmentChanges();
  const form = useForm<TimeValues>({ defaultValues: timeValuesOf(appointment, dates.wallClock) });
  const { formState, handleSubmit } = form;
  const server = useServerProblem(form, timeFields);
  const when = timeWords(t, dates, current);

  const save = handleSubmit(
    async (values) => {
      server.clear();
      setStale(false);
      try {
        onRescheduled(await changes.reschedule.mutateAsync({ appointment: current, body: timeBody(values) }));
      } catch (error) {
        // 412: the appointment changed since this dialog opened (If-Match); other refusals are about the new time.
        setStale(error instanceof ApiError && error.status === 412);
        server.show(error);
      }
    },
    () => server.clear(),
  );

  const loadLatest = async () => {
    setLoading(true);
    try {
      const latest = await changes.latest(current);
      setCurrent(latest);
      form.reset(timeValuesOf(latest, dates.wallClock));
      server.clear();
      setStale(false);
      setTimeout(() => form.setFocus('day'));
    } catch (error) {
      server.show(error);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Dialog
      title={t('scheduling.reschedule.title', { name: patientName })}
      onClose={onClose}
      wide
      unsavedChanges={formState.isDirty}
      description={t('scheduling.reschedule.now', { day: when.day, start: when.start, end: when.end, service: current.serviceType })}
    >
      <FormProvider {...form}>
        <form onSubmit={save} noValidate>
          <FormSummary
            server={server}
            hasFieldErrors={Object.keys(formState.errors).length > 0}
            heading={stale ? t('scheduling.reschedule.stale') : t('scheduling.reschedule.notMoved')}
          >
            {stale && (
              <p>
                {t('scheduling.reschedule.nothingOverwritten')}{' '}
                <Button variant="secondary" onClick={loadLatest} busy={loading} busyLabel={t('common.loading')}>
                  {t('scheduling.reschedule.loadLatest')}
                </Button>
              </p>
            )}
          </FormSummary>
          <TimeFields />
          <p className="field__hint">{t('scheduling.reschedule.patientTold')}</p>
          <div className="form-actions">
            <Button variant="secondary" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('common.saving')} disabled={stale}>
              {t('scheduling.reschedule.submit')}
            </Button>
          </div>
        </form>
      </FormProvider>
    </Dialog>
  );
}

interface CancelValues {
  reason: string;
}

export function CancelDialog({
  appointment,
  patientName,
  onCancelled,
  onClose,
}: {
  appointment: Appointment;
  patientName: string;
  onCancelled(appointment: Appointment): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const when = timeWords(t, dates, appointment);
  const changes = useAppointmentChanges();
  const form = useForm<CancelValues>({ defaultValues: { reason: '' } });
  const { register, formState, handleSubmit } = form;
  const server = useServerProblem(form, ['reason']);

  const save = handleSubmit(
    async ({ reason }) => {
      server.clear();
      try {
        onCancelled(await changes.cancel.mutateAsync({ appointment, reason: reason.trim() }));
      } catch (error) {
        server.show(error);
      }
    },
    () => server.clear(),
  );

  return (
    <Dialog
      title={t('scheduling.cancel.title', { name: patientName })}
      onClose={onClose}
      unsavedChanges={formState.isDirty}
      description={t('scheduling.cancel.which', { day: when.day, start: when.start, service: appointment.serviceType })}
    >
      <form onSubmit={save} noValidate>
        <FormSummary server={server} hasFieldErrors={Boolean(formState.errors.reason)} heading={t('scheduling.cancel.notCancelled')} />
        <FormField label={t('scheduling.cancel.reason')} hint={t('scheduling.cancel.reasonHint')} error={formState.errors.reason?.message}>
          {(control) => (
            <textarea
              {...control}
              rows={3}
              maxLength={500}
              {...register('reason', { validate: (v) => Boolean(v.trim()) || t('scheduling.cancel.reasonRequired') })}
            />
          )}
        </FormField>
        <div className="form-actions">
          <Button variant="secondary" onClick={onClose}>
            {t('scheduling.cancel.keep')}
          </Button>
          <Button type="submit" variant="danger" busy={formState.isSubmitting} busyLabel={t('scheduling.cancel.busy')}>
            {t('scheduling.cancel.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
