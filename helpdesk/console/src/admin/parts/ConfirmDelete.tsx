/**
 * A delete button that asks first: it shows the question with the delete and cancel buttons, and
 * deletes only on the second click.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n';

/**
 * @param label the button's words (e.g. "Delete label"); `question` what is asked (already
 *   translated, with the item's name); `busy` disables the buttons while something runs;
 *   `onConfirm` deletes; `className` the question's class; `action` names the buttons for tests
 *   (`data-action` = action and `confirm-<action>`), when given.
 */
export function ConfirmDelete({
  label,
  question,
  busy = false,
  onConfirm,
  className,
  action,
}: {
  label: string;
  question: string;
  busy?: boolean;
  onConfirm: () => void | Promise<void>;
  className: string;
  action?: string;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" data-action={action} onClick={() => setConfirming(true)} disabled={busy}>
        {label}
      </button>
    );
  }
  return (
    <span className={className} role="group">
      <span>{question}</span>{' '}
      <button
        type="button"
        className="danger"
        data-action={action && `confirm-${action}`}
        disabled={busy}
        onClick={() => void onConfirm()}
      >
        {label}
      </button>
      <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
        {t.cancel}
      </button>
    </span>
  );
}
