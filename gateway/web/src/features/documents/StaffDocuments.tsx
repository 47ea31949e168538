// Staff's side of Documents: in a patient's record, share a clinical document (a PDF) or a
// resource (a file or a link) and see what the patient was given and sent; on the Uploads page,
// the clinic's new uploads to download and file. The documents service decides who may.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemOfError, type Problem } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useClinicDates } from '../../app/dates';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { FormField, TextField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { Tabs } from '../../components/Tabs';
import { ClinicalDocumentList } from './ClinicalDocumentList';
import {
  ACCEPT,
  documentKinds,
  fileUrl,
  sizeText,
  useClinicUploads,
  useFileUpload,
  useShareDocument,
  useShareResource,
  useUploads,
  type DocumentKind,
  type Upload,
} from './documentsApi';
import { ResourceList } from './ResourceList';
import './documents.css';

/** The record's Documents section: what was shared and sent, and the two sharing forms. */
export function PatientDocumentsSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <h2 id="record-documents-heading">{t('menu.documents')}</h2>
      <div className="card">
        <h3>{t('documents.staff.shareDocumentTitle')}</h3>
        <ShareDocumentForm patientId={patientId} />
      </div>
      <h3>{t('documents.sections.clinical')}</h3>
      <ClinicalDocumentList patientId={patientId} staffView />
      <div className="card">
        <h3>{t('documents.staff.shareResourceTitle')}</h3>
        <ShareResourceForm patientId={patientId} />
      </div>
      <h3>{t('documents.sections.resources')}</h3>
      <ResourceList patientId={patientId} />
      <h3>{t('documents.staff.patientUploads')}</h3>
      <PatientUploads patientId={patientId} />
    </>
  );
}

interface DocumentFormValues {
  kind: DocumentKind;
  title: string;
  documentDate: string;
  author: string;
}

function ShareDocumentForm({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const dates = useClinicDates();
  const share = useShareDocument(patientId);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const form = useForm<DocumentFormValues>({
    defaultValues: { kind: 'treatment_plan', title: '', documentDate: dates.today(), author: '' },
  });
  const { errors } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setProblem(null);
    if (!file) return setProblem({ title: t('documents.staff.choosePdf'), status: 0 });
    try {
      await share.mutateAsync({ ...values, file });
      announce(t('documents.staff.shared', { title: values.title }));
      form.reset({ ...values, title: '' });
      setFile(null);
    } catch (error) {
      setProblem(problemOfError(error));
    }
  });

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <FormField label={t('documents.staff.kind')}>
        {(control) => (
          <select {...control} {...form.register('kind')}>
            {documentKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`documents.kinds.${kind}`)}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <TextField
        label={t('documents.staff.titleLabel')}
        error={errors.title?.message}
        {...form.register('title', { required: t('documents.staff.required'), maxLength: 200 })}
      />
      <TextField
        type="date"
        label={t('documents.staff.date')}
        error={errors.documentDate?.message}
        {...form.register('documentDate', { required: t('documents.staff.required') })}
      />
      <TextField
        label={t('documents.staff.author')}
        error={errors.author?.message}
        {...form.register('author', { required: t('documents.staff.required'), maxLength: 120 })}
      />
      <FormField label={t('documents.staff.pdf')}>
        {(control) => (
          <input
            {...control}
            key={file ? 'chosen' : 'empty'}
            type="file"
            accept="application/pdf,.pdf"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        )}
      </FormField>
      {problem && <ProblemMessage problem={problem} heading={t('documents.staff.notShared')} />}
      <div className="form-actions form-actions--start">
        <Button type="submit" variant="primary" busy={share.isPending} busyLabel={t('common.sending')}>
          {t('documents.staff.shareDocument')}
        </Button>
      </div>
    </form>
  );
}

interface ResourceFormValues {
  title: string;
  description: string;
  linkUrl: string;
  everyone: boolean;
}

function ShareResourceForm({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const share = useShareResource();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const form = useForm<ResourceFormValues>({ defaultValues: { title: '', description: '', linkUrl: '', everyone: false } });
  const { errors } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setProblem(null);
    if (!file && !values.linkUrl) return setProblem({ title: t('documents.staff.linkOrFile'), status: 0 });
    try {
      await share.mutateAsync({
        patientId: values.everyone ? null : patientId,
        title: values.title,
        description: values.description,
        linkUrl: file ? '' : values.linkUrl,
        file,
      });
      announce(t('documents.staff.shared', { title: values.title }));
      form.reset();
      setFile(null);
    } catch (error) {
      setProblem(problemOfError(error));
    }
  });

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <TextField
        label={t('documents.staff.titleLabel')}
        error={errors.title?.message}
        {...form.register('title', { required: t('documents.staff.required'), maxLength: 200 })}
      />
      <FormField label={t('documents.staff.description')} optional>
        {(control) => <textarea {...control} rows={3} {...form.register('description', { maxLength: 1000 })} />}
      </FormField>
      <TextField type="url" label={t('documents.staff.link')} hint={t('documents.staff.linkHint')} optional {...form.register('linkUrl')} />
      <FormField label={t('documents.staff.resourceFile')} hint={t('documents.staff.resourceFileHint')} optional>
        {(control) => (
          <input
            {...control}
            key={file ? 'chosen' : 'empty'}
            type="file"
            accept={ACCEPT}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        )}
      </FormField>
      <div className="field field--checkbox">
        <input id="resource-everyone" type="checkbox" {...form.register('everyone')} />
        <label htmlFor="resource-everyone">{t('documents.staff.everyone')}</label>
      </div>
      {problem && <ProblemMessage problem={problem} heading={t('documents.staff.notShared')} />}
      <div className="form-actions form-actions--start">
        <Button type="submit" variant="primary" busy={share.isPending} busyLabel={t('common.sending')}>
          {t('documents.staff.shareResource')}
        </Button>
      </div>
    </form>
  );
}

/** One upload with its download and, while received, the button to file it. */
function UploadRow({ upload, withPatientLink = false }: { upload: Upload; withPatientLink?: boolean }) {
  const { t, i18n } = useTranslation();
  const dates = useClinicDates();
  const announce = useAnnounce();
  const file = useFileUpload();
  return (
    <li className="document-item">
      <div className="document-item__head">
        <p className="document-item__title">{upload.file.fileName}</p>
        <span className={`badge badge--${upload.status}`}>{t(`documents.upload.status.${upload.status}`)}</span>
      </div>
      <p className="document-item__meta">
        {t('documents.upload.sentAt', { when: dates.dateTime(upload.uploadedAt) })} · {sizeText(upload.file.sizeBytes, i18n.language)}
        {withPatientLink && (
          <>
            {' · '}
            <Link to={`/staff/patients/${encodeURIComponent(upload.patientId)}`}>{t('documents.staff.openRecord')}</Link>
          </>
        )}
      </p>
      <div className="document-item__actions">
        <a className="button button--secondary" href={fileUrl.upload(upload.patientId, upload.id)} download>
          {t('documents.download', { name: upload.file.fileName })}
        </a>
        {upload.status === 'received' && (
          <Button
            busy={file.isPending}
            busyLabel={t('common.saving')}
            onClick={() =>
              file.mutate(upload, { onSuccess: () => announce(t('documents.staff.filedAnnouncement', { name: upload.file.fileName })) })
            }
          >
            {t('documents.staff.markFiled', { name: upload.file.fileName })}
          </Button>
        )}
      </div>
      {file.error && <ProblemMessage problem={problemOfError(file.error)} heading={t('documents.staff.notFiled')} />}
    </li>
  );
}

function PatientUploads({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const query = useUploads(patientId);
  if (query.error && !query.items)
    return <ProblemMessage problem={problemOfError(query.error)} heading={t('documents.upload.couldNotLoad')} />;
  if (!query.items) return <Loading>{t('documents.loading')}</Loading>;
  if (query.items.length === 0) return <p>{t('documents.staff.noUploads')}</p>;
  return (
    <ul className="document-list">
      {query.items.map((upload) => (
        <UploadRow key={upload.id} upload={upload} />
      ))}
    </ul>
  );
}

/** The clinic's uploads: the new ones waiting to be filed, or those already filed. */
export function StaffUploadsPage() {
  const { t } = useTranslation();
  usePageTitle(t('documents.staff.uploadsTitle'));
  const [status, setStatus] = useState<'received' | 'filed'>('received');
  return (
    <>
      <PageHeader title={t('documents.staff.uploadsTitle')} lead={t('documents.staff.uploadsLead')} />
      <Tabs<'received' | 'filed'>
        label={t('documents.staff.uploadsTabs')}
        tabs={(['received', 'filed'] as const).map((key) => ({ key, label: t(`documents.staff.tabs.${key}`) }))}
        selected={status}
        onSelect={setStatus}
      >
        <ClinicUploads key={status} status={status} />
      </Tabs>
    </>
  );
}

function ClinicUploads({ status }: { status: 'received' | 'filed' }) {
  const { t } = useTranslation();
  const query = useClinicUploads(status);
  if (query.error && !query.items)
    return <ProblemMessage problem={problemOfError(query.error)} heading={t('documents.upload.couldNotLoad')} />;
  if (!query.items) return <Loading>{t('documents.loading')}</Loading>;
  if (query.items.length === 0)
    return (
      <div className="card empty-state">
        <h2>{t(`documents.staff.empty.${status}.title`)}</h2>
        <p>{t(`documents.staff.empty.${status}.body`)}</p>
      </div>
    );
  return (
    <>
      <ul className="document-list">
        {query.items.map((upload) => (
          <UploadRow key={upload.id} upload={upload} withPatientLink />
        ))}
      </ul>
      {query.hasNextPage && (
        <Button onClick={() => void query.fetchNextPage()} busy={query.isFetchingNextPage} busyLabel={t('common.loading')}>
          {t('documents.showMore')}
        </Button>
      )}
    </>
  );
}
