// Staff invite a patient or a guardian (seed step 1 starts here): the auth service creates the
// account and sends the welcome email. Below the form, every invitation with its state, and
// resend / revoke.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemOfError, type Problem } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useClinicDates } from '../../app/dates';
import { emailPattern, useServerProblem } from '../../app/formErrors';
import { keys } from '../../app/queryClient';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FieldGroup, FormField, TextField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { staffApi, useInvitations, useUsers, type Invitation, type InvitationKind, type PortalUser } from './staffApi';
import { ScrollTable } from '../../components/ScrollTable';

interface InviteValues {
  email: string;
  givenName: string;
  familyName: string;
  kind: InvitationKind;
  patientIds: string[];
  /** A patient's, YYYY-MM-DD or empty. */
  dateOfBirth: string;
}

const fields = ['email', 'givenName', 'familyName', 'kind', 'patientIds', 'dateOfBirth'] as const;
const blank: InviteValues = { email: '', givenName: '', familyName: '', kind: 'patient', patientIds: [], dateOfBirth: '' };

export function InvitationsPage() {
  const { t } = useTranslation();
  usePageTitle(t('menu.invitations'));
  const dates = useClinicDates();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const invitations = useInvitations();
  const users = useUsers();
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  /** The answer of resend/revoke replaces the row; an empty answer reads the list again. */
  const replaceRow = (updated: Invitation | undefined) =>
    updated
      ? queryClient.setQueryData<Invitation[]>(keys.invitations, (list) => list?.map((i) => (i.id === updated.id ? updated : i)))
      : queryClient.invalidateQueries({ queryKey: keys.invitations });
  const resend = useMutation({
    mutationFn: (invitation: Invitation) => staffApi.resend(invitation.id),
    onSuccess: (updated, invitation) => {
      void replaceRow(updated);
      announce(t('staff.invitations.resent', { email: invitation.email }));
    },
  });
  const revoke = useMutation({
    mutationFn: (invitation: Invitation) => staffApi.revoke(invitation.id),
    onSuccess: (updated, invitation) => {
      void replaceRow(updated);
      setRevoking(null);
      announce(t('staff.invitations.revoked', { email: invitation.email }));
    },
  });

  const patients = (users.data ?? []).filter((u) => u.roles.includes('patient'));
  const nameOf = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;
  const sorted = [...(invitations.data ?? [])].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  const listProblem = invitations.error ? problemOfError(invitations.error) : null;

  return (
    <>
      <PageHeader title={t('menu.invitations')} lead={t('staff.invitations.lead')} />
      <InviteForm
        patients={patients}
        patientsProblem={users.error ? problemOfError(users.error) : null}
        onInvited={(invitation, emailSent) => {
          queryClient.setQueryData<Invitation[]>(keys.invitations, (list) => [invitation, ...(list ?? [])]);
          void queryClient.invalidateQueries({ queryKey: keys.users });
          if (emailSent) announce(t('staff.invitations.sent', { email: invitation.email }));
          else announce(t('staff.invitations.sentWithoutEmail', { email: invitation.email }), 'info');
        }}
      />

      <section className="card" aria-labelledby="sent-heading">
        <h2 id="sent-heading">{t('staff.invitations.listHeading')}</h2>
        {resend.error && <ProblemMessage problem={problemOfError(resend.error)} heading={t('staff.invitations.notResent')} />}
        {listProblem && (
          <>
            <ProblemMessage problem={listProblem} heading={t('staff.invitations.couldNotLoad')} />
            <Button onClick={() => void invitations.refetch()}>{t('common.tryAgain')}</Button>
          </>
        )}
        {!invitations.data && !listProblem && <Loading>{t('staff.invitations.loading')}</Loading>}
        {invitations.data && sorted.length === 0 && <p>{t('staff.invitations.none')}</p>}
        {sorted.length > 0 && (
          <ScrollTable
            labelledBy="sent-heading"
            columns={[
              t('staff.invitations.columns.invitee'),
              t('staff.invitations.columns.kind'),
              t('staff.invitations.columns.patients'),
              t('staff.invitations.columns.status'),
              t('staff.invitations.columns.invitedBy'),
              t('staff.invitations.columns.sent'),
              t('staff.invitations.columns.expires'),
              <span className="visually-hidden">{t('staff.invitations.columns.actions')}</span>,
            ]}
          >
            {sorted.map((invitation) => (
              <tr key={invitation.id}>
                <th scope="row">
                  {/* A patient's invitation leads to their record; a guardian's to the records of their patients. */}
                  {invitation.kind === 'patient' ? (
                    <Link to={`/staff/patients/${invitation.userId}`}>{invitation.name}</Link>
                  ) : (
                    invitation.name
                  )}
                  <span className="table__sub">{invitation.email}</span>
                </th>
                <td>{t(`staff.roles.${invitation.kind}`)}</td>
                <td>
                  {invitation.kind === 'guardian' && invitation.patientIds.length > 0
                    ? invitation.patientIds.map((id, i) => (
                        <span key={id}>
                          {i > 0 && ', '}
                          <Link to={`/staff/patients/${id}`}>{nameOf(id)}</Link>
                        </span>
                      ))
                    : '—'}
                </td>
                <td>
                  <span className={`badge badge--${invitation.status}`}>{t(`staff.invitations.status.${invitation.status}`)}</span>
                </td>
                <td>{invitation.invitedBy}</td>
                <td className="table__date">
                  <time dateTime={invitation.createdAt ?? undefined} title={dates.dateTime(invitation.createdAt)}>
                    {dates.date(invitation.createdAt)}
                  </time>
                </td>
                <td className="table__date">
                  <time dateTime={invitation.expiresAt ?? undefined} title={dates.dateTime(invitation.expiresAt)}>
                    {dates.date(invitation.expiresAt)}
                  </time>
                </td>
                <td className="table__actions">
                  {(invitation.status === 'pending' || invitation.status === 'expired') && (
                    <Button
                      onClick={() => resend.mutate(invitation)}
                      busy={resend.isPending && resend.variables?.id === invitation.id}
                      busyLabel={t('common.sending')}
                      className="button--small"
                    >
                      {t('staff.invitations.resend')}
                      <span className="visually-hidden"> {t('staff.invitations.toWhom', { email: invitation.email })}</span>
                    </Button>
                  )}
                  {invitation.status === 'pending' && (
                    <Button variant="quiet" className="button--small" onClick={() => setRevoking(invitation)}>
                      {t('staff.invitations.revoke')}
                      <span className="visually-hidden"> {t('staff.invitations.toWhom', { email: invitation.email })}</span>
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </ScrollTable>
        )}
      </section>

      {revoking && (
        <ConfirmDialog
          title={t('staff.invitations.confirmRevoke.title', { email: revoking.email })}
          confirmLabel={t('staff.invitations.confirmRevoke.confirm')}
          busyLabel={t('staff.invitations.confirmRevoke.busy')}
          variant="danger"
          onConfirm={async () => void (await revoke.mutateAsync(revoking))}
          onClose={() => setRevoking(null)}
        >
          <p>{t('staff.invitations.confirmRevoke.body')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function InviteForm({
  patients,
  patientsProblem,
  onInvited,
}: {
  patients: PortalUser[];
  patientsProblem: Problem | null;
  onInvited(invitation: Invitation, emailSent: boolean): void;
}) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const form = useForm<InviteValues>({ defaultValues: blank });
  const { register, formState, handleSubmit, watch } = form;
  const { errors } = formState;
  const server = useServerProblem(form, fields);
  const invite = useMutation({ mutationFn: staffApi.invite });
  const kind = watch('kind');
  const today = useClinicDates().today();

  const submit = handleSubmit(
    async (values) => {
      server.clear();
      try {
        const { invitation, welcomeEmailSent } = await invite.mutateAsync({
          email: values.email.trim(),
          givenName: values.givenName.trim(),
          familyName: values.familyName.trim(),
          kind: values.kind,
          ...(values.kind === 'guardian' ? { patientIds: values.patientIds } : {}),
          ...(values.kind === 'patient' && values.dateOfBirth ? { dateOfBirth: values.dateOfBirth } : {}),
        });
        form.reset(blank);
        onInvited(invitation, welcomeEmailSent !== false);
        form.setFocus('email');
      } catch (error) {
        server.show(error);
      }
    },
    () => server.clear(),
  );

  const shown = patients.filter((p) => `${p.name} ${p.email}`.toLowerCase().includes(filter.trim().toLowerCase()));

  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('staff.invite.heading')}</h2>
      <form onSubmit={submit} noValidate className="stack-form">
        <div ref={server.summaryRef} tabIndex={-1}>
          {server.problem && <ProblemMessage problem={server.problem} otherErrors={server.other} heading={t('staff.invite.notSent')} />}
        </div>
        <TextField
          label={t('staff.invite.email')}
          error={errors.email?.message}
          type="email"
          autoComplete="off"
          {...register('email', {
            validate: (v) => (!v.trim() ? t('staff.invite.emailRequired') : emailPattern.test(v.trim()) || t('fieldProblems.email')),
          })}
        />
        <div className="field-row">
          <TextField
            label={t('staff.invite.givenName')}
            error={errors.givenName?.message}
            className="field-row__grow"
            autoComplete="off"
            {...register('givenName', { validate: (v) => Boolean(v.trim()) || t('staff.invite.givenNameRequired') })}
          />
          <TextField
            label={t('staff.invite.familyName')}
            error={errors.familyName?.message}
            className="field-row__grow"
            autoComplete="off"
            {...register('familyName', { validate: (v) => Boolean(v.trim()) || t('staff.invite.familyNameRequired') })}
          />
        </div>
        <FieldGroup legend={t('staff.invite.kind')} error={errors.kind?.message}>
          {(['patient', 'guardian'] as const).map((value) => (
            <div className="choice" key={value}>
              <input id={`invite-kind-${value}`} type="radio" value={value} {...register('kind')} />
              <label htmlFor={`invite-kind-${value}`}>{t(`staff.roles.${value}`)}</label>
              <p className="choice__hint">{t(`staff.invite.kindHints.${value}`)}</p>
            </div>
          ))}
        </FieldGroup>
        {kind === 'patient' && (
          <TextField
            label={t('staff.invite.dateOfBirth')}
            hint={t('staff.invite.dateOfBirthHint')}
            error={errors.dateOfBirth?.message}
            type="date"
            min="1900-01-01"
            max={today}
            {...register('dateOfBirth', {
              validate: (v) => !v || (v >= '1900-01-01' && v <= today) || t('staff.invite.dateOfBirthRange'),
            })}
          />
        )}
        {kind === 'guardian' && (
          <FieldGroup
            legend={t('staff.invite.patients')}
            hint={patients.length === 0 ? t('staff.invite.noPatientsYet') : t('staff.invite.chooseOneOrMore')}
            error={errors.patientIds?.message}
          >
            {patientsProblem && <ProblemMessage problem={patientsProblem} heading={t('staff.invite.patientsCouldNotLoad')} />}
            {patients.length > 6 && (
              <FormField label={t('staff.invite.findPatient')}>
                {(control) => <input {...control} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />}
              </FormField>
            )}
            {shown.map((patient) => (
              <div className="choice" key={patient.id}>
                <input
                  id={`invite-patient-${patient.id}`}
                  type="checkbox"
                  value={patient.id}
                  {...register('patientIds', {
                    validate: (ids, all) => all.kind !== 'guardian' || ids.length > 0 || t('staff.invite.patientsRequired'),
                  })}
                />
                <label htmlFor={`invite-patient-${patient.id}`}>
                  {patient.name} <span className="muted">({patient.email})</span>
                </label>
              </div>
            ))}
          </FieldGroup>
        )}
        <div className="form-actions form-actions--start">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('common.sending')}>
            {t('staff.invite.send')}
          </Button>
        </div>
      </form>
    </section>
  );
}
