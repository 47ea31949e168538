// One form, rendered by SurveyJS (survey-core + survey-react-ui, MIT) from the definition version
// it was assigned with. The patient or a guardian fills it in: every change is kept as the form's
// draft on the server a moment after typing stops, so it is there on any device; a save from a
// copy that another tab or device has moved past is refused and the page says how to go on. The
// submission is checked again by the service. A submitted form — and any form staff open — is shown
// read-only, with the answers' PDF for staff.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Model } from 'survey-core';
import { Survey } from 'survey-react-ui';
import 'survey-core/survey-core.fontless.min.css';
import { ApiError, problemOfError, type Problem } from '../../../app/api';
import { useClinicDates } from '../../../app/dates';
import { useSession } from '../../../app/session';
import { usePageTitle } from '../../../app/usePageTitle';
import { Button } from '../../../components/Button';
import { PageHeader } from '../../../components/PageHeader';
import { ProblemMessage } from '../../../components/ProblemMessage';
import { answersPdfUrl, saveDraft, useForm, useSubmitForm, type Answers, type Form } from './formsApi';
import './forms.css';

/** How long after the last change the draft is saved. */
const DRAFT_DELAY_MS = 800;

export function FormPage() {
  const { t } = useTranslation();
  const params = useParams();
  const { patient, isStaff, patientPath } = useSession();
  const patientId = (isStaff ? params.patientId : patient?.id) ?? '';
  const formId = params.formId ?? '';
  const query = useForm(patientId, formId);
  usePageTitle(query.data?.form.title ?? t('forms.title'));
  const back = isStaff
    ? `/staff/patients/${patientId}`
    : patientPath(query.data?.form.optional ? '/documents/surveys' : '/documents/forms');

  return (
    <>
      <PageHeader title={query.data?.form.title ?? t('forms.title')} lead={isStaff ? t('forms.staffLead') : t('forms.lead')} />
      <p>
        <Link to={back}>{isStaff ? t('forms.backToRecord') : t('forms.backToDocuments')}</Link>
      </p>
      {query.isError && <ProblemMessage problem={problemOfError(query.error)} heading={t('forms.couldNotLoad')} />}
      {!query.data && !query.isError && <p>{t('forms.loading')}</p>}
      {query.data && (
        <FilledForm
          // A reload after a stale save starts again from what is stored.
          key={`${formId}:${query.dataUpdatedAt}`}
          patientId={patientId}
          form={query.data.form}
          survey={query.data.survey}
          answers={query.data.answers}
          readOnly={isStaff || query.data.form.state === 'submitted'}
          staff={isStaff}
          reload={() => void query.refetch()}
        />
      )}
    </>
  );
}

type SaveState =
  { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: string } | { kind: 'stale' } | { kind: 'failed'; problem: Problem };

function FilledForm({
  patientId,
  form,
  survey: definition,
  answers,
  readOnly,
  staff,
  reload,
}: {
  patientId: string;
  form: Form;
  survey: Record<string, unknown>;
  answers: Answers;
  readOnly: boolean;
  staff: boolean;
  reload: () => void;
}) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const submit = useSubmitForm(patientId, form.id);
  const [saveState, setSaveState] = useState<SaveState>(form.draftSavedAt ? { kind: 'saved', at: form.draftSavedAt } : { kind: 'idle' });
  const [submitted, setSubmitted] = useState<Form | null>(null);
  // The revision the answers on screen were made from, and the saves in order (one at a time).
  const revision = useRef(form.revision);
  const saving = useRef<Promise<unknown>>(Promise.resolve());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const stale = useRef(false);

  const model = useMemo(() => {
    const survey = new Model(definition);
    survey.data = answers;
    survey.locale = 'en';
    // The portal says what happened after submitting; SurveyJS's own "thank you" page is not needed.
    survey.showCompletedPage = false;
    // The page's heading is the form's title already; its description is shown above the questions.
    survey.showTitle = false;
    survey.completeText = t('forms.submit');
    if (readOnly) survey.readOnly = true;
    return survey;
    // The model is made once per form loaded (the key of this component changes on reload).
  }, []);

  const keepDraft = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    if (stale.current) return saving.current;
    const data = { ...model.data } as Answers;
    saving.current = saving.current.then(async () => {
      if (stale.current) return;
      setSaveState({ kind: 'saving' });
      try {
        const saved = await saveDraft(patientId, form.id, data, revision.current);
        revision.current = saved.form.revision;
        setSaveState({ kind: 'saved', at: saved.form.draftSavedAt ?? new Date().toISOString() });
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          stale.current = true;
          setSaveState({ kind: 'stale' });
        } else setSaveState({ kind: 'failed', problem: problemOfError(error) });
      }
    });
    return saving.current;
  }, [model, patientId, form.id]);

  const send = useRef(submit.mutate);
  send.current = submit.mutate;

  useEffect(() => {
    if (readOnly) return;
    const changed = () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void keepDraft(), DRAFT_DELAY_MS);
    };
    const completing = (_sender: Model, options: { allow: boolean }) => {
      // SurveyJS checked what it can in the browser; the service is the one that decides.
      options.allow = false;
      clearTimeout(timer.current);
      timer.current = undefined;
      void saving.current.then(() => {
        if (stale.current) return;
        send.current(
          { answers: { ...model.data } as Answers, revision: revision.current },
          {
            onSuccess: ({ form: done }) => {
              setSubmitted(done);
              model.readOnly = true;
            },
          },
        );
      });
    };
    model.onValueChanged.add(changed);
    model.onCompleting.add(completing);
    return () => {
      model.onValueChanged.remove(changed);
      model.onCompleting.remove(completing);
      // Leaving the page keeps what was typed last.
      if (timer.current !== undefined) void keepDraft();
    };
  }, [model, readOnly, keepDraft]);

  const done = submitted ?? (form.state === 'submitted' ? form : null);
  return (
    <div className="card form-fill">
      {done && (
        <p className="form-fill__done" role="status">
          {t('forms.submittedOn', { date: dates.dateTime(done.submittedAt) })}
        </p>
      )}
      {staff && !done && <p>{form.state === 'draft' ? t('forms.staff.draftNotSent') : t('forms.staff.notStarted')}</p>}
      {staff && done && (
        <p>
          <a className="button button--secondary" href={answersPdfUrl(patientId, form.id)} download>
            {t('forms.staff.downloadPdf')}
          </a>
        </p>
      )}
      {typeof definition.description === 'string' && <p className="form-fill__description">{definition.description}</p>}
      {!readOnly && !done && <DraftStatus state={saveState} reload={reload} />}
      {submit.isError && <ProblemMessage problem={problemOfError(submit.error)} heading={t('forms.notSubmitted')} />}
      {(!staff || done) && <Survey model={model} />}
    </div>
  );
}

function DraftStatus({ state, reload }: { state: SaveState; reload: () => void }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  if (state.kind === 'stale')
    return (
      <div className="form-fill__stale" role="alert">
        <p>{t('forms.stale')}</p>
        <Button variant="primary" onClick={reload}>
          {t('forms.reload')}
        </Button>
      </div>
    );
  if (state.kind === 'failed') return <ProblemMessage problem={state.problem} heading={t('forms.draftNotSaved')} />;
  return (
    <p className="form-fill__status" role="status" aria-live="polite">
      {state.kind === 'saving' && t('forms.saving')}
      {state.kind === 'saved' && t('forms.draftSaved', { time: dates.dateTime(state.at) })}
      {state.kind === 'idle' && t('forms.savedAsYouGo')}
    </p>
  );
}
