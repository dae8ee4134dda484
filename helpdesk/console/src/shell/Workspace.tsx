/**
 * The signed-in console: the top bar, the inbox beside the open ticket's thread (on a phone one
 * screen at a time), kept current by the realtime stream. It marks the open ticket read, keeps the
 * unread count in the tab's title, alerts the agent (sound, desktop notification) about new
 * tickets and customer messages, and handles the keyboard shortcuts.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  api,
  ApiError,
  type AgentEntry,
  type Availability,
  type Label,
  type Me,
  type SessionAgent,
  type Thread,
  type Ticket,
  type TicketCategory,
  type TicketCounts,
} from '../api';
import { ChangePassword } from '../ChangePassword';
import { useI18n } from '../i18n';
import { DEFAULT_FILTERS, Inbox, type InboxFilters } from '../inbox/Inbox';
import { ThreadView } from '../ThreadView';
import { ChannelsContext, useChannelSource } from '../useChannels';
import { useEventStream, type StreamEvent } from '../useEventStream';
import { AdminPage, useAdminPages } from './AdminPage';
import { ChannelBanner } from './ChannelBanner';
import { errorText } from './error-text';
import { ShortcutsHelp } from './ShortcutsHelp';
import { TopBar } from './TopBar';
import { useAlerts } from './useAlerts';
import { useHashTicket } from './useHashTicket';
import { useShortcuts } from './useShortcuts';

const STATUS_QUERY: Record<InboxFilters['status'], string> = {
  active: 'open,pending',
  resolved: 'resolved',
  closed: 'closed',
  all: 'open,pending,resolved,closed',
};

/** Realtime bursts are coalesced into one reload per this many ms. */
const COALESCE_MS = 60;

interface Reloads {
  list: boolean;
  counts: boolean;
  thread: boolean;
  /** Mark the open ticket read first (new customer messages while the agent looks at it). */
  read: boolean;
}

/**
 * @param onSessionEnded the server no longer accepts the session (401, `logout` event).
 * @param onSignedOut the agent signed out.
 */
export function Workspace({
  agent,
  onSessionEnded,
  onSignedOut,
  onToggleLanguage,
}: {
  agent: SessionAgent;
  onSessionEnded: () => void;
  onSignedOut: () => void;
  onToggleLanguage: () => void;
}) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const [me, setMe] = useState<Me | null>(null);
  const [agents, setAgents] = useState<AgentEntry[]>([]);
  const [filters, setFilters] = useState<InboxFilters>(DEFAULT_FILTERS);
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [listError, setListError] = useState<unknown>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [counts, setCounts] = useState<TicketCounts | null>(null);
  const [labels, setLabels] = useState<Label[]>([]);
  const [categories, setCategories] = useState<TicketCategory[]>([]);
  const [selectedId, select] = useHashTicket();
  const [thread, setThread] = useState<Thread | null>(null);
  const [threadError, setThreadError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<'password' | 'shortcuts' | null>(null);
  const [adminKey, setAdminKey] = useState<string | null>(null);
  const [awayNotice, setAwayNotice] = useState(false);
  const ticketsSeen = useRef<Ticket[]>([]);
  ticketsSeen.current = tickets;
  const adminPages = useAdminPages();
  const selected = useRef<string | null>(selectedId);
  selected.current = selectedId;

  const handleError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) onSessionEnded();
    },
    [onSessionEnded],
  );
  // The WhatsApp numbers (names on tickets, the banner, the channel filter, the admin page).
  const channels = useChannelSource(handleError);
  const { onStateEvent: onChannelState, reload: reloadChannels } = channels;

  const query = useCallback(
    (cursor?: string) => {
      const params = new URLSearchParams({
        view: filters.view,
        status: STATUS_QUERY[filters.status],
        sort: 'activity',
        limit: '30',
      });
      if (filters.label) params.set('label', filters.label);
      if (filters.category) params.set('category', filters.category);
      if (filters.channel) params.set('channel', filters.channel);
      if (cursor) params.set('cursor', cursor);
      return params;
    },
    [filters.view, filters.status, filters.label, filters.category, filters.channel],
  );

  // Answers of an older query never overwrite a newer one.
  const listRequest = useRef(0);
  const loadTickets = useCallback(async () => {
    const request = ++listRequest.current;
    try {
      const page = await api.tickets(query());
      if (request !== listRequest.current) return;
      setTickets(page.items);
      setNextCursor(page.nextCursor);
      setListError(null);
    } catch (error) {
      if (request !== listRequest.current) return;
      handleError(error);
      setListError(error);
    } finally {
      if (request === listRequest.current) setLoaded(true);
    }
  }, [query, handleError]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    const request = listRequest.current;
    try {
      const page = await api.tickets(query(nextCursor));
      if (request !== listRequest.current) return;
      setTickets((current) => [
        ...current,
        ...page.items.filter((ticket) => !current.some((shown) => shown.id === ticket.id)),
      ]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      handleError(error);
      setListError(error);
    }
  }, [nextCursor, query, handleError]);

  const loadCounts = useCallback(async () => {
    try {
      setCounts(await api.ticketCounts(filters.channel || undefined));
    } catch (error) {
      handleError(error);
    }
  }, [handleError, filters.channel]);

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
          setThreadError(error);
        }
      }
    },
    [handleError],
  );

  const loadMe = useCallback(() => api.me().then(setMe, handleError), [handleError]);
  // Also on `labels.changed`: an admin renamed or deleted one; a filter on a deleted label is dropped.
  const loadLabels = useCallback(
    () =>
      api.labels().then((list) => {
        setLabels(list.items);
        setFilters((current) =>
          current.label && !list.items.some((label) => label.id === current.label)
            ? { ...current, label: '' }
            : current,
        );
      }, handleError),
    [handleError],
  );

  // Coalesce bursts of realtime events (and read marks) into one reload of what is on screen.
  const loaders = useRef({ loadTickets, loadCounts, loadThread });
  loaders.current = { loadTickets, loadCounts, loadThread };
  const pending = useRef<Reloads & { timer: ReturnType<typeof setTimeout> | null }>({
    list: false,
    counts: false,
    thread: false,
    read: false,
    timer: null,
  });
  const schedule = useCallback(
    (what: Partial<Reloads>) => {
      const state = pending.current;
      state.list ||= Boolean(what.list);
      state.counts ||= Boolean(what.counts);
      state.thread ||= Boolean(what.thread);
      state.read ||= Boolean(what.read);
      if (state.timer) return;
      state.timer = setTimeout(() => {
        const { list, counts: reloadCounts, thread: reloadThread, read } = state;
        Object.assign(state, { list: false, counts: false, thread: false, read: false, timer: null });
        const id = selected.current;
        void (async () => {
          if (read && id && !document.hidden) await api.markRead(id).catch(handleError);
          if (list) void loaders.current.loadTickets();
          if (reloadCounts) void loaders.current.loadCounts();
          if (reloadThread && id) void loaders.current.loadThread(id);
        })();
      }, COALESCE_MS);
    },
    [handleError],
  );
  useEffect(
    () => () => {
      if (pending.current.timer) clearTimeout(pending.current.timer);
    },
    [],
  );

  /** Marks the open ticket read when the agent can see it, then refreshes badges. */
  const markOpenRead = useCallback(() => {
    const id = selected.current;
    if (!id || document.hidden) return;
    api.markRead(id).then(
      () => schedule({ list: true, counts: true }),
      (error: unknown) => handleError(error),
    );
  }, [schedule, handleError]);

  useEffect(() => {
    setLoaded(false);
    setTickets([]);
    void loadTickets();
  }, [loadTickets]);
  useEffect(() => {
    void loadMe();
    api.agents().then((list) => setAgents(list.items), handleError);
    void loadLabels();
    api.ticketCategories().then((list) => setCategories(list.items), handleError);
  }, [loadMe, loadLabels, handleError]);
  // Again when the channel filter changes (the counts are that channel's).
  useEffect(() => void loadCounts(), [loadCounts]);
  useEffect(() => {
    setThread(null);
    setThreadError(null);
    if (!selectedId) return;
    void loadThread(selectedId);
    markOpenRead();
  }, [selectedId, loadThread, markOpenRead]);
  // On a phone the list and the ticket take turns: focus follows to the screen that shows, so a
  // keyboard or screen-reader user is not left on a control that just disappeared.
  const previousId = useRef<string | null>(selectedId);
  useEffect(() => {
    const left = previousId.current;
    previousId.current = selectedId;
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || active === document.body || active.offsetParent !== null) return;
    const target = selectedId
      ? document.querySelector<HTMLElement>('.thread-pane .back')
      : document.querySelector<HTMLElement>(`.ticket-item[data-ticket-id="${left ?? ''}"]`);
    target?.focus();
  }, [selectedId]);
  useEffect(() => {
    const onVisible = () => {
      if (!document.hidden) markOpenRead();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [markOpenRead]);

  // The tab's title carries the unread count, e.g. "(3) مكتب مساعدة واتساب".
  const unread =
    counts?.unreadMessages ??
    (filters.view === 'mine' ? tickets.reduce((sum, ticket) => sum + ticket.unreadCount, 0) : 0);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${t.appName}` : t.appName;
  }, [unread, t.appName]);
  useEffect(() => () => void (document.title = t.appName), [t.appName]);

  const alerts = useAlerts({ agent, selected, listed: ticketsSeen, open: select, onError: handleError });
  const { alertFor } = alerts;

  const onEvent = useCallback(
    (event: StreamEvent) => {
      if (event.type === 'logout') return onSessionEnded();
      if (event.type === 'channel.state') return onChannelState(event);
      if (event.type === 'agent.availability') {
        if (event.agentId === agent.id && event.availability !== 'online' && event.reason !== 'chosen')
          setAwayNotice(true);
        void loadMe();
        return;
      }
      if (event.type === 'labels.changed') {
        // Label chips in the list and the open ticket carry the names: read them again too.
        void loadLabels();
        return schedule({ list: true, thread: true });
      }
      if (event.type === 'resync') {
        void reloadChannels();
        void loadMe();
        void loadLabels();
        return schedule({ list: true, counts: true, thread: true });
      }
      const open = Boolean(event.ticketId) && event.ticketId === selected.current;
      schedule({
        list: true,
        counts: true,
        thread: open,
        read: open && event.type === 'message.created' && event.direction === 'inbound',
      });
      if (event.type === 'ticket.assigned') void loadMe();
      alertFor(event);
    },
    [agent.id, alertFor, loadLabels, loadMe, onChannelState, reloadChannels, onSessionEnded, schedule],
  );
  const streamState = useEventStream(true, onEvent, () => {
    api.session().catch(handleError);
  });

  function move(step: 1 | -1) {
    const items = [...document.querySelectorAll<HTMLElement>('.inbox .ticket-list button.ticket-item')];
    if (items.length === 0) return;
    const current = items.findIndex((item) => item.classList.contains('selected'));
    const next =
      current === -1
        ? step === 1
          ? 0
          : items.length - 1
        : Math.min(items.length - 1, Math.max(0, current + step));
    const item = items[next]!;
    item.focus();
    item.scrollIntoView({ block: 'nearest' });
    item.click();
  }
  function focusSearch() {
    setAdminKey(null);
    const input = () => document.querySelector<HTMLInputElement>('input[type=search][name=search]');
    // On a phone the inbox is hidden behind the open ticket: go back to it first.
    if (input()?.offsetParent === null) select(null);
    requestAnimationFrame(() => input()?.focus());
  }
  useShortcuts({ move, search: focusSearch, help: () => setDialog('shortcuts') });

  async function changeAvailability(availability: Availability) {
    const updated = await api.setAvailability(availability).catch(handleError);
    if (updated) {
      setMe(updated);
      if (updated.availability === 'online') setAwayNotice(false);
    }
    schedule({ list: true, counts: true });
  }

  async function signOut() {
    await api.logout().catch(() => undefined);
    // The next person to sign in here starts from the list.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    onSignedOut();
  }

  const adminPage = useMemo(
    () => adminPages.find((page) => page.key === adminKey) ?? null,
    [adminPages, adminKey],
  );

  const workspace = (
    <div
      className={`workspace ${selectedId ? 'show-thread' : 'show-inbox'}${adminPage ? ' show-admin' : ''}`}
    >
      <TopBar
        agent={agent}
        me={me}
        streamState={streamState}
        notify={alerts.notify}
        permission={alerts.permission}
        onAskPermission={alerts.askPermission}
        adminPages={adminPages}
        onAvailability={(availability) => void changeAvailability(availability)}
        onToggleLanguage={onToggleLanguage}
        onNotify={alerts.changeNotify}
        onChangePassword={() => setDialog('password')}
        onShortcuts={() => setDialog('shortcuts')}
        onAdminPage={setAdminKey}
        onSignOut={() => void signOut()}
      />
      <div className="notices">
        <ChannelBanner
          agent={agent}
          onOpenAdmin={agent.role === 'admin' ? () => setAdminKey('channels') : undefined}
        />
        {awayNotice && (
          <div className="notice" role="status" data-notice="away">
            <span>{t.setAwayNotice}</span>
            <button type="button" onClick={() => void changeAvailability('online')}>
              {t.online}
            </button>
            <button type="button" className="link" onClick={() => setAwayNotice(false)}>
              {t.dismiss}
            </button>
          </div>
        )}
        {alerts.offerDesktop && alerts.notify.desktop && (
          <div className="notice" data-notice="desktop">
            <span>{t.offerDesktop}</span>
            <button type="button" onClick={() => void alerts.askPermission()}>
              {t.allowDesktop}
            </button>
            <button type="button" className="link" onClick={alerts.declineOffer}>
              {t.notNow}
            </button>
          </div>
        )}
      </div>
      {dialog === 'password' && <ChangePassword onClose={() => setDialog(null)} />}
      {dialog === 'shortcuts' && <ShortcutsHelp onClose={() => setDialog(null)} />}
      {adminPage ? (
        <AdminPage page={adminPage} agent={agent} onClose={() => setAdminKey(null)} />
      ) : (
        <>
          <Inbox
            isAdmin={agent.role === 'admin'}
            filters={filters}
            onFilters={setFilters}
            counts={counts}
            labels={labels}
            categories={categories}
            tickets={tickets}
            loaded={loaded}
            error={listError ? errorText(listError, i18n) : null}
            selectedId={selectedId}
            onSelect={select}
            hasMore={Boolean(nextCursor)}
            onMore={() => void loadMore()}
            onSessionEnded={onSessionEnded}
          />
          <main className="thread-pane">
            <div className="back-bar">
              <button type="button" className="back" onClick={() => select(null)}>
                <span aria-hidden="true">{language === 'ar' ? '→' : '←'}</span> {t.backToInbox}
              </button>
            </div>
            {selectedId && thread ? (
              <ThreadView
                key={thread.ticket.id}
                thread={thread}
                agent={agent}
                agents={agents}
                onChanged={() => {
                  void loadThread(thread.ticket.id);
                  schedule({ list: true, counts: true });
                  void loadMe();
                }}
              />
            ) : (
              <div className="empty" role={threadError ? 'alert' : undefined}>
                {threadError ? errorText(threadError, i18n) : selectedId ? t.loading : t.pickTicket}
              </div>
            )}
          </main>
        </>
      )}
    </div>
  );
  return <ChannelsContext.Provider value={channels}>{workspace}</ChannelsContext.Provider>;
}
