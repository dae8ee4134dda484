/**
 * The "change password" dialog: the current password and the new one twice. The API checks the
 * current one and the strength rule (its message names the field); the agent's other sessions end,
 * this one stays signed in.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from './api';
import { useI18n } from './i18n';

/** @param onClose called when the dialog is dismissed or the change is done. */
export function ChangePassword({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

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
      setError(caught instanceof ApiError ? caught.message : t.passwordChangeFailed);
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
  ) => (
    <label>
      {label}
      <input
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
    <div
      className="overlay"
      role="presentation"
      onClick={(event) => event.target === event.currentTarget && onClose()}
    >
      <form
        className="login-card"
        role="dialog"
        aria-modal="true"
        aria-label={t.changePassword}
        onSubmit={submit}
      >
        <div className="login-head">
          <h1>{t.changePassword}</h1>
        </div>
        {field('currentPassword', t.currentPassword, current, setCurrent, 'current-password')}
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
    </div>
  );
}
