// Everyone with a portal account, and which patients each guardian acts for: staff link a
// guardian to a patient or remove the link (the auth service keeps the links; the guardian's next
// token carries them).
import { useState, type FormEvent } from 'react';
import { problemOfError, type Problem } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useResource } from '../../app/useResource';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { roleLabels } from './format';
import { staffApi, type PortalUser } from './staffApi';

interface Unlinking {
  guardian: PortalUser;
  patient: { id: string; name: string };
}

export function UsersPage() {
  usePageTitle('Users');
  const announce = useAnnounce();
  const users = useResource((signal) => staffApi.users(signal), []);
  const [unlinking, setUnlinking] = useState<Unlinking | null>(null);

  const list = [...(users.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const guardians = list.filter((u) => u.roles.includes('guardian'));
  const patients = list.filter((u) => u.roles.includes('patient'));
  const nameOf = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;

  const unlink = async ({ guardian, patient }: Unlinking) => {
    await staffApi.unlink(guardian.id, patient.id);
    setUnlinking(null);
    users.setData(
      (current) =>
        current?.map((u) => (u.id === guardian.id ? { ...u, patientIds: u.patientIds.filter((id) => id !== patient.id) } : u)) ?? null,
    );
    announce(`${guardian.name} no longer acts for ${patient.name}.`);
  };

  return (
    <>
      <PageHeader title="Users" lead="Everyone who has a portal account, and the patients each guardian acts for." />
      {users.problem && (
        <div className="card">
          <ProblemMessage problem={users.problem} heading="The users could not be loaded." />
          <Button onClick={users.reload}>Try again</Button>
        </div>
      )}
      {!users.data && !users.problem && <Loading>Loading users…</Loading>}
      {users.data && (
        <>
          <LinkForm
            guardians={guardians}
            patients={patients}
            onLinked={(guardian, patient) => {
              users.setData(
                (current) =>
                  current?.map((u) => (u.id === guardian.id ? { ...u, patientIds: [...new Set([...u.patientIds, patient.id])] } : u)) ??
                  null,
              );
              announce(`${guardian.name} now acts for ${patient.name}.`);
            }}
          />
          <section className="card" aria-labelledby="users-heading">
            <h2 id="users-heading">Accounts</h2>
            {list.length === 0 ? (
              <p>No accounts yet. Invite patients and guardians on the Invitations page.</p>
            ) : (
              <div className="table-scroll" role="region" aria-labelledby="users-heading" tabIndex={0}>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Username and email</th>
                      <th scope="col">Roles</th>
                      <th scope="col">Acts for</th>
                      <th scope="col">Account</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((user) => (
                      <tr key={user.id}>
                        <th scope="row">{user.name}</th>
                        <td>
                          {user.username}
                          {user.email && user.email !== user.username && <span className="table__sub">{user.email}</span>}
                        </td>
                        <td>{user.roles.map((r) => roleLabels[r] ?? r).join(', ')}</td>
                        <td>
                          {user.roles.includes('guardian') ? (
                            user.patientIds.length === 0 ? (
                              '—'
                            ) : (
                              <ul className="linked-patients">
                                {user.patientIds.map((id) => (
                                  <li key={id}>
                                    {nameOf(id)}{' '}
                                    <Button
                                      variant="quiet"
                                      className="button--small"
                                      onClick={() => setUnlinking({ guardian: user, patient: { id, name: nameOf(id) } })}
                                    >
                                      Unlink
                                      <span className="visually-hidden">
                                        {' '}
                                        {nameOf(id)} from {user.name}
                                      </span>
                                    </Button>
                                  </li>
                                ))}
                              </ul>
                            )
                          ) : (
                            '—'
                          )}
                        </td>
                        <td>{user.enabled ? 'Enabled' : <span className="badge badge--inactive">Disabled</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
      {unlinking && (
        <ConfirmDialog
          title={`Unlink ${unlinking.patient.name} from ${unlinking.guardian.name}?`}
          confirmLabel="Unlink"
          busyLabel="Unlinking…"
          variant="danger"
          onConfirm={() => unlink(unlinking)}
          onClose={() => setUnlinking(null)}
        >
          <p>
            {unlinking.guardian.name} will no longer see or act for {unlinking.patient.name} in the portal.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function LinkForm({
  guardians,
  patients,
  onLinked,
}: {
  guardians: PortalUser[];
  patients: PortalUser[];
  onLinked(guardian: PortalUser, patient: PortalUser): void;
}) {
  const [guardianId, setGuardianId] = useState('');
  const [patientId, setPatientId] = useState('');
  const [errors, setErrors] = useState<{ guardian?: string; patient?: string }>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!guardianId) found.guardian = 'Choose a guardian.';
    if (!patientId) found.patient = 'Choose a patient.';
    setErrors(found);
    setProblem(null);
    if (found.guardian || found.patient) {
      document.querySelector<HTMLElement>(`[data-field="${found.guardian ? 'guardian' : 'patient'}"]`)?.focus();
      return;
    }
    const guardian = guardians.find((g) => g.id === guardianId)!;
    const patient = patients.find((p) => p.id === patientId)!;
    setBusy(true);
    try {
      await staffApi.link(guardian.id, patient.id);
      onLinked(guardian, patient);
      setPatientId('');
    } catch (error) {
      setProblem(problemOfError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="link-heading">
      <h2 id="link-heading">Link a guardian to a patient</h2>
      {guardians.length === 0 || patients.length === 0 ? (
        <p>Linking needs at least one guardian and one patient with an account.</p>
      ) : (
        <form onSubmit={submit} noValidate>
          {problem && <ProblemMessage problem={problem} heading="The link was not made." />}
          <div className="field-row field-row--end">
            <FormField label="Guardian" error={errors.guardian} className="field-row__grow">
              {(control) => (
                <select {...control} data-field="guardian" value={guardianId} onChange={(e) => setGuardianId(e.target.value)}>
                  <option value="">Choose a guardian</option>
                  {guardians.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name} ({g.email})
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField label="Patient" error={errors.patient} className="field-row__grow">
              {(control) => (
                <select {...control} data-field="patient" value={patientId} onChange={(e) => setPatientId(e.target.value)}>
                  <option value="">Choose a patient</option>
                  {patients.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.email})
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <Button type="submit" variant="primary" busy={busy} busyLabel="Linking…">
              Link
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
