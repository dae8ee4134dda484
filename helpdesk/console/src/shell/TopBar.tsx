/**
 * The bar above everything: the product's name (the page's heading), whether live updates arrive,
 * the agent's availability, the language switch, the admin menu (admins), the settings menu
 * (alerts, password, shortcuts) and sign-out.
 */
import type { Availability, Me, SessionAgent } from '../api';
import { useI18n } from '../i18n';
import type { StreamState } from '../useEventStream';
import { Menu } from './Menu';
import { beep, type DesktopPermission, type NotifySettings } from './notifications';

/** An admin page the shell can open. */
export interface AdminPageEntry {
  key: string;
  title: string;
  /** Only admins see it (e.g. labels); others are for everyone (e.g. personal canned responses). */
  adminOnly: boolean;
}

export function TopBar({
  agent,
  me,
  streamState,
  notify,
  permission,
  onAskPermission,
  adminPages,
  onAvailability,
  onToggleLanguage,
  onNotify,
  onChangePassword,
  onShortcuts,
  onAdminPage,
  onSignOut,
}: {
  agent: SessionAgent;
  me: Me | null;
  streamState: StreamState;
  notify: NotifySettings;
  /** The browser's answer for desktop notifications. */
  permission: DesktopPermission;
  /** Asks the browser (from a click). */
  onAskPermission: () => Promise<void>;
  adminPages: AdminPageEntry[];
  onAvailability: (availability: Availability) => void;
  onToggleLanguage: () => void;
  onNotify: (settings: NotifySettings) => void;
  onChangePassword: () => void;
  onShortcuts: () => void;
  onAdminPage: (key: string) => void;
  onSignOut: () => void;
}) {
  const { t } = useI18n();
  const streamWords: Record<StreamState, string> = {
    connecting: t.connecting,
    live: t.live,
    reconnecting: t.reconnecting,
    down: t.streamDown,
  };
  const pages = adminPages.filter((page) => agent.role === 'admin' || !page.adminOnly);

  async function switchDesktop(on: boolean) {
    // Asking from this click is what lets the browser show its permission prompt.
    if (on && permission === 'default') await onAskPermission();
    onNotify({ ...notify, desktop: on });
  }

  return (
    <header className="topbar">
      <h1 className="brand">{t.appName}</h1>
      <span
        className={`stream ${streamState}`}
        role="status"
        title={streamState === 'live' ? t.streamLiveHint : t.streamDownHint}
        data-stream={streamState}
      >
        <span className="dot" aria-hidden="true" /> {streamWords[streamState]}
      </span>
      <span className="spacer" />
      <span className="who">
        <bdi>{agent.name}</bdi>
        {agent.role === 'admin' ? ' ★' : ''}
      </span>
      <label className="availability">
        <span className="availability-word">{t.availability}</span>
        <select
          name="availability"
          value={me?.availability ?? 'offline'}
          onChange={(event) => onAvailability(event.target.value as Availability)}
        >
          <option value="online">{t.online}</option>
          <option value="away">{t.away}</option>
          <option value="offline">{t.offline}</option>
        </select>
      </label>
      <button type="button" className="link" onClick={onToggleLanguage} data-testid="language">
        {t.language}
      </button>
      {pages.length > 0 && (
        <Menu label={t.adminMenu} testId="admin-menu">
          {(close) =>
            pages.map((page) => (
              <button
                key={page.key}
                type="button"
                data-admin-page={page.key}
                onClick={() => {
                  close();
                  onAdminPage(page.key);
                }}
              >
                {page.title}
              </button>
            ))
          }
        </Menu>
      )}
      <Menu label={t.settings} testId="settings-menu">
        {(close) => (
          <>
            <label className="toggle">
              <input
                type="checkbox"
                name="sound"
                checked={notify.sound}
                onChange={(event) => onNotify({ ...notify, sound: event.target.checked })}
              />
              {t.soundSetting}
            </label>
            <button type="button" className="link" onClick={beep}>
              {t.testSound}
            </button>
            <label className="toggle">
              <input
                type="checkbox"
                name="desktop"
                checked={notify.desktop && permission === 'granted'}
                disabled={permission === 'denied' || permission === 'unsupported'}
                onChange={(event) => void switchDesktop(event.target.checked)}
              />
              {t.desktopSetting}
            </label>
            {permission === 'default' && (
              <button type="button" onClick={() => void switchDesktop(true)}>
                {t.allowDesktop}
              </button>
            )}
            {permission === 'denied' && <p className="muted small">{t.desktopBlocked}</p>}
            {permission === 'unsupported' && <p className="muted small">{t.desktopUnsupported}</p>}
            <hr />
            <button
              type="button"
              onClick={() => {
                close();
                onShortcuts();
              }}
            >
              {t.shortcuts} <kbd>?</kbd>
            </button>
            <button
              type="button"
              onClick={() => {
                close();
                onChangePassword();
              }}
            >
              {t.changePassword}
            </button>
          </>
        )}
      </Menu>
      <button type="button" onClick={onSignOut}>
        {t.signOut}
      </button>
    </header>
  );
}
