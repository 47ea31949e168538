// The staff pages are for clinic staff only. The gateway refuses the staff API to anyone else;
// this only keeps others from seeing a page of errors (and from loading the staff pages).
import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { PageHeader } from '../../components/PageHeader';

export function StaffOnly({ children }: { children: ReactNode }) {
  const { isStaff } = useSession();
  if (isStaff) return <>{children}</>;
  return <NotForYou />;
}

function NotForYou() {
  const { t } = useTranslation();
  usePageTitle(t('staffOnly.title'));
  return (
    <>
      <PageHeader title={t('staffOnly.title')} />
      <div className="card">
        <p>
          <Trans i18nKey="staffOnly.body" components={{ home: <Link to="/" /> }} />
        </p>
      </div>
    </>
  );
}
