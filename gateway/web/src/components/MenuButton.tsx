// A button that opens a short menu (the ARIA menu button pattern): arrow keys move between the
// items, Enter or Space chooses, Escape closes and puts focus back on the button, Tab leaves.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  key: string;
  label: ReactNode;
  onSelect(): void;
  /** For a choice among several (the patient switcher): the current one is checked. */
  checked?: boolean;
}

export interface MenuButtonProps {
  /** What the button shows. */
  children: ReactNode;
  items: MenuItem[];
  className?: string;
  /** Extra words for screen readers that the visible label leaves out. */
  accessibleLabel?: string;
}

export function MenuButton({ children, items, className, accessibleLabel }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const id = useId();
  const radio = items.some((item) => item.checked !== undefined);

  useEffect(() => {
    if (open) itemRefs.current[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const openAt = (index: number) => {
    setActive((index + items.length) % items.length);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      openAt(0);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openAt(items.length - 1);
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setActive((i) => (i + 1) % items.length);
        break;
      case 'ArrowUp':
        event.preventDefault();
        setActive((i) => (i - 1 + items.length) % items.length);
        break;
      case 'Home':
        event.preventDefault();
        setActive(0);
        break;
      case 'End':
        event.preventDefault();
        setActive(items.length - 1);
        break;
      case 'Escape':
        event.preventDefault();
        close(true);
        break;
      case 'Tab':
        close(false);
        break;
    }
  };

  const choose = (item: MenuItem) => {
    close(true);
    item.onSelect();
  };

  return (
    <div className={['menu', className].filter(Boolean).join(' ')}>
      <button
        ref={buttonRef}
        type="button"
        id={`${id}-button`}
        className="menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        aria-label={accessibleLabel}
        onClick={() =>
          open
            ? close(false)
            : openAt(
                Math.max(
                  0,
                  items.findIndex((item) => item.checked),
                ),
              )
        }
        onKeyDown={onButtonKeyDown}
      >
        {children}
        <svg className="menu__chevron" aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">
          <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <ul
        ref={menuRef}
        id={`${id}-menu`}
        role="menu"
        aria-labelledby={`${id}-button`}
        className="menu__list"
        hidden={!open}
        onKeyDown={onMenuKeyDown}
      >
        {items.map((item, index) => (
          <li key={item.key} role="none">
            <button
              ref={(el) => {
                itemRefs.current[index] = el;
              }}
              type="button"
              role={radio ? 'menuitemradio' : 'menuitem'}
              aria-checked={radio ? Boolean(item.checked) : undefined}
              tabIndex={-1}
              className="menu__item"
              onClick={() => choose(item)}
            >
              {radio && (
                <span className="menu__check" aria-hidden="true">
                  {item.checked ? '✓' : ''}
                </span>
              )}
              {item.label}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
