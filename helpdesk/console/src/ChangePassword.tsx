/**
 * The "change password" dialog: the current password and the new one twice. The API checks the
 * current one and the strength rule (its message names the field); the agent's other sessions end,
 * this one stays signed in. A native modal `<dialog>` (useModalDialog): the page behind is inert,
 * Tab and Shift+Tab stay inside, Esc or a click beside it closes it, and the focus goes back to
 * where it was.
 */
import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from './api';
import { useI18n, type Words } from './i18n';
import { errorText } from './shell/error-text';
import { useModalDialog } from './thread/useModalDialog';

/** The API's answer in the agent's words: which password is wrong and why. */
function changeError(error: unknown, i18n: ReturnType<typeof useI18n>, t: Words): string {
  if (error instanceof ApiError && error.code === 'forbidden') return t.currentPasswordWrong;
  if (error instanceof ApiError && error.code === 'validation_failed' && /newPassword/.test(error.message))
    return /differ/.test(error.message) ? t.passwordMustDiffer : t.passwordRule;
  return errorText(error, i18n);
}

/** @param onClose called when the dialog is dismissed or the change is done. */
export function ChangePassword({ onClose }: { onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLInputElement>(null);
  useModalDialog(dialog, onClose, first);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (next !== again) return setError(t.passwordsDiffer);
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setDone(true);
      setCurrent('');
      setNext('');
      setAgain('');
    } catch (caught) {
      setError(changeError(caught, i18n, t));
    } finally {
      setBusy(false);
    }
  }

  const field = (
    name: string,
    label: string,
    value: string,
    set: (value: string) => void,
    autoComplete: string,
    ref?: typeof first,
  ) => (
    <label>
      {label}
      <input
        ref={ref}
        name={name}
        type="password"
        autoComplete={autoComplete}
        dir="ltr"
        required
        value={value}
        onChange={(event) => set(event.target.value)}
      />
    </label>
  );

  return (
    <dialog
      ref={dialog}
      className="change-password-dialog"
      aria-modal="true"
      aria-labelledby="change-password-title"
      onClick={(event) => event.target === event.currentTarget && onClose()}
    >
      <form className="login-card" onSubmit={submit}>
        <div className="login-head">
          <h2 id="change-password-title">{t.changePassword}</h2>
        </div>
        {field('currentPassword', t.currentPassword, current, setCurrent, 'current-password', first)}
        {field('newPassword', t.newPassword, next, setNext, 'new-password')}
        {field('confirmPassword', t.confirmPassword, again, setAgain, 'new-password')}
        <p className="muted small">{t.passwordRule}</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {done && <p role="status">{t.passwordChanged}</p>}
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={busy}>
            {t.save}
          </button>
          <button type="button" onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
