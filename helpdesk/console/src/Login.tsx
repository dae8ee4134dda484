/** The sign-in form; after an ended session it says why the agent is back here. */
import { useState, type FormEvent } from 'react';
import { api, ApiError, type SessionAgent } from './api';
import { useI18n } from './i18n';
import { errorText } from './shell/error-text';

/**
 * @param onSignedIn called with the agent once the session cookie is set.
 * @param sessionEnded the previous session ended (expired or ended elsewhere).
 */
export function Login({
  onSignedIn,
  onToggleLanguage,
  sessionEnded = false,
}: {
  onSignedIn: (agent: SessionAgent) => void;
  onToggleLanguage: () => void;
  sessionEnded?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.login(email, password);
      onSignedIn(result.agent);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const message =
    error instanceof ApiError && error.status === 401
      ? t.wrongCredentials
      : error
        ? errorText(error, i18n)
        : null;

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t.appName}</h1>
          <button type="button" className="link" onClick={onToggleLanguage} data-testid="language">
            {t.language}
          </button>
        </div>
        {sessionEnded && (
          <p className="notice" role="status" data-notice="session-ended">
            {t.sessionExpired}
          </p>
        )}
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
        {message && (
          <p className="error" role="alert">
            {message}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t.signIn}
        </button>
      </form>
    </main>
  );
}
