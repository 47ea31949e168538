// Educational resources for the patient: those shared with them and those the clinic shares with
// every patient; a link opens the page, a file downloads.
import { useTranslation } from 'react-i18next';
import { problemOfError } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';
import { fileUrl, sizeText, useResources } from './documentsApi';

export function ResourceList({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const dates = useClinicDates();
  const query = useResources(patientId);
  const resources = query.items;

  if (query.error && !resources)
    return (
      <div className="card">
        <ProblemMessage problem={problemOfError(query.error)} heading={t('documents.resources.couldNotLoad')} />
        <Button onClick={() => void query.refetch()}>{t('common.tryAgain')}</Button>
      </div>
    );
  if (!resources) return <Loading>{t('documents.loading')}</Loading>;
  if (resources.length === 0)
    return (
      <div className="card empty-state">
        <h3>{t('documents.empty.resources.title')}</h3>
        <p>{t('documents.empty.resources.body')}</p>
      </div>
    );
  return (
    <>
      <ul className="document-list">
        {resources.map((r) => (
          <li key={r.id} className="document-item">
            <h3 className="document-item__title">{r.title}</h3>
            {r.description && <p>{r.description}</p>}
            <p className="document-item__meta">
              {t(r.audience === 'clinic' ? 'documents.resources.forEveryone' : 'documents.resources.forYou')} · {dates.date(r.sharedAt)}
            </p>
            {r.file ? (
              <a className="button button--secondary" href={fileUrl.resource(patientId, r.id)} download>
                <Icon name="download" />
                {t('documents.download', { name: r.title })}
                <span className="document-item__size"> ({sizeText(r.file.sizeBytes, i18n.language)})</span>
              </a>
            ) : (
              <a className="button button--secondary" href={r.linkUrl} target="_blank" rel="noopener noreferrer">
                {t('documents.resources.openLink', { name: r.title })}
                <span className="visually-hidden"> {t('documents.resources.opensInNewTab')}</span>
              </a>
            )}
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
