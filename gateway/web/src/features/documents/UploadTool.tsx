// The Upload tool: the patient (or a guardian for them) chooses a file from their device, sees it
// go with a progress bar, and finds it listed as received. A file the portal cannot take is
// refused with a message that says why: too large or empty before it is sent, a type the clinic
// does not keep (decided from its bytes by the service) once the first part arrives.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isAbort, problemOfError, type Problem } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';
import { ACCEPT, fileUrl, MAX_FILE_BYTES, sizeText, useUploadFile, useUploads, type Upload } from './documentsApi';

type Outcome = { kind: 'refused'; message: string } | { kind: 'failed'; problem: Problem } | { kind: 'received'; upload: Upload };

/** What the service says is wrong with the file ("is a zip archive, not a Word document"), if that was the refusal. */
function refusalOf(problem: Problem): string | undefined {
  return problem.errors?.find((e) => e.field === 'file' || e.field === 'file.size_bytes')?.message;
}

export function UploadTool({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const message = useRef<HTMLDivElement>(null);
  const [chosen, setChosen] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const controller = useRef<AbortController | null>(null);
  const upload = useUploadFile(patientId);

  const settle = (next: Outcome) => {
    setOutcome(next);
    setProgress(null);
    // The message takes focus so a screen reader says it, and the keyboard is where the answer is.
    setTimeout(() => message.current?.focus(), 0);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = chosen;
    if (!file) return settle({ kind: 'refused', message: t('documents.upload.chooseFirst') });
    // Checked here too, so nobody waits for 30 MB to travel only to be told it is too large.
    if (file.size === 0)
      return settle({ kind: 'refused', message: t('documents.upload.refused', { reason: t('documents.upload.empty') }) });
    if (file.size > MAX_FILE_BYTES)
      return settle({ kind: 'refused', message: t('documents.upload.refused', { reason: t('documents.upload.tooLarge', { limit: 25 }) }) });
    setOutcome(null);
    setProgress({ sent: 0, total: file.size });
    controller.current = new AbortController();
    try {
      const answer = await upload.mutateAsync({
        file,
        signal: controller.current.signal,
        onProgress: (sent, total) => setProgress({ sent, total }),
      });
      settle({ kind: 'received', upload: answer.upload });
      setChosen(null);
      if (input.current) input.current.value = '';
    } catch (error) {
      if (isAbort(error)) return settle({ kind: 'refused', message: t('documents.upload.stopped') });
      const problem = problemOfError(error);
      const reason = error instanceof ApiError ? refusalOf(problem) : undefined;
      settle(reason ? { kind: 'refused', message: t('documents.upload.refused', { reason }) } : { kind: 'failed', problem });
    }
  };

  const percent = progress && progress.total > 0 ? Math.min(100, Math.round((progress.sent / progress.total) * 100)) : 0;

  return (
    <>
      <form className="card upload-form" onSubmit={(event) => void submit(event)} noValidate>
        <p>{t('documents.upload.lead')}</p>
        <div className="field">
          <label htmlFor="upload-file" className="field__label">
            {t('documents.upload.chooseLabel')}
          </label>
          <p id="upload-file-hint" className="field__hint">
            {t('documents.upload.hint')}
          </p>
          <input
            ref={input}
            id="upload-file"
            type="file"
            accept={ACCEPT}
            aria-describedby="upload-file-hint"
            onChange={(event) => {
              setChosen(event.target.files?.[0] ?? null);
              setOutcome(null);
            }}
          />
        </div>
        {progress && (
          <div className="upload-progress">
            <label htmlFor="upload-progress">{t('documents.upload.sending', { name: chosen?.name ?? '' })}</label>
            <progress id="upload-progress" max={100} value={percent} aria-valuetext={t('documents.upload.percent', { percent })}>
              {percent}%
            </progress>
            <span aria-hidden="true">{percent}%</span>
          </div>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={upload.isPending} busyLabel={t('documents.upload.sendingButton')}>
            <Icon name="document" />
            {t('documents.upload.send')}
          </Button>
          {upload.isPending && <Button onClick={() => controller.current?.abort()}>{t('documents.upload.stop')}</Button>}
        </div>
        {outcome?.kind === 'refused' && (
          <div ref={message} className="problem" role="alert" tabIndex={-1}>
            <p className="problem__title">{outcome.message}</p>
          </div>
        )}
        {outcome?.kind === 'failed' && <ProblemMessage ref={message} problem={outcome.problem} heading={t('documents.upload.failed')} />}
        {outcome?.kind === 'received' && (
          <div ref={message} className="notice notice--success" tabIndex={-1}>
            <p>{t('documents.upload.received', { name: outcome.upload.file.fileName })}</p>
          </div>
        )}
      </form>
      <h3 className="uploads-heading">{t('documents.upload.yourUploads')}</h3>
      <UploadList patientId={patientId} language={i18n.language} />
    </>
  );
}

function UploadList({ patientId, language }: { patientId: string; language: string }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const query = useUploads(patientId);
  const uploads = query.items;
  if (query.error && !uploads) return <ProblemMessage problem={problemOfError(query.error)} heading={t('documents.upload.couldNotLoad')} />;
  if (!uploads) return <Loading>{t('documents.loading')}</Loading>;
  if (uploads.length === 0) return <p>{t('documents.upload.none')}</p>;
  return (
    <ul className="document-list">
      {uploads.map((u) => (
        <li key={u.id} className="document-item">
          <div className="document-item__head">
            <p className="document-item__title">{u.file.fileName}</p>
            <span className={`badge badge--${u.status}`}>{t(`documents.upload.status.${u.status}`)}</span>
          </div>
          <p className="document-item__meta">
            {t('documents.upload.sentAt', { when: dates.dateTime(u.uploadedAt) })} · {sizeText(u.file.sizeBytes, language)}
          </p>
          <a href={fileUrl.upload(patientId, u.id)} download>
            {t('documents.download', { name: u.file.fileName })}
          </a>
        </li>
      ))}
    </ul>
  );
}
