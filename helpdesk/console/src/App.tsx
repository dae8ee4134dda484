/**
 * The agent console: sign-in, then the workspace (shell/Workspace.tsx). Arabic and right to left by
 * default, with an English switch. When the session ends (expired, signed out elsewhere) the
 * sign-in page says so, and signing in again returns to the ticket in the address (`#ticket=`).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type SessionAgent } from './api';
import { applyLanguage, I18nContext, makeI18n, savedLanguage, type Language } from './i18n';
import { Login } from './Login';
import { Workspace } from './shell/Workspace';

/** The whole page. */
export function App() {
  const [language, setLanguage] = useState<Language>(savedLanguage);
  const [agent, setAgent] = useState<SessionAgent | null | undefined>(undefined);
  const [sessionEnded, setSessionEnded] = useState(false);
  const i18n = useMemo(() => makeI18n(language), [language]);

  const toggleLanguage = useCallback(() => {
    setLanguage((current) => {
      const next = current === 'ar' ? 'en' : 'ar';
      applyLanguage(next);
      return next;
    });
  }, []);

  useEffect(() => {
    api.session().then(setAgent, () => setAgent(null));
  }, []);

  const endSession = useCallback(() => {
    setSessionEnded(true);
    setAgent(null);
  }, []);
  const signOut = useCallback(() => {
    setSessionEnded(false);
    setAgent(null);
  }, []);
  const signIn = useCallback((signedIn: SessionAgent) => {
    setSessionEnded(false);
    setAgent(signedIn);
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      {agent === undefined ? (
        <p className="booting" role="status">
          {i18n.t.loading}
        </p>
      ) : agent === null ? (
        <Login onSignedIn={signIn} onToggleLanguage={toggleLanguage} sessionEnded={sessionEnded} />
      ) : (
        <Workspace
          key={agent.id}
          agent={agent}
          onSessionEnded={endSession}
          onSignedOut={signOut}
          onToggleLanguage={toggleLanguage}
        />
      )}
    </I18nContext.Provider>
  );
}
