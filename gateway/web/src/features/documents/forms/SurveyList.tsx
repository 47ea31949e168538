// Documents → Additional Surveys: the optional surveys the clinic offers to all its patients.
// Starting one makes it the patient's own form (once: starting again opens the same one).
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { problemOfError } from '../../../app/api';
import { useSession } from '../../../app/session';
import { Button } from '../../../components/Button';
import { ProblemMessage } from '../../../components/ProblemMessage';
import { FormStateBadge } from './FormList';
import { useOfferedSurveys, useStartSurvey } from './formsApi';
import './forms.css';

export function SurveyList({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const { isStaff, patientPath } = useSession();
  const navigate = useNavigate();
  const query = useOfferedSurveys(patientId);
  const start = useStartSurvey(patientId);
  if (query.isError) return <p role="alert">{t('forms.couldNotLoadList')}</p>;
  if (!query.data) return <p>{t('forms.loading')}</p>;
  if (query.data.length === 0)
    return (
      <div className="card empty-state">
        <h3>{t('documents.empty.surveys.title')}</h3>
        <p>{t('documents.empty.surveys.body')}</p>
      </div>
    );
  return (
    <>
      {start.isError && <ProblemMessage problem={problemOfError(start.error)} heading={t('forms.notStarted')} />}
      <ul className="document-list">
        {query.data.map((s) => (
          <li key={s.definitionKey} className="document-item">
            <h3 className="document-item__title">{s.title}</h3>
            <p className="document-item__meta">{s.form ? <FormStateBadge state={s.form.state} /> : t('forms.optional')}</p>
            {s.form ? (
              <Link className="button button--secondary" to={patientPath(`/documents/forms/${s.form.id}`)}>
                {t(s.form.state === 'submitted' ? 'forms.actions.view' : 'forms.actions.continue', { name: s.title })}
              </Link>
            ) : (
              !isStaff && (
                <Button
                  variant="primary"
                  busy={start.isPending && start.variables === s.definitionKey}
                  busyLabel={t('common.sending')}
                  onClick={() =>
                    start.mutate(s.definitionKey, { onSuccess: ({ form }) => void navigate(patientPath(`/documents/forms/${form.id}`)) })
                  }
                >
                  {t('forms.actions.start', { name: s.title })}
                </Button>
              )
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
