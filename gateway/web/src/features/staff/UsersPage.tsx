// Everyone with a portal account, and which patients each guardian acts for: staff link a
// guardian to a patient or remove the link (the auth service keeps the links; the guardian's next
// token carries them).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemOfError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useServerProblem } from '../../app/formErrors';
import { isRole } from '../../app/model';
import { keys } from '../../app/queryClient';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { staffApi, useUsers, type PortalUser } from './staffApi';
import { ScrollTable } from '../../components/ScrollTable';

interface Link {
  guardian: PortalUser;
  patient: { id: string; name: string };
}

/** Links and unlinks, each written into the cached list of users as the gateway confirms it. */
function useLinks() {
  const queryClient = useQueryClient();
  const patch = (guardianId: string, change: (ids: string[]) => string[]) =>
    queryClient.setQueryData<PortalUser[]>(keys.users, (users) =>
      users?.map((u) => (u.id === guardianId ? { ...u, patientIds: change(u.patientIds) } : u)),
    );
  const link = useMutation({
    mutationFn: ({ guardian, patient }: Link) => staffApi.link(guardian.id, patient.id),
    onSuccess: (_, { guardian, patient }) => patch(guardian.id, (ids) => [...new Set([...ids, patient.id])]),
  });
  const unlink = useMutation({
    mutationFn: ({ guardian, patient }: Link) => staffApi.unlink(guardian.id, patient.id),
    onSuccess: (_, { guardian, patient }) => patch(guardian.id, (ids) => ids.filter((id) => id !== patient.id)),
  });
  return { link, unlink };
}

export function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('menu.users'));
  const announce = useAnnounce();
  const users = useUsers();
  const links = useLinks();
  const [unlinking, setUnlinking] = useState<Link | null>(null);

  const list = [...(users.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const guardians = list.filter((u) => u.roles.includes('guardian'));
  const patients = list.filter((u) => u.roles.includes('patient'));
  const nameOf = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;

  const unlink = async (change: Link) => {
    await links.unlink.mutateAsync(change);
    setUnlinking(null);
    announce(t('staff.users.unlinked', { guardian: change.guardian.name, patient: change.patient.name }));
  };

  return (
    <>
      <PageHeader title={t('menu.users')} lead={t('staff.users.lead')} />
      {users.error && (
        <div className="card">
          <ProblemMessage problem={problemOfError(users.error)} heading={t('staff.users.couldNotLoad')} />
          <Button onClick={() => void users.refetch()}>{t('common.tryAgain')}</Button>
        </div>
      )}
      {!users.data && !users.error && <Loading>{t('staff.users.loading')}</Loading>}
      {users.data && (
        <>
          <LinkForm
            guardians={guardians}
            patients={patients}
            link={links.link.mutateAsync}
            onLinked={({ guardian, patient }, changed) =>
              announce(
                t(changed ? 'staff.users.linked' : 'staff.users.alreadyLinked', { guardian: guardian.name, patient: patient.name }),
                changed ? 'success' : 'info',
              )
            }
          />
          <section className="card" aria-labelledby="users-heading">
            <h2 id="users-heading">{t('staff.users.heading')}</h2>
            {list.length === 0 ? (
              <p>{t('staff.users.none')}</p>
            ) : (
              <ScrollTable
                labelledBy="users-heading"
                columns={[
                  t('staff.users.columns.name'),
                  t('staff.users.columns.username'),
                  t('staff.users.columns.roles'),
                  t('staff.users.columns.actsFor'),
                  t('staff.users.columns.account'),
                ]}
              >
                {list.map((user) => (
                  <tr key={user.id}>
                    <th scope="row">
                      {user.roles.includes('patient') ? <Link to={`/staff/patients/${user.id}`}>{user.name}</Link> : user.name}
                    </th>
                    <td>
                      {user.username}
                      {user.email && user.email !== user.username && <span className="table__sub">{user.email}</span>}
                    </td>
                    <td>{user.roles.map((r) => (isRole(r) ? t(`staff.roles.${r}`) : r)).join(', ')}</td>
                    <td>
                      {user.roles.includes('guardian') && user.patientIds.length > 0 ? (
                        <ul className="linked-patients">
                          {user.patientIds.map((id) => (
                            <li key={id}>
                              {nameOf(id)}{' '}
                              <Button
                                variant="quiet"
                                className="button--small"
                                onClick={() => setUnlinking({ guardian: user, patient: { id, name: nameOf(id) } })}
                              >
                                {t('staff.users.unlink')}
                                <span className="visually-hidden">
                                  {' '}
                                  {t('staff.users.unlinkWhom', { patient: nameOf(id), guardian: user.name })}
                                </span>
                              </Button>
                            </li>
                          ))}
                        </ul>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      {user.enabled ? t('staff.users.enabled') : <span className="badge badge--inactive">{t('staff.users.disabled')}</span>}
                    </td>
                  </tr>
                ))}
              </ScrollTable>
            )}
          </section>
        </>
      )}
      {unlinking && (
        <ConfirmDialog
          title={t('staff.users.confirmUnlink.title', { patient: unlinking.patient.name, guardian: unlinking.guardian.name })}
          confirmLabel={t('staff.users.unlink')}
          busyLabel={t('staff.users.confirmUnlink.busy')}
          variant="danger"
          onConfirm={() => unlink(unlinking)}
          onClose={() => setUnlinking(null)}
        >
          <p>{t('staff.users.confirmUnlink.body', { patient: unlinking.patient.name, guardian: unlinking.guardian.name })}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

interface LinkValues {
  guardian: string;
  patient: string;
}

function LinkForm({
  guardians,
  patients,
  link,
  onLinked,
}: {
  guardians: PortalUser[];
  patients: PortalUser[];
  link(change: Link): Promise<{ changed: boolean }>;
  onLinked(change: Link, changed: boolean): void;
}) {
  const { t } = useTranslation();
  const form = useForm<LinkValues>({ defaultValues: { guardian: '', patient: '' } });
  const { register, formState, handleSubmit } = form;
  const server = useServerProblem(form, ['guardian', 'patient']);

  const submit = handleSubmit(
    async (values) => {
      server.clear();
      const guardian = guardians.find((g) => g.id === values.guardian)!;
      const patient = patients.find((p) => p.id === values.patient)!;
      try {
        const { changed } = await link({ guardian, patient });
        onLinked({ guardian, patient }, changed);
        form.setValue('patient', '');
      } catch (error) {
        server.show(error);
      }
    },
    () => server.clear(),
  );

  return (
    <section className="card" aria-labelledby="link-heading">
      <h2 id="link-heading">{t('staff.link.heading')}</h2>
      {guardians.length === 0 || patients.length === 0 ? (
        <p>{t('staff.link.needsBoth')}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <div ref={server.summaryRef} tabIndex={-1}>
            {server.problem && <ProblemMessage problem={server.problem} otherErrors={server.other} heading={t('staff.link.notMade')} />}
          </div>
          <div className="field-row field-row--end">
            <FormField label={t('staff.link.guardian')} error={formState.errors.guardian?.message} className="field-row__grow">
              {(control) => (
                <select {...control} {...register('guardian', { required: t('staff.link.guardianRequired') })}>
                  <option value="">{t('staff.link.chooseGuardian')}</option>
                  {guardians.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name} ({g.email})
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField label={t('staff.link.patient')} error={formState.errors.patient?.message} className="field-row__grow">
              {(control) => (
                <select {...control} {...register('patient', { required: t('staff.link.patientRequired') })}>
                  <option value="">{t('staff.link.choosePatient')}</option>
                  {patients.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.email})
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('staff.link.busy')}>
              {t('staff.link.submit')}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
