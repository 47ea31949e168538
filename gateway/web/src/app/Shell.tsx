// The frame around every page (seed steps 3, 4 and 10): a skip link, the header with the clinic's
// name and logo, the patient switcher and the user's menu at the top right, the main menu on the
// left (behind a "Menu" button on narrow screens), and the page itself in <main>.
import { Suspense, useEffect, useRef, useState, type FocusEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { StatusRegion } from './announcer';
import type { MessageKey } from './i18n';
import { expectNewPage, PageFocusProvider, usePageFocusState } from './pageFocus';
import { formatPhone } from './phone';
import { useSession } from './session';
import { Icon, type IconName } from '../components/Icon';
import { Loading } from '../components/Loading';
import { PatientSwitcher } from '../features/account/PatientSwitcher';
import { UserMenu } from '../features/account/UserMenu';

interface MenuEntry {
  to: string;
  label: MessageKey;
  icon: IconName;
  end?: boolean;
}

export const patientMenu: MenuEntry[] = [
  { to: '/', label: 'menu.home', icon: 'home', end: true },
  { to: '/appointments', label: 'menu.appointments', icon: 'calendar' },
  { to: '/documents', label: 'menu.documents', icon: 'document' },
  { to: '/billing', label: 'menu.billing', icon: 'billing' },
  { to: '/insurance', label: 'menu.insurance', icon: 'insurance' },
  { to: '/contacts', label: 'menu.contacts', icon: 'contacts' },
  { to: '/access-history', label: 'menu.accessHistory', icon: 'clock' },
];

export const staffMenu: MenuEntry[] = [
  { to: '/staff/patients', label: 'menu.patients', icon: 'person' },
  { to: '/staff/appointments', label: 'menu.scheduling', icon: 'calendar' },
  { to: '/staff/insurance', label: 'menu.staffInsurance', icon: 'insurance' },
  { to: '/staff/uploads', label: 'menu.uploads', icon: 'document' },
  { to: '/staff/billing/payments', label: 'menu.clinicPayments', icon: 'billing' },
  { to: '/staff/invitations', label: 'menu.invitations', icon: 'invitations' },
  { to: '/staff/users', label: 'menu.users', icon: 'users' },
  { to: '/staff/access-history', label: 'menu.staffAccessHistory', icon: 'clock' },
  { to: '/staff/organisation', label: 'menu.organisation', icon: 'clinic' },
];

export function Shell() {
  const { t } = useTranslation();
  const { organisation, isStaff, logoVersion, patientPath } = useSession();
  const pageFocus = usePageFocusState();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const location = useLocation();
  const shownPath = useRef(location.pathname);

  // After each navigation: close the narrow-screen menu and move focus to the new page's heading,
  // so keyboard and screen-reader users start at the top of what changed.
  useEffect(() => {
    setMenuOpen(false);
    if (shownPath.current === location.pathname) return;
    shownPath.current = location.pathname;
    expectNewPage(pageFocus.current);
  }, [location.pathname, pageFocus]);

  // On a narrow screen the menu opens over the page: focus goes to the current page's link,
  // Escape closes it (focus back on the Menu button), and so does leaving it with Tab.
  useEffect(() => {
    if (!menuOpen) return;
    const nav = document.getElementById('main-menu');
    (nav?.querySelector<HTMLElement>('a[aria-current="page"]') ?? nav?.querySelector<HTMLElement>('a'))?.focus();
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [menuOpen]);

  const onNavBlur = (event: FocusEvent<HTMLElement>) => {
    const next = event.relatedTarget as Node | null;
    if (menuOpen && next && !event.currentTarget.contains(next) && next !== menuButton.current) setMenuOpen(false);
  };

  const clinicName = organisation?.name || t('shell.portalName');

  return (
    <div className="app">
      <a className="skip-link" href="#main-content">
        {t('shell.skipLink')}
      </a>
      <header className="app-header">
        <button
          ref={menuButton}
          type="button"
          className="app-header__menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <Icon name={menuOpen ? 'close' : 'menu'} />
          <span>{t('shell.menu')}</span>
        </button>
        <Link to={isStaff ? '/' : patientPath('/')} className={organisation?.hasLogo ? 'brand brand--with-logo' : 'brand'}>
          {organisation?.hasLogo ? (
            <img className="brand__logo" src={`/api/v1/organisation/logo?v=${logoVersion}`} alt="" height={40} />
          ) : (
            <span className="brand__mark" aria-hidden="true">
              {clinicName.slice(0, 1)}
            </span>
          )}
          <span className="brand__name">{clinicName}</span>
          <span className="visually-hidden">{t('shell.brandHome')}</span>
        </Link>
        <div className="app-header__account">
          <PatientSwitcher />
          <UserMenu />
        </div>
      </header>
      <div className="app-body">
        <nav
          id="main-menu"
          aria-label={t('shell.mainMenu')}
          className={menuOpen ? 'side-nav side-nav--open' : 'side-nav'}
          onBlur={onNavBlur}
        >
          {isStaff ? (
            // Staff act for patients from a patient's record, not from a menu of their own record.
            <>
              <h2 className="side-nav__heading" id="staff-menu-heading">
                {t('shell.staffMenu')}
              </h2>
              <ul className="side-nav__list" aria-labelledby="staff-menu-heading">
                {staffMenu.map((entry) => (
                  <MenuLink key={entry.to} entry={entry} />
                ))}
              </ul>
            </>
          ) : (
            <ul className="side-nav__list">
              {patientMenu.map((entry) => (
                <MenuLink key={entry.to} entry={{ ...entry, to: patientPath(entry.to) }} />
              ))}
            </ul>
          )}
        </nav>
        <main id="main-content" tabIndex={-1} className="app-main">
          <StatusRegion />
          <PageFocusProvider value={pageFocus}>
            <Suspense fallback={<Loading>{t('shell.loadingPage')}</Loading>}>
              <Outlet />
            </Suspense>
          </PageFocusProvider>
        </main>
      </div>
      <footer className="app-footer">
        <p>
          {clinicName}
          {organisation?.phone ? ` · ${formatPhone(organisation.phone)}` : ''}
        </p>
      </footer>
    </div>
  );
}

function MenuLink({ entry }: { entry: MenuEntry }) {
  const { t } = useTranslation();
  return (
    <li>
      <NavLink to={entry.to} end={entry.end ?? false} className="side-nav__link">
        <Icon name={entry.icon} />
        <span>{t(entry.label)}</span>
      </NavLink>
    </li>
  );
}
