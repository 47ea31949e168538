// Staff invite a patient or a guardian (seed step 1 starts here): the auth service creates the
// account and sends the welcome email. Below the form, every invitation with its state, and
// resend / revoke.
import { useRef, useState, type FormEvent } from 'react';
import { problemOfError, type Problem, type ProblemFieldError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { focusFirstInvalid, splitFieldErrors } from '../../app/fieldErrors';
import { useResource } from '../../app/useResource';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FieldGroup, FormField, TextField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatDate } from './format';
import { staffApi, type Invitation, type InvitationKind, type PortalUser } from './staffApi';

const fields = ['email', 'givenName', 'familyName', 'kind', 'patientIds'] as const;
type Field = (typeof fields)[number];

const statusLabels: Record<Invitation['status'], string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  revoked: 'Revoked',
  expired: 'Expired',
};

export function InvitationsPage() {
  usePageTitle('Invitations');
  const { organisation } = useSession();
  const announce = useAnnounce();
  const invitations = useResource((signal) => staffApi.invitations(signal), []);
  const users = useResource((signal) => staffApi.users(signal), []);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [resending, setResending] = useState<string | null>(null);
  const [rowProblem, setRowProblem] = useState<Problem | null>(null);

  const patients = (users.data ?? []).filter((u) => u.roles.includes('patient'));
  const nameOf = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;

  const resend = async (invitation: Invitation) => {
    setResending(invitation.id);
    setRowProblem(null);
    try {
      const updated = await staffApi.resend(invitation.id);
      if (updated) invitations.setData((list) => list?.map((i) => (i.id === updated.id ? updated : i)) ?? null);
      else invitations.reload();
      announce(`The invitation to ${invitation.email} was sent again.`);
    } catch (error) {
      setRowProblem(problemOfError(error));
    } finally {
      setResending(null);
    }
  };

  const revoke = async (invitation: Invitation) => {
    const updated = await staffApi.revoke(invitation.id);
    if (updated) invitations.setData((list) => list?.map((i) => (i.id === updated.id ? updated : i)) ?? null);
    else invitations.reload();
    setRevoking(null);
    announce(`The invitation to ${invitation.email} was revoked.`);
  };

  const sorted = [...(invitations.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <>
      <PageHeader
        title="Invitations"
        lead="Invite a patient or a guardian. They receive a welcome email with a link to the portal and their login details."
      />
      <InviteForm
        patients={patients}
        patientsProblem={users.problem}
        onInvited={(invitation, emailSent) => {
          invitations.setData((list) => [invitation, ...(list ?? [])]);
          users.reload();
          if (emailSent) announce(`An invitation was sent to ${invitation.email}.`);
          else
            announce(
              `The invitation to ${invitation.email} was created, but the welcome email could not be sent. Use Resend to try again.`,
              'info',
            );
        }}
      />

      <section className="card" aria-labelledby="sent-heading">
        <h2 id="sent-heading">Sent invitations</h2>
        {rowProblem && <ProblemMessage problem={rowProblem} heading="The invitation was not sent again." />}
        {invitations.problem && (
          <>
            <ProblemMessage problem={invitations.problem} heading="The invitations could not be loaded." />
            <Button onClick={invitations.reload}>Try again</Button>
          </>
        )}
        {!invitations.data && !invitations.problem && <Loading>Loading invitations…</Loading>}
        {invitations.data && sorted.length === 0 && <p>No invitations yet.</p>}
        {sorted.length > 0 && (
          <div className="table-scroll" role="region" aria-labelledby="sent-heading" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Invitee</th>
                  <th scope="col">As</th>
                  <th scope="col">Patients</th>
                  <th scope="col">Status</th>
                  <th scope="col">Invited by</th>
                  <th scope="col">Sent</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((invitation) => (
                  <tr key={invitation.id}>
                    <th scope="row">
                      {invitation.name}
                      <span className="table__sub">{invitation.email}</span>
                    </th>
                    <td>{invitation.kind === 'guardian' ? 'Guardian' : 'Patient'}</td>
                    <td>{invitation.kind === 'guardian' ? invitation.patientIds.map(nameOf).join(', ') || '—' : '—'}</td>
                    <td>
                      <span className={`badge badge--${invitation.status}`}>{statusLabels[invitation.status]}</span>
                    </td>
                    <td>{invitation.invitedBy}</td>
                    <td className="table__date">
                      <time dateTime={invitation.createdAt} title={formatDate(invitation.createdAt, organisation?.timeZone, true)}>
                        {formatDate(invitation.createdAt, organisation?.timeZone)}
                      </time>
                    </td>
                    <td className="table__date">
                      <time dateTime={invitation.expiresAt} title={formatDate(invitation.expiresAt, organisation?.timeZone, true)}>
                        {formatDate(invitation.expiresAt, organisation?.timeZone)}
                      </time>
                    </td>
                    <td className="table__actions">
                      {(invitation.status === 'pending' || invitation.status === 'expired') && (
                        <Button
                          onClick={() => void resend(invitation)}
                          busy={resending === invitation.id}
                          busyLabel="Sending…"
                          className="button--small"
                        >
                          Resend<span className="visually-hidden"> the invitation to {invitation.email}</span>
                        </Button>
                      )}
                      {invitation.status === 'pending' && (
                        <Button variant="quiet" className="button--small" onClick={() => setRevoking(invitation)}>
                          Revoke<span className="visually-hidden"> the invitation to {invitation.email}</span>
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {revoking && (
        <ConfirmDialog
          title={`Revoke the invitation to ${revoking.email}?`}
          confirmLabel="Revoke invitation"
          busyLabel="Revoking…"
          variant="danger"
          onConfirm={() => revoke(revoking)}
          onClose={() => setRevoking(null)}
        >
          <p>The link and the login details in the welcome email stop working. You can invite this person again later.</p>
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
  const [email, setEmail] = useState('');
  const [givenName, setGivenName] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [kind, setKind] = useState<InvitationKind>('patient');
  const [patientIds, setPatientIds] = useState<string[]>([]);
  const [filter, setFilter] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [other, setOther] = useState<ProblemFieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<Field, string>> = {};
    if (!email.trim()) found.email = 'Enter the email address the invitation goes to.';
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) found.email = 'Enter an email address like name@example.org.';
    if (!givenName.trim()) found.givenName = 'Enter the first name.';
    if (!familyName.trim()) found.familyName = 'Enter the last name.';
    if (kind === 'guardian' && patientIds.length === 0) found.patientIds = 'Choose at least one patient this guardian looks after.';
    setErrors(found);
    setProblem(null);
    setOther([]);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formRef.current, found, summaryRef.current);
      return;
    }
    setBusy(true);
    try {
      const { invitation, welcomeEmailSent } = await staffApi.invite({
        email: email.trim(),
        givenName: givenName.trim(),
        familyName: familyName.trim(),
        kind,
        ...(kind === 'guardian' ? { patientIds } : {}),
      });
      setEmail('');
      setGivenName('');
      setFamilyName('');
      setPatientIds([]);
      setKind('patient');
      onInvited(invitation, welcomeEmailSent !== false);
      formRef.current?.querySelector<HTMLElement>('[data-field="email"]')?.focus();
    } catch (error) {
      const p = problemOfError(error);
      const placed = splitFieldErrors(p.errors, fields);
      setErrors(placed.fields);
      setOther(placed.other);
      setProblem(p);
      focusFirstInvalid(formRef.current, placed.fields, summaryRef.current);
    } finally {
      setBusy(false);
    }
  };

  const shown = patients.filter((p) => `${p.name} ${p.email}`.toLowerCase().includes(filter.trim().toLowerCase()));

  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <form ref={formRef} onSubmit={submit} noValidate className="stack-form">
        <div ref={summaryRef} tabIndex={-1}>
          {problem && <ProblemMessage problem={problem} otherErrors={other} heading="The invitation was not sent." />}
        </div>
        <TextField label="Email" error={errors.email} field="email" type="email" autoComplete="off" value={email} onValue={setEmail} />
        <div className="field-row">
          <TextField
            label="First name"
            error={errors.givenName}
            className="field-row__grow"
            field="givenName"
            type="text"
            autoComplete="off"
            value={givenName}
            onValue={setGivenName}
          />
          <TextField
            label="Last name"
            error={errors.familyName}
            className="field-row__grow"
            field="familyName"
            type="text"
            autoComplete="off"
            value={familyName}
            onValue={setFamilyName}
          />
        </div>
        <FieldGroup legend="Invite as" error={errors.kind}>
          {(['patient', 'guardian'] as const).map((value, index) => (
            <div className="choice" key={value}>
              <input
                id={`invite-kind-${value}`}
                type="radio"
                name="invite-kind"
                value={value}
                data-field={index === 0 ? 'kind' : undefined}
                checked={kind === value}
                onChange={() => setKind(value)}
              />
              <label htmlFor={`invite-kind-${value}`}>{value === 'patient' ? 'Patient' : 'Guardian'}</label>
              <p className="choice__hint">
                {value === 'patient' ? 'Sees and manages their own record.' : 'Acts for one or more patients, such as their children.'}
              </p>
            </div>
          ))}
        </FieldGroup>
        {kind === 'guardian' && (
          <FieldGroup
            legend="Patients this guardian looks after"
            hint={patients.length === 0 ? 'There are no patients yet: invite the patients first.' : 'Choose one or more.'}
            error={errors.patientIds}
          >
            {patientsProblem && <ProblemMessage problem={patientsProblem} heading="The patients could not be loaded." />}
            {patients.length > 6 && (
              <FormField label="Find a patient">
                {(control) => <input {...control} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />}
              </FormField>
            )}
            {shown.map((patient, index) => (
              <div className="choice" key={patient.id}>
                <input
                  id={`invite-patient-${patient.id}`}
                  type="checkbox"
                  data-field={index === 0 ? 'patientIds' : undefined}
                  checked={patientIds.includes(patient.id)}
                  onChange={(e) =>
                    setPatientIds((ids) => (e.target.checked ? [...ids, patient.id] : ids.filter((id) => id !== patient.id)))
                  }
                />
                <label htmlFor={`invite-patient-${patient.id}`}>
                  {patient.name} <span className="muted">({patient.email})</span>
                </label>
              </div>
            ))}
          </FieldGroup>
        )}
        <div className="form-actions form-actions--start">
          <Button type="submit" variant="primary" busy={busy} busyLabel="Sending…">
            Send invitation
          </Button>
        </div>
      </form>
    </section>
  );
}
