// The portal's buttons: one look per intent, and a busy state that says what is happening.
import { forwardRef, useLayoutEffect, useRef, type ButtonHTMLAttributes } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'quiet';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** While true the button is disabled and shows `busyLabel`. */
  busy?: boolean;
  busyLabel?: string;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = 'secondary', busy = false, busyLabel, className, children, type = 'button', disabled, onClick, ...rest },
  forwardedRef,
) {
  const own = useRef<HTMLButtonElement | null>(null);
  const hadFocus = useRef(false);
  const setRef = (element: HTMLButtonElement | null) => {
    own.current = element;
    if (typeof forwardedRef === 'function') forwardedRef(element);
    else if (forwardedRef) forwardedRef.current = element;
  };
  // A busy button is disabled (no second submission, not even by Enter in a field), and a
  // disabled button drops keyboard focus to the page body: when it is done, focus comes back to
  // it, unless the screen has put focus somewhere else meanwhile.
  useLayoutEffect(() => {
    const button = own.current;
    if (!button) return;
    if (busy) hadFocus.current ||= document.activeElement === button;
    else if (hadFocus.current) {
      hadFocus.current = false;
      if (button.isConnected && !button.disabled && (document.activeElement === document.body || document.activeElement === null))
        button.focus();
    }
  }, [busy]);
  return (
    <button
      ref={setRef}
      type={type}
      className={['button', `button--${variant}`, className].filter(Boolean).join(' ')}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      onClick={(event) => {
        // The pressed button is the one about to be busy: remember to give its focus back.
        hadFocus.current = document.activeElement === event.currentTarget;
        onClick?.(event);
      }}
      {...rest}
    >
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
});
