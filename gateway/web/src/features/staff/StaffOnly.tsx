// The staff pages are for clinic staff only. The gateway refuses the staff API to anyone else;
// this only keeps others from seeing a page of errors.
import type { ReactNode } from 'react';
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
  usePageTitle('Page not available');
  return (
    <>
      <PageHeader title="Page not available" />
      <div className="card">
        <p>
          This page is for clinic staff. <Link to="/">Go to the home page</Link>.
        </p>
      </div>
    </>
  );
}
