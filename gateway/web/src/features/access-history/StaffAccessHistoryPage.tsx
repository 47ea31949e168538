// The staff view of a patient's record-access history: every access and every refused attempt,
// newest first, narrowed by dates and by person; names come from the clinic's list of users.
// Read only: the trail cannot be changed from anywhere.
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { problemOfError } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { isRole } from '../../app/model';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { FormField, TextField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { useUsers } from '../staff/staffApi';
import { describeAccess } from './accessWords';
import { endOfDay, startOfDay, useRecordAccesses, type AccessFilter } from './accessHistoryApi';
import { ScrollTable } from '../../components/ScrollTable';

interface FilterValues {
  patientId: string;
  from: string;
  to: string;
  actorId: string;
}

export function StaffAccessHistoryPage() {
  const { t } = useTranslation();
  usePageTitle(t('accessHistory.staff.title'));
  const dates = useClinicDates();
  const users = useUsers();
  // A patient's record page links here with ?patient=<id>: their history shows at once.
  const [search] = useSearchParams();
  const linkedPatient = search.get('patient') ?? '';
  const [shown, setShown] = useState<{ patientId: string; filter: AccessFilter } | null>(
    linkedPatient ? { patientId: linkedPatient, filter: {} } : null,
  );
  const history = useRecordAccesses(shown?.patientId ?? null, shown?.filter ?? {});
  const accesses = history.data?.pages.flatMap((page) => page.accesses) ?? [];

  const people = [...(users.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const patients = people.filter((u) => u.roles.includes('patient'));
  const nameOf = (id: string) => people.find((u) => u.id === id)?.name ?? t('accessHistory.staff.unknownPerson', { id: id.slice(0, 8) });

  const form = useForm<FilterValues>({ defaultValues: { patientId: linkedPatient, from: '', to: '', actorId: '' } });
  const { register, handleSubmit, formState, getValues } = form;
  // The linked patient is chosen in the form once the list of patients has its option.
  useEffect(() => {
    if (linkedPatient && users.data) form.setValue('patientId', linkedPatient);
  }, [linkedPatient, users.data, form]);
  const submit = handleSubmit((values) => {
    const filter: AccessFilter = {};
    const from = startOfDay(values.from);
    const before = endOfDay(values.to);
    if (from) filter.from = from;
    if (before) filter.before = before;
    if (values.actorId) filter.actorId = values.actorId;
    setShown({ patientId: values.patientId, filter });
  });

  return (
    <>
      <PageHeader title={t('accessHistory.staff.title')} lead={t('accessHistory.staff.lead')} />
      {users.error && (
        <div className="card">
          <ProblemMessage problem={problemOfError(users.error)} heading={t('staff.users.couldNotLoad')} />
          <Button onClick={() => void users.refetch()}>{t('common.tryAgain')}</Button>
        </div>
      )}
      <section className="card" aria-labelledby="history-filter-heading">
        <h2 id="history-filter-heading">{t('accessHistory.staff.filterHeading')}</h2>
        <form onSubmit={submit} noValidate>
          <div className="field-row field-row--end">
            <FormField label={t('accessHistory.staff.patient')} error={formState.errors.patientId?.message} className="field-row__grow">
              {(control) => (
                <select {...control} {...register('patientId', { required: t('accessHistory.staff.patientRequired') })}>
                  <option value="">{t('accessHistory.staff.choosePatient')}</option>
                  {patients.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.email})
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField label={t('accessHistory.staff.person')} optional className="field-row__grow">
              {(control) => (
                <select {...control} {...register('actorId')}>
                  <option value="">{t('accessHistory.staff.anyone')}</option>
                  {people.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </div>
          <div className="field-row field-row--end">
            <TextField label={t('accessHistory.staff.from')} optional type="date" {...register('from')} />
            <TextField
              label={t('accessHistory.staff.to')}
              optional
              type="date"
              error={formState.errors.to?.message}
              {...register('to', {
                validate: (to) => !to || !getValues('from') || to >= getValues('from') || t('accessHistory.staff.toBeforeFrom'),
              })}
            />
            <Button type="submit" variant="primary">
              {t('accessHistory.staff.show')}
            </Button>
          </div>
        </form>
      </section>
      {history.error && (
        <div className="card">
          <ProblemMessage problem={problemOfError(history.error)} heading={t('accessHistory.couldNotLoad')} />
          <Button onClick={() => void history.refetch()}>{t('common.tryAgain')}</Button>
        </div>
      )}
      {shown && history.isPending && !history.error && <Loading>{t('accessHistory.loading')}</Loading>}
      {history.data && (
        <section className="card" aria-labelledby="history-heading">
          <h2 id="history-heading">{t('accessHistory.staff.heading', { name: nameOf(shown!.patientId) })}</h2>
          {accesses.length === 0 ? (
            <p>{t('accessHistory.staff.empty')}</p>
          ) : (
            <ScrollTable
              labelledBy="history-heading"
              columns={[
                t('accessHistory.staff.columns.when'),
                t('accessHistory.staff.columns.who'),
                t('accessHistory.staff.columns.what'),
                t('accessHistory.staff.columns.outcome'),
                t('accessHistory.staff.columns.from'),
              ]}
            >
              {accesses.map((access) => (
                <tr key={access.id}>
                  <th scope="row">
                    <time dateTime={access.occurredAt}>{dates.dateTime(access.occurredAt)}</time>
                  </th>
                  <td>
                    {nameOf(access.actor.id)}
                    <span className="table__sub">
                      {isRole(access.actor.role) ? t(`staff.roles.${access.actor.role}`) : t('staff.roles.unknown')}
                      {access.actor.clinicId ? ` · ${access.actor.clinicId}` : ''}
                    </span>
                  </td>
                  <td>
                    {describeAccess(t, access)}
                    <span className="table__sub">{access.action}</span>
                  </td>
                  <td>
                    {access.outcome === 'refused' ? (
                      <span className="badge badge--revoked">{t('accessHistory.staff.refused')}</span>
                    ) : (
                      t('accessHistory.staff.allowed')
                    )}
                  </td>
                  <td>{access.sourceIp || '—'}</td>
                </tr>
              ))}
            </ScrollTable>
          )}
          {history.hasNextPage && (
            <Button onClick={() => void history.fetchNextPage()} busy={history.isFetchingNextPage} busyLabel={t('common.loading')}>
              {t('accessHistory.older')}
            </Button>
          )}
        </section>
      )}
    </>
  );
}
