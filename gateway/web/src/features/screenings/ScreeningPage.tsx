// One screening: its questions as an accessible form (a fieldset of four radio buttons per item,
// usable by keyboard), or once completed its result — the score, the band in plain words, and the
// trend over earlier ones of its kind. When the PHQ-9's item 9 was answered above zero, crisis
// resources are shown at once, first on the page: 988 and the clinic's phone number.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { problemOfError } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { formatPhone, telHref } from '../../app/phone';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { useScreening, useSubmitScreening, type Screening, type TrendPoint } from './screeningsApi';
import './screenings.css';

export function ScreeningPage() {
  const { t } = useTranslation();
  const params = useParams();
  const { patient, isStaff, patientPath } = useSession();
  const patientId = (isStaff ? params.patientId : patient?.id) ?? '';
  const screeningId = params.screeningId ?? '';
  const query = useScreening(patientId, screeningId);
  const name = query.data ? t(`screenings.instruments.${query.data.screening.instrument}`) : t('screenings.title');
  usePageTitle(name);
  const back = isStaff ? `/staff/patients/${patientId}` : patientPath('/documents/resources');

  return (
    <>
      <PageHeader title={name} lead={t('screenings.lead')} />
      <p>
        <Link to={back}>{isStaff ? t('screenings.backToRecord') : t('screenings.backToResources')}</Link>
      </p>
      {query.isError && <ProblemMessage problem={problemOfError(query.error)} heading={t('screenings.couldNotLoad')} />}
      {!query.data && !query.isError && <p>{t('screenings.loading')}</p>}
      {query.data &&
        (query.data.screening.result ? (
          <ScreeningResult screening={query.data.screening} trend={query.data.trend} />
        ) : isStaff ? (
          <p className="card">{t('screenings.waiting')}</p>
        ) : (
          <ScreeningForm patientId={patientId} screeningId={screeningId} questionnaire={query.data.questionnaire} />
        ))}
    </>
  );
}

interface Questionnaire {
  title: string;
  question: string;
  items: string[];
  choices: { value: number; label: string }[];
}

function ScreeningForm({
  patientId,
  screeningId,
  questionnaire,
}: {
  patientId: string;
  screeningId: string;
  questionnaire: Questionnaire;
}) {
  const { t } = useTranslation();
  const submit = useSubmitScreening(patientId, screeningId);
  const [answers, setAnswers] = useState<(number | undefined)[]>(() => questionnaire.items.map(() => undefined));
  const [missing, setMissing] = useState(false);

  function send(event: FormEvent) {
    event.preventDefault();
    if (answers.some((a) => a === undefined)) {
      setMissing(true);
      return;
    }
    setMissing(false);
    submit.mutate(answers as number[]);
  }

  return (
    <form className="card screening-form" onSubmit={send} noValidate>
      <p className="screening-form__question">{questionnaire.question}</p>
      {questionnaire.items.map((item, index) => (
        <fieldset key={index} className="screening-item" aria-invalid={missing && answers[index] === undefined ? true : undefined}>
          <legend>
            <span className="screening-item__number">{index + 1}.</span> {item}
          </legend>
          <div className="screening-item__choices">
            {questionnaire.choices.map((choice) => (
              <label key={choice.value} className="screening-choice">
                <input
                  type="radio"
                  name={`item-${index + 1}`}
                  value={choice.value}
                  checked={answers[index] === choice.value}
                  onChange={() => setAnswers((given) => given.map((a, i) => (i === index ? choice.value : a)))}
                />
                {choice.label}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      {missing && (
        <p role="alert" className="form-error">
          {t('screenings.answerEvery', { count: answers.filter((a) => a === undefined).length })}
        </p>
      )}
      {submit.isError && <ProblemMessage problem={problemOfError(submit.error)} heading={t('screenings.notSent')} />}
      <div className="form-actions form-actions--start">
        <Button type="submit" variant="primary" busy={submit.isPending} busyLabel={t('common.sending')}>
          {t('screenings.submit')}
        </Button>
      </div>
    </form>
  );
}

function ScreeningResult({ screening, trend }: { screening: Screening; trend: TrendPoint[] }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const { organisation } = useSession();
  const result = screening.result!;
  return (
    <>
      {result.needsAttention && (
        <section className="card crisis" role="alert" aria-labelledby="crisis-heading">
          <h2 id="crisis-heading">{t('screenings.crisis.title')}</h2>
          <p>{t('screenings.crisis.body')}</p>
          <p>
            <strong>{t('screenings.crisis.lifeline')}</strong> <a href="tel:988">{t('screenings.crisis.call')}</a> ·{' '}
            <a href="sms:988">{t('screenings.crisis.text')}</a>
          </p>
          {organisation?.phone && (
            <p>
              {t('screenings.crisis.clinic', { name: organisation.name })}{' '}
              <a href={telHref(organisation.phone)}>{formatPhone(organisation.phone)}</a>
            </p>
          )}
          <p>{t('screenings.crisis.emergency')}</p>
        </section>
      )}
      <section className="card" aria-labelledby="result-heading">
        <h2 id="result-heading">{t('screenings.resultTitle')}</h2>
        <p className="screening-score">
          {t('screenings.scoreLine', { score: result.score, max: result.maxScore })} ·{' '}
          <strong>{t(`screenings.bands.${result.severity}`)}</strong>
        </p>
        <p>{result.needsAttention ? t('screenings.attentionMeaning') : t(`screenings.meaning.${result.severity}`)}</p>
        <p className="document-item__meta">{t('screenings.completedOn', { date: dates.date(result.completedAt) })}</p>
      </section>
      <section className="card" aria-labelledby="trend-heading">
        <h2 id="trend-heading">{t('screenings.trendTitle')}</h2>
        {trend.length < 2 ? (
          <p>{t('screenings.firstOne')}</p>
        ) : (
          <ol className="screening-trend">
            {trend.map((point) => (
              <li key={point.screeningId}>
                {dates.date(point.completedAt)}: {t('screenings.scoreLine', { score: point.score, max: result.maxScore })} ·{' '}
                {t(`screenings.bands.${point.severity}`)}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
