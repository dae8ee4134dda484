/** The sign-in form. */
import { useState, type FormEvent } from 'react';
import { api, ApiError, type SessionAgent } from './api';
import { useI18n } from './i18n';

/** @param onSignedIn called with the agent once the session cookie is set. */
export function Login({
  onSignedIn,
  onToggleLanguage,
}: {
  onSignedIn: (agent: SessionAgent) => void;
  onToggleLanguage: () => void;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.login(email, password);
      onSignedIn(result.agent);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t.signInFailed);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <form className="login-card" onSubmit={submit} aria-label={t.signIn}>
        <div className="login-head">
          <h1>{t.appName}</h1>
          <button type="button" className="link" onClick={onToggleLanguage}>
            {t.language}
          </button>
        </div>
        <label>
          {t.email}
          <input
            name="email"
            type="email"
            autoComplete="username"
            dir="ltr"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          {t.password}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            dir="ltr"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t.signIn}
        </button>
      </form>
    </div>
  );
}
