// Asks before a change that matters (inactivate a contact, revoke an invitation), runs it, and
// shows the gateway's problem in the dialog when it fails.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOfError, type Problem } from '../app/api';
import { Button, type ButtonVariant } from './Button';
import { Dialog } from './Dialog';
import { ProblemMessage } from './ProblemMessage';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  variant?: ButtonVariant;
  /** The button that changes nothing, when "Cancel" would be ambiguous (cancelling a plan). */
  dismissLabel?: string;
  onConfirm(): Promise<void>;
  onClose(): void;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  variant = 'primary',
  dismissLabel,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await onConfirm();
    } catch (error) {
      setProblem(problemOfError(error));
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="confirm__message">{children}</div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <Button variant="secondary" onClick={onClose} data-autofocus>
          {dismissLabel ?? t('common.cancel')}
        </Button>
        <Button variant={variant} onClick={confirm} busy={busy} busyLabel={busyLabel}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
