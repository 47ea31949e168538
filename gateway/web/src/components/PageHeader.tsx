// The top of every page: its one h1 (focused after each navigation, so screen readers announce
// the new page) and the page's main actions at the top right.
import { useRef, type ReactNode } from 'react';
import { usePageHeadingFocus } from '../app/pageFocus';

export function PageHeader({ title, children, lead }: { title: string; children?: ReactNode; lead?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  usePageHeadingFocus(heading);
  return (
    <div className="page-header">
      <div className="page-header__text">
        <h1 ref={heading} tabIndex={-1} className="page-header__title">
          {title}
        </h1>
        {lead && <p className="page-header__lead">{lead}</p>}
      </div>
      {children && <div className="page-header__actions">{children}</div>}
    </div>
  );
}
