// Where Keycloak sends a person after they log out: it says so, and how to come back, instead of
// a bare sign-in form that leaves them wondering whether logging out worked. Outside the session
// (nobody is logged in here), so it asks the gateway nothing.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { loginUrl } from './api';

export function LoggedOutPage() {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t('loggedOut.title');
    heading.current?.focus();
  }, [t]);
  return (
    <main className="startup" id="main-content">
      <div className="card">
        <h1 ref={heading} tabIndex={-1}>
          {t('loggedOut.title')}
        </h1>
        <p>{t('loggedOut.body')}</p>
        <a className="button button--primary" href={loginUrl('/')}>
          {t('loggedOut.logInAgain')}
        </a>
      </div>
    </main>
  );
}
