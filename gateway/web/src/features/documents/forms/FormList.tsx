// Documents → Forms and Surveys: the forms the clinic assigned (and surveys the patient started),
// each with its state — to do, draft, submitted — and the way to open it. Staff see the same list
// on the patient's record, opening a form read-only.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClinicDates } from '../../../app/dates';
import { useSession } from '../../../app/session';
import { useForms, type Form } from './formsApi';
import './forms.css';

export function FormStateBadge({ state }: { state: Form['state'] }) {
  const { t } = useTranslation();
  return <span className={`form-state form-state--${state}`}>{t(`forms.states.${state}`)}</span>;
}

export function FormList({ patientId, staff = false }: { patientId: string; staff?: boolean }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const { patientPath } = useSession();
  const query = useForms(patientId);
  if (query.isError) return <p role="alert">{t('forms.couldNotLoadList')}</p>;
  if (!query.data) return <p>{t('forms.loading')}</p>;
  if (query.data.length === 0)
    return staff ? (
      <p>{t('forms.staff.none')}</p>
    ) : (
      <div className="card empty-state">
        <h3>{t('documents.empty.forms.title')}</h3>
        <p>{t('documents.empty.forms.body')}</p>
      </div>
    );
  const link = (f: Form) => (staff ? `/staff/patients/${patientId}/forms/${f.id}` : patientPath(`/documents/forms/${f.id}`));
  const action = (f: Form) =>
    staff
      ? 'forms.actions.read'
      : f.state === 'submitted'
        ? 'forms.actions.view'
        : f.state === 'draft'
          ? 'forms.actions.continue'
          : 'forms.actions.start';
  return (
    <ul className="document-list">
      {query.data.map((f) => (
        <li key={f.id} className="document-item">
          <h3 className="document-item__title">{f.title}</h3>
          <p className="document-item__meta">
            <FormStateBadge state={f.state} /> ·{' '}
            {f.submittedAt
              ? t('forms.submittedOn', { date: dates.date(f.submittedAt) })
              : f.draftSavedAt
                ? t('forms.draftOn', { date: dates.date(f.draftSavedAt) })
                : t(f.optional ? 'forms.startedOn' : 'forms.assignedOn', { date: dates.date(f.assignedAt) })}
          </p>
          <Link className={`button ${f.state === 'submitted' || staff ? 'button--secondary' : 'button--primary'}`} to={link(f)}>
            {t(action(f), { name: f.title })}
          </Link>
        </li>
      ))}
    </ul>
  );
}
