// For guardians: "Acting for: …" shows whose record the portal shows, and switches to another of
// the patients the guardian looks after. The gateway remembers the choice in the session.
import { useState } from 'react';
import { problemOfError, type Problem } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useSession } from '../../app/session';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { MenuButton } from '../../components/MenuButton';
import { ProblemMessage } from '../../components/ProblemMessage';

export function PatientSwitcher() {
  const { me, patient, setActingFor, canSwitchPatient } = useSession();
  const announce = useAnnounce();
  const [problem, setProblem] = useState<Problem | null>(null);
  if (!canSwitchPatient) return null;

  const switchTo = async (id: string, name: string) => {
    if (id === patient?.id) return;
    try {
      await setActingFor(id);
      announce(`You are now acting for ${name}.`, 'info');
    } catch (error) {
      setProblem(problemOfError(error));
    }
  };

  return (
    <div className="patient-switcher">
      <MenuButton
        className="patient-switcher__menu"
        accessibleLabel={`Acting for: ${patient?.name ?? 'no patient chosen'}. Change patient`}
        items={me.patients.map((p) => ({
          key: p.id,
          label: p.name,
          checked: p.id === patient?.id,
          onSelect: () => void switchTo(p.id, p.name),
        }))}
      >
        <span className="patient-switcher__label">Acting for:</span>
        <span className="patient-switcher__name">{patient?.name ?? 'choose a patient'}</span>
      </MenuButton>
      {problem && (
        <Dialog title="The patient was not changed" onClose={() => setProblem(null)}>
          <ProblemMessage problem={problem} />
          <div className="form-actions">
            <Button variant="primary" onClick={() => setProblem(null)} data-autofocus>
              Close
            </Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
