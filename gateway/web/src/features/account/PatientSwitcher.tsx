// For guardians: "Acting for: …" shows whose record the portal shows, and switches to another of
// the patients the guardian looks after. The gateway remembers the choice in the session.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOfError, type Problem } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useSession } from '../../app/session';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { MenuButton } from '../../components/MenuButton';
import { ProblemMessage } from '../../components/ProblemMessage';

export function PatientSwitcher() {
  const { t } = useTranslation();
  const { me, patient, setActingFor, canSwitchPatient } = useSession();
  const announce = useAnnounce();
  const [problem, setProblem] = useState<Problem | null>(null);
  if (!canSwitchPatient) return null;

  const switchTo = async (id: string, name: string) => {
    if (id === patient?.id) return;
    try {
      await setActingFor(id);
      announce(t('switcher.nowActingFor', { name }), 'info');
    } catch (error) {
      setProblem(problemOfError(error));
    }
  };

  return (
    <div className="patient-switcher">
      <MenuButton
        className="patient-switcher__menu"
        accessibleLabel={t('switcher.label', { name: patient?.name ?? t('switcher.noneChosen') })}
        items={me.patients.map((p) => ({
          key: p.id,
          label: p.name,
          checked: p.id === patient?.id,
          onSelect: () => void switchTo(p.id, p.name),
        }))}
      >
        <span className="patient-switcher__label">{t('switcher.actingFor')}</span>
        <span className="patient-switcher__name">{patient?.name ?? t('switcher.choose')}</span>
      </MenuButton>
      {problem && (
        <Dialog title={t('switcher.notChanged')} onClose={() => setProblem(null)}>
          <ProblemMessage problem={problem} />
          <div className="form-actions">
            <Button variant="primary" onClick={() => setProblem(null)} data-autofocus>
              {t('common.close')}
            </Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
