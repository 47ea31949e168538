// A path the portal does not know.
import { Link } from 'react-router';
import { usePageTitle } from './usePageTitle';
import { PageHeader } from '../components/PageHeader';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <>
      <PageHeader title="Page not found" />
      <div className="card">
        <p>
          There is no page at this address. <Link to="/">Go to the home page</Link>, or choose a page from the menu.
        </p>
      </div>
    </>
  );
}
