// The frame around every page (seed steps 3, 4 and 10): a skip link, the header with the clinic's
// name and logo, the patient switcher and the user's menu at the top right, the main menu on the
// left (behind a "Menu" button on narrow screens), and the page itself in <main>.
import { useEffect, useRef, useState, type FocusEvent } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { StatusRegion } from './announcer';
import { formatPhone } from './phone';
import { useSession } from './session';
import { Icon, type IconName } from '../components/Icon';
import { PatientSwitcher } from '../features/account/PatientSwitcher';
import { UserMenu } from '../features/account/UserMenu';

interface MenuEntry {
  to: string;
  label: string;
  icon: IconName;
  end?: boolean;
}

export const patientMenu: MenuEntry[] = [
  { to: '/', label: 'Home', icon: 'home', end: true },
  { to: '/appointments', label: 'Appointments', icon: 'calendar' },
  { to: '/documents', label: 'Documents', icon: 'document' },
  { to: '/billing', label: 'Billing', icon: 'billing' },
  { to: '/insurance', label: 'Insurance', icon: 'insurance' },
  { to: '/contacts', label: 'Contacts', icon: 'contacts' },
];

export const staffMenu: MenuEntry[] = [
  { to: '/staff/invitations', label: 'Invitations', icon: 'invitations' },
  { to: '/staff/users', label: 'Users', icon: 'users' },
  { to: '/staff/organisation', label: 'Organisation', icon: 'clinic' },
];

export function Shell() {
  const { organisation, isStaff, logoVersion } = useSession();
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
    const heading = document.querySelector<HTMLElement>('#main-content h1');
    (heading ?? document.getElementById('main-content'))?.focus();
  }, [location.pathname]);

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

  const clinicName = organisation?.name || 'Patient portal';

  return (
    <div className="app">
      <a className="skip-link" href="#main-content">
        Skip to main content
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
          <span>Menu</span>
        </button>
        <Link to="/" className={organisation?.hasLogo ? 'brand brand--with-logo' : 'brand'}>
          {organisation?.hasLogo ? (
            <img className="brand__logo" src={`/api/v1/organisation/logo?v=${logoVersion}`} alt="" height={40} />
          ) : (
            <span className="brand__mark" aria-hidden="true">
              {clinicName.slice(0, 1)}
            </span>
          )}
          <span className="brand__name">{clinicName}</span>
          <span className="visually-hidden">, home</span>
        </Link>
        <div className="app-header__account">
          <PatientSwitcher />
          <UserMenu />
        </div>
      </header>
      <div className="app-body">
        <nav id="main-menu" aria-label="Main menu" className={menuOpen ? 'side-nav side-nav--open' : 'side-nav'} onBlur={onNavBlur}>
          <ul className="side-nav__list">
            {patientMenu.map((entry) => (
              <MenuLink key={entry.to} entry={entry} />
            ))}
          </ul>
          {isStaff && (
            <>
              <h2 className="side-nav__heading" id="staff-menu-heading">
                Clinic staff
              </h2>
              <ul className="side-nav__list" aria-labelledby="staff-menu-heading">
                {staffMenu.map((entry) => (
                  <MenuLink key={entry.to} entry={entry} />
                ))}
              </ul>
            </>
          )}
        </nav>
        <main id="main-content" tabIndex={-1} className="app-main">
          <StatusRegion />
          <Outlet />
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
  return (
    <li>
      <NavLink to={entry.to} end={entry.end ?? false} className="side-nav__link">
        <Icon name={entry.icon} />
        <span>{entry.label}</span>
      </NavLink>
    </li>
  );
}
