// A modal dialog on the browser's own <dialog>: showModal() makes the page behind it inert, Tab
// stays inside, Escape closes, and focus goes back to whatever opened it (unless the screen moves
// it somewhere more useful after the dialog closed). Render it only while it is open.
// With unsaved changes, Escape and the close button ask first: a stray key press must not throw
// away a form someone spent minutes on. The form's own Cancel button is a choice, and closes.
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';

export interface DialogProps {
  title: ReactNode;
  /** Called on Escape, on the close button and by the screen's own Cancel button. */
  onClose(): void;
  children: ReactNode;
  /** A short text that describes the dialog (read when it opens). */
  description?: ReactNode;
  wide?: boolean;
  /** The form inside has changes not saved yet (react-hook-form's isDirty): Escape and × ask before closing. */
  unsavedChanges?: boolean;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({ title, onClose, children, description, wide, unsavedChanges = false }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const discardId = useId();
  const [askingToDiscard, setAskingToDiscard] = useState(false);
  const keepEditingRef = useRef<HTMLButtonElement>(null);
  const returnFocusRef = useRef<HTMLElement | null>(null);
  // Escape, or the × button: close, unless there are changes to lose (then ask; asked already, keep editing).
  const requestClose = useRef(() => {});
  useEffect(() => {
    requestClose.current = () => {
      if (!unsavedChanges) return onClose();
      if (askingToDiscard) return keepEditing();
      returnFocusRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setAskingToDiscard(true);
    };
  });
  function keepEditing() {
    setAskingToDiscard(false);
    const back = returnFocusRef.current;
    if (back?.isConnected && !back.classList.contains('dialog__close')) back.focus();
    else ref.current?.querySelector<HTMLElement>('.dialog__body')?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
  }
  useEffect(() => {
    if (askingToDiscard) keepEditingRef.current?.focus();
  }, [askingToDiscard]);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // Escape fires "cancel"; keep the dialog open until the screen says so, so its state stays true.
    const onCancel = (event: Event) => {
      event.preventDefault();
      requestClose.current();
    };
    // The browser may still close it by itself (a second Escape with no click in between). A
    // "close" left over from an earlier close() while it is open again is not one.
    const onNativeClose = () => {
      if (!dialog.open) onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    dialog.showModal();
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector('.dialog__body')?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? dialog).focus();
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
      if (dialog.open) dialog.close();
      // The opener may be gone (a row that changed); then the screen decides where focus goes.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    // Escape is ours to handle: the browser closes a dialog on a second Escape without asking
    // ("cancel" needs a user activation in between, and Escape is none), which would throw
    // unsaved changes away. Only the innermost dialog answers it.
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      requestClose.current();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="dialog__header">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <button type="button" className="dialog__close" onClick={() => requestClose.current()}>
          <span aria-hidden="true">×</span>
          <span className="visually-hidden">{t('common.close')}</span>
        </button>
      </div>
      {description && (
        <p id={descriptionId} className="dialog__description">
          {description}
        </p>
      )}
      {askingToDiscard && (
        <div className="dialog__discard" role="alert" aria-labelledby={discardId}>
          <p id={discardId}>{t('dialog.discardQuestion')}</p>
          <div className="form-actions form-actions--start">
            <Button ref={keepEditingRef} variant="primary" onClick={keepEditing}>
              {t('dialog.keepEditing')}
            </Button>
            <Button variant="danger" onClick={() => onCloseRef.current()}>
              {t('dialog.discard')}
            </Button>
          </div>
        </div>
      )}
      <div className="dialog__body">{children}</div>
    </dialog>
  );
}
