// For guardians: "Acting for: …" shows whose record the portal shows, and switches to another of
// the patients the guardian looks after: the same area of the portal opens under the other
// patient's address. The gateway remembers the choice as the default for a new tab.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOfError, type Problem } from '../../app/api';
import { useLocation, useNavigate } from 'react-router';
import { withoutPatient } from '../../app/patientAddress';
import { pathForPatient, useSession } from '../../app/session';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { MenuButton } from '../../components/MenuButton';
import { ProblemMessage } from '../../components/ProblemMessage';

export function PatientSwitcher() {
  const { t } = useTranslation();
  const { me, patient, setActingFor, canSwitchPatient } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [problem, setProblem] = useState<Problem | null>(null);
  if (!canSwitchPatient) return null;

  const switchTo = async (id: string, name: string) => {
    if (id === patient?.id) return;
    try {
      await setActingFor(id);
      // The area stays (Billing stays Billing); an invoice or screening of the other patient does not.
      const area = withoutPatient(location.pathname).split('/')[1] ?? '';
      void navigate(pathForPatient(id, area ? `/${area}` : '/'), { state: { announce: t('switcher.nowActingFor', { name }) } });
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
