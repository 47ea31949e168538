// The forms section of a patient's record for staff: assign one of the clinic's forms, offer one
// to every patient of the clinic as an additional survey, and see the patient's forms with their
// state (opening a submitted one shows the answers and their PDF).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../../../app/announcer';
import { problemOfError } from '../../../app/api';
import { Button } from '../../../components/Button';
import { ProblemMessage } from '../../../components/ProblemMessage';
import { FormList } from './FormList';
import { useAssignForm, useFormDefinitions, useOfferSurvey } from './formsApi';

export function PatientFormsSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const definitions = useFormDefinitions();
  const assign = useAssignForm(patientId);
  const offer = useOfferSurvey();
  const [chosen, setChosen] = useState('');
  const announce = useAnnounce();
  const list = definitions.data ?? [];
  const key = chosen || list[0]?.key || '';
  const definition = list.find((d) => d.key === key);

  function send(event: FormEvent) {
    event.preventDefault();
    if (!key) return;
    assign.mutate(key, { onSuccess: ({ form }) => announce(t('forms.staff.assigned', { name: form.title })) });
  }

  return (
    <>
      <h2 id="record-forms-heading">{t('forms.staff.heading')}</h2>
      {definitions.isError && <ProblemMessage problem={problemOfError(definitions.error)} heading={t('forms.staff.noDefinitions')} />}
      {definitions.data && list.length === 0 && <p>{t('forms.staff.noDefinitionsYet')}</p>}
      {list.length > 0 && (
        <form className="form-assign" onSubmit={send}>
          <label htmlFor="form-definition">{t('forms.staff.form')}</label>{' '}
          <select id="form-definition" value={key} onChange={(e) => setChosen(e.target.value)}>
            {list.map((d) => (
              <option key={d.key} value={d.key}>
                {t('forms.staff.option', { title: d.title, version: d.version })}
              </option>
            ))}
          </select>{' '}
          <Button type="submit" variant="primary" busy={assign.isPending} busyLabel={t('common.sending')}>
            {t('forms.staff.assign')}
          </Button>{' '}
          {definition && !definition.offered && (
            <Button
              busy={offer.isPending}
              busyLabel={t('common.sending')}
              onClick={() => offer.mutate(key, { onSuccess: () => announce(t('forms.staff.offered', { name: definition.title })) })}
            >
              {t('forms.staff.offer')}
            </Button>
          )}
          {definition?.offered && <span className="form-assign__note">{t('forms.staff.alreadyOffered')}</span>}
        </form>
      )}
      {assign.isError && <ProblemMessage problem={problemOfError(assign.error)} heading={t('forms.staff.notAssigned')} />}
      {offer.isError && <ProblemMessage problem={problemOfError(offer.error)} heading={t('forms.staff.notOffered')} />}
      <FormList patientId={patientId} staff />
    </>
  );
}
