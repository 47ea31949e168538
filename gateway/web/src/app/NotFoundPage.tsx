// A path the portal does not know.
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from './usePageTitle';
import { PageHeader } from '../components/PageHeader';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <div className="card">
        <p>
          <Trans i18nKey="notFound.body" components={{ home: <Link to="/" /> }} />
        </p>
      </div>
    </>
  );
}
