// After each navigation focus moves to the new page's heading, so keyboard and screen-reader
// users start at the top of what changed. Pages load lazily, so the heading may appear after the
// address changed: the shell says a page is expected, and the page's heading takes focus when it
// is drawn (PageHeader calls usePageHeadingFocus).
import { createContext, useContext, useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';

interface PageFocus {
  /** True from a navigation until the new page's heading took focus. */
  pending: boolean;
}

const PageFocusContext = createContext<RefObject<PageFocus> | null>(null);

export function PageFocusProvider({ value, children }: { value: RefObject<PageFocus>; children: ReactNode }) {
  return <PageFocusContext.Provider value={value}>{children}</PageFocusContext.Provider>;
}

export function usePageFocusState(): RefObject<PageFocus> {
  return useRef<PageFocus>({ pending: false });
}

/** Called by the shell after the address changed: focus a heading already on screen, else wait for it. */
export function expectNewPage(state: PageFocus): void {
  const heading = document.querySelector<HTMLElement>('#main-content h1');
  if (heading && heading.checkVisibility()) {
    heading.focus();
    state.pending = false;
    return;
  }
  state.pending = true;
  document.getElementById('main-content')?.focus();
}

export function usePageHeadingFocus(heading: RefObject<HTMLHeadingElement | null>): void {
  const state = useContext(PageFocusContext);
  useLayoutEffect(() => {
    if (!state?.current.pending || !heading.current) return;
    state.current.pending = false;
    heading.current.focus();
  });
}
