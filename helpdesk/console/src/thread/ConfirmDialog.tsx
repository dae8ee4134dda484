/** A modal question with a confirm and a cancel button (cancel has the focus: the safe choice). */
import { useId, useRef } from 'react';
import { useI18n } from '../i18n';
import { useModalDialog } from './useModalDialog';

/**
 * @param title the question; message: what happens if confirmed; confirmLabel: the confirm button's words.
 * @param onConfirm called once when confirmed; onCancel on cancel, Esc or a click outside.
 */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  danger = false,
  busy = false,
  onConfirm,
  onCancel,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const messageId = useId();
  useModalDialog(dialog, onCancel, cancel);
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onClick={(event) => event.target === event.currentTarget && onCancel()}
    >
      <div className="dialog-body">
        <h2 id={titleId}>{title}</h2>
        <p id={messageId}>{message}</p>
        <div className="dialog-actions">
          <button
            type="button"
            className={danger ? 'danger' : 'primary'}
            data-confirm="yes"
            disabled={busy}
            onClick={onConfirm}
          >
            {confirmLabel}
          </button>
          <button type="button" ref={cancel} data-confirm="no" onClick={onCancel}>
            {t.cancel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
