// One polite live region for the whole portal: a screen says "Contact added" and it is both shown
// at the top of the page and read out by screen readers. It clears when the page changes, unless
// the change itself has something to say (navigation state `announce`, e.g. "now acting for …").
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';

interface Announcement {
  id: number;
  message: string;
  tone: 'success' | 'info';
}

interface Announcer {
  announce(message: string, tone?: Announcement['tone']): void;
  current: Announcement | null;
  dismiss(): void;
}

const AnnouncerContext = createContext<Announcer | null>(null);

export function useAnnounce(): Announcer['announce'] {
  const announcer = useContext(AnnouncerContext);
  if (!announcer) throw new Error('useAnnounce outside AnnouncerProvider');
  return announcer.announce;
}

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<Announcement | null>(null);
  const { pathname, state } = useLocation() as { pathname: string; state: { announce?: string } | null };
  const carried = state?.announce ?? null;
  useEffect(
    () => setCurrent((previous) => (carried ? { id: (previous?.id ?? 0) + 1, message: carried, tone: 'info' } : null)),
    [pathname, carried],
  );
  const announce = useCallback((message: string, tone: Announcement['tone'] = 'success') => {
    setCurrent((previous) => ({ id: (previous?.id ?? 0) + 1, message, tone }));
  }, []);
  const dismiss = useCallback(() => setCurrent(null), []);
  const value = useMemo(() => ({ announce, current, dismiss }), [announce, current, dismiss]);
  return <AnnouncerContext.Provider value={value}>{children}</AnnouncerContext.Provider>;
}

/** The region itself; it is always in the page (empty when quiet) so that changes are announced. */
export function StatusRegion() {
  const { t } = useTranslation();
  const announcer = useContext(AnnouncerContext)!;
  const { current } = announcer;
  return (
    <div
      id="portal-status"
      role="status"
      aria-live="polite"
      className={current ? `status status--${current.tone}` : 'status status--empty'}
    >
      {current && (
        <>
          <span key={current.id} className="status__message">
            {current.message}
          </span>
          <button type="button" className="status__dismiss" onClick={announcer.dismiss}>
            <span aria-hidden="true">×</span>
            <span className="visually-hidden">{t('common.dismissMessage')}</span>
          </button>
        </>
      )}
    </div>
  );
}
