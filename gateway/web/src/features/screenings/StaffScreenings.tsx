// The screenings section of a patient's record for staff: assign a PHQ-9 or GAD-7, and see the
// patient's screenings with their results.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../../app/announcer';
import { problemOfError } from '../../app/api';
import { Button } from '../../components/Button';
import { ProblemMessage } from '../../components/ProblemMessage';
import { ScreeningList } from './ScreeningList';
import { instruments, useAssignScreening, type Instrument } from './screeningsApi';

export function PatientScreeningsSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const assign = useAssignScreening(patientId);
  const [instrument, setInstrument] = useState<Instrument>('phq9');
  const announce = useAnnounce();

  function send(event: FormEvent) {
    event.preventDefault();
    assign.mutate(instrument, {
      onSuccess: ({ screening }) => announce(t('screenings.staff.assigned', { name: t(`screenings.instruments.${screening.instrument}`) })),
    });
  }

  return (
    <>
      <h2 id="record-screenings-heading">{t('screenings.staff.heading')}</h2>
      <form className="screening-assign" onSubmit={send}>
        <label htmlFor="screening-instrument">{t('screenings.staff.instrument')}</label>{' '}
        <select id="screening-instrument" value={instrument} onChange={(e) => setInstrument(e.target.value as Instrument)}>
          {instruments.map((i) => (
            <option key={i} value={i}>
              {t(`screenings.instruments.${i}`)}
            </option>
          ))}
        </select>{' '}
        <Button type="submit" variant="primary" busy={assign.isPending} busyLabel={t('common.sending')}>
          {t('screenings.staff.assign')}
        </Button>
      </form>
      {assign.isError && <ProblemMessage problem={problemOfError(assign.error)} heading={t('screenings.staff.notAssigned')} />}
      <ScreeningList patientId={patientId} staff />
    </>
  );
}
