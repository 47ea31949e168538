// What every list of Documents shows besides its items: the problem (with Try again) when it
// could not be loaded, the loading line, and "Show more" while there is a next page.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOfError } from '../../app/api';
import { Button } from '../../components/Button';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';

interface PagedQuery {
  error: unknown;
  items: unknown[] | null;
  refetch(): unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): unknown;
}

/** The list's state when it has no items to show yet: failed, or loading; null once it has them. */
export function ListPending({ query, failed }: { query: PagedQuery; failed: string }): ReactNode {
  const { t } = useTranslation();
  if (query.error && !query.items)
    return (
      <div className="card">
        <ProblemMessage problem={problemOfError(query.error)} heading={failed} />
        <Button onClick={() => void query.refetch()}>{t('common.tryAgain')}</Button>
      </div>
    );
  return query.items ? null : <Loading>{t('documents.loading')}</Loading>;
}

export function ShowMore({ query }: { query: PagedQuery }) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <Button onClick={() => void query.fetchNextPage()} busy={query.isFetchingNextPage} busyLabel={t('common.loading')}>
      {t('documents.showMore')}
    </Button>
  );
}
