// Notes, assessments and treatment plans the clinic shared with the patient, newest first, page
// after page; each "New" until the patient or a guardian first downloads it.
import { useTranslation } from 'react-i18next';
import { problemOfError } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';
import { fileUrl, sizeText, useClinicalDocuments, useDocumentOpened } from './documentsApi';

export function ClinicalDocumentList({ patientId, staffView = false }: { patientId: string; staffView?: boolean }) {
  const { t, i18n } = useTranslation();
  const dates = useClinicDates();
  const query = useClinicalDocuments(patientId);
  const opened = useDocumentOpened(patientId);
  const documents = query.items;

  if (query.error && !documents)
    return (
      <div className="card">
        <ProblemMessage problem={problemOfError(query.error)} heading={t('documents.clinical.couldNotLoad')} />
        <Button onClick={() => void query.refetch()}>{t('common.tryAgain')}</Button>
      </div>
    );
  if (!documents) return <Loading>{t('documents.loading')}</Loading>;
  if (documents.length === 0)
    return (
      <div className="card empty-state">
        <h3>{t('documents.empty.clinical.title')}</h3>
        <p>{t(staffView ? 'documents.empty.clinical.staffBody' : 'documents.empty.clinical.body')}</p>
      </div>
    );
  return (
    <>
      <ul className="document-list">
        {documents.map((d) => (
          <li key={d.id} className="document-item">
            <div className="document-item__head">
              <h3 className="document-item__title">{d.title}</h3>
              {d.isNew ? (
                <span className="badge badge--new">{t(staffView ? 'documents.clinical.notOpened' : 'documents.clinical.new')}</span>
              ) : (
                staffView && <span className="badge">{t('documents.clinical.openedAt', { when: dates.dateTime(d.openedAt) })}</span>
              )}
            </div>
            <p className="document-item__meta">
              {t(`documents.kinds.${d.kind}`)} · {dates.dayOf(d.documentDate)} · {d.author}
            </p>
            <a
              className="button button--secondary"
              href={fileUrl.document(patientId, d.id)}
              download
              onClick={staffView ? undefined : opened}
            >
              <Icon name="download" />
              {t('documents.download', { name: d.title })}
              <span className="document-item__size"> ({sizeText(d.file.sizeBytes, i18n.language)})</span>
            </a>
          </li>
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
