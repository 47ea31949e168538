// Tabs (the ARIA tabs pattern): one Tab stop for the row of tabs, the arrow keys (and Home, End)
// move between them and show each at once, and the chosen tab's panel follows. Every panel is in
// the page (the others hidden and empty), so each tab names a panel that exists.
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabChoice<K extends string> {
  key: K;
  label: ReactNode;
}

export interface TabsProps<K extends string> {
  /** What the row of tabs is for, for screen readers ("Which appointments"). */
  label: string;
  tabs: readonly TabChoice<K>[];
  selected: K;
  onSelect(key: K): void;
  /** The chosen tab's panel. */
  children: ReactNode;
}

export function Tabs<K extends string>({ label, tabs, selected, onSelect, children }: TabsProps<K>) {
  const id = useId();
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const tabId = (key: K) => `${id}-${key}-tab`;
  const panelId = (key: K) => `${id}-${key}-panel`;

  const moveTo = (index: number) => {
    const tab = tabs[(index + tabs.length) % tabs.length]!;
    onSelect(tab.key);
    refs.current.get(tab.key)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.findIndex((tab) => tab.key === selected);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    moveTo(to);
  };

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tabs__list" onKeyDown={onKeyDown}>
        {tabs.map((tab) => {
          const chosen = tab.key === selected;
          return (
            <button
              key={tab.key}
              ref={(element) => {
                if (element) refs.current.set(tab.key, element);
                else refs.current.delete(tab.key);
              }}
              type="button"
              role="tab"
              id={tabId(tab.key)}
              aria-selected={chosen}
              aria-controls={panelId(tab.key)}
              tabIndex={chosen ? 0 : -1}
              className="tabs__tab"
              onClick={() => onSelect(tab.key)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      {tabs.map((tab) =>
        tab.key === selected ? (
          <div key={tab.key} role="tabpanel" id={panelId(tab.key)} aria-labelledby={tabId(tab.key)} className="tabs__panel">
            {children}
          </div>
        ) : (
          <div key={tab.key} role="tabpanel" id={panelId(tab.key)} aria-labelledby={tabId(tab.key)} hidden />
        ),
      )}
    </div>
  );
}
