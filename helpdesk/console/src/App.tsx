/**
 * The agent console: sign-in, then the inbox beside the open ticket's thread, kept current by the
 * realtime stream. Arabic and right to left by default, with an English switch.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  api,
  ApiError,
  type AgentEntry,
  type Availability,
  type Me,
  type SessionAgent,
  type Thread,
  type Ticket,
} from './api';
import { ChangePassword } from './ChangePassword';
import { applyLanguage, I18nContext, makeI18n, savedLanguage, useI18n, type Language } from './i18n';
import { Inbox, type InboxFilters } from './Inbox';
import { Login } from './Login';
import { ThreadView } from './ThreadView';
import { useEventStream, type StreamEvent } from './useEventStream';

/** The whole page. */
export function App() {
  const [language, setLanguage] = useState<Language>(savedLanguage);
  const [agent, setAgent] = useState<SessionAgent | null | undefined>(undefined);
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

  return (
    <I18nContext.Provider value={i18n}>
      {agent === undefined ? null : agent === null ? (
        <Login onSignedIn={setAgent} onToggleLanguage={toggleLanguage} />
      ) : (
        <Workspace agent={agent} onSignedOut={() => setAgent(null)} onToggleLanguage={toggleLanguage} />
      )}
    </I18nContext.Provider>
  );
}

function Workspace({
  agent,
  onSignedOut,
  onToggleLanguage,
}: {
  agent: SessionAgent;
  onSignedOut: () => void;
  onToggleLanguage: () => void;
}) {
  const { t } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  const [agents, setAgents] = useState<AgentEntry[]>([]);
  const [filters, setFilters] = useState<InboxFilters>({ view: 'mine', status: 'active', search: '' });
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [thread, setThread] = useState<Thread | null>(null);
  const [threadError, setThreadError] = useState<string | null>(null);
  const [changingPassword, setChangingPassword] = useState(false);
  const selected = useRef<string | null>(null);
  selected.current = selectedId;

  const query = useCallback(
    (cursor?: string) => {
      const params = new URLSearchParams({ view: filters.view, limit: '30' });
      const statuses: Record<InboxFilters['status'], string> = {
        active: 'open,pending',
        resolved: 'resolved',
        closed: 'closed',
        all: 'open,pending,resolved,closed',
      };
      params.set('status', statuses[filters.status]);
      if (filters.view === 'unassigned') params.set('sort', 'oldest');
      if (filters.search.trim()) params.set('q', filters.search.trim());
      if (cursor) params.set('cursor', cursor);
      return params;
    },
    [filters],
  );

  const handleError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) onSignedOut();
    },
    [onSignedOut],
  );

  const loadTickets = useCallback(async () => {
    try {
      const page = await api.tickets(query());
      setTickets(page.items);
      setNextCursor(page.nextCursor);
    } catch (error) {
      handleError(error);
    }
  }, [query, handleError]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    const page = await api.tickets(query(nextCursor)).catch(handleError);
    if (!page) return;
    setTickets((current) => [...current, ...page.items]);
    setNextCursor(page.nextCursor);
  }, [nextCursor, query, handleError]);

  const loadThread = useCallback(
    async (id: string) => {
      try {
        const loaded = await api.thread(id);
        if (selected.current === id) {
          setThread(loaded);
          setThreadError(null);
        }
      } catch (error) {
        handleError(error);
        if (selected.current === id) {
          setThread(null);
          setThreadError(error instanceof ApiError ? error.message : String(error));
        }
      }
    },
    [handleError],
  );

  const loadMe = useCallback(() => api.me().then(setMe, handleError), [handleError]);

  useEffect(() => {
    void loadTickets();
  }, [loadTickets]);
  useEffect(() => {
    void loadMe();
    api.agents().then((list) => setAgents(list.items), handleError);
  }, [loadMe, handleError]);
  useEffect(() => {
    setThread(null);
    setThreadError(null);
    if (selectedId) void loadThread(selectedId);
  }, [selectedId, loadThread]);

  // Realtime: coalesce bursts of events into one reload of what is on screen.
  const pending = useRef<{ list: boolean; thread: boolean; timer: ReturnType<typeof setTimeout> | null }>({
    list: false,
    thread: false,
    timer: null,
  });
  const onEvent = useCallback(
    (event: StreamEvent) => {
      if (event.type === 'logout') return onSignedOut();
      const state = pending.current;
      state.list = true;
      if (event.type === 'resync' || (event.ticketId && event.ticketId === selected.current))
        state.thread = true;
      if (event.type === 'ticket.assigned' || event.type === 'resync') void loadMe();
      if (state.timer) return;
      state.timer = setTimeout(() => {
        const { list, thread: reloadThread } = state;
        state.list = false;
        state.thread = false;
        state.timer = null;
        if (list) void loadTickets();
        if (reloadThread && selected.current) void loadThread(selected.current);
      }, 150);
    },
    [loadTickets, loadThread, loadMe, onSignedOut],
  );
  const streamState = useEventStream(true, onEvent, () => {
    api.session().catch(() => onSignedOut());
  });

  async function changeAvailability(availability: Availability) {
    const updated = await api.setAvailability(availability).catch(handleError);
    if (updated) setMe(updated);
    void loadTickets();
  }

  async function signOut() {
    await api.logout().catch(() => undefined);
    onSignedOut();
  }

  return (
    <div className="workspace">
      <header className="topbar">
        <strong className="brand">{t.appName}</strong>
        <span className={`stream ${streamState}`} title={streamState}>
          ● {streamState === 'live' ? t.live : t.reconnecting}
        </span>
        <span className="spacer" />
        <span className="who">
          {agent.name}
          {agent.role === 'admin' ? ' ★' : ''}
        </span>
        <label className="availability">
          {t.availability}
          <select
            name="availability"
            value={me?.availability ?? 'offline'}
            onChange={(event) => void changeAvailability(event.target.value as Availability)}
          >
            <option value="online">{t.online}</option>
            <option value="away">{t.away}</option>
            <option value="offline">{t.offline}</option>
          </select>
        </label>
        <button type="button" className="link" onClick={onToggleLanguage} data-testid="language">
          {t.language}
        </button>
        <button type="button" className="link" onClick={() => setChangingPassword(true)}>
          {t.changePassword}
        </button>
        <button type="button" onClick={() => void signOut()}>
          {t.signOut}
        </button>
      </header>
      {changingPassword && <ChangePassword onClose={() => setChangingPassword(false)} />}
      <Inbox
        isAdmin={agent.role === 'admin'}
        filters={filters}
        onFilters={setFilters}
        tickets={tickets}
        selectedId={selectedId}
        onSelect={setSelectedId}
        hasMore={Boolean(nextCursor)}
        onMore={() => void loadMore()}
      />
      <main className="thread-pane">
        {selectedId && thread ? (
          <ThreadView
            key={thread.ticket.id}
            thread={thread}
            agent={agent}
            agents={agents}
            onChanged={() => {
              void loadThread(thread.ticket.id);
              void loadTickets();
              void loadMe();
            }}
          />
        ) : (
          <div className="empty">{threadError ?? t.pickTicket}</div>
        )}
      </main>
    </div>
  );
}
