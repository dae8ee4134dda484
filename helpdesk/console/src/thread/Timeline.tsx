/**
 * The ticket's story in time order: WhatsApp messages (MessageBubble), internal notes and audit
 * events (status changes, transfers…). Consecutive messages of one album (the same
 * `details.albumId`, sent together) share one grid. Stays scrolled to the newest while the agent
 * is at the bottom, also when photos finish loading.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { AgentEntry, Message, Thread } from '../api';
import { useI18n } from '../i18n';
import { useChannels } from '../useChannels';
import { formatMoment, formatNumber } from './format';
import { albumIdOf } from './message-kinds/fields';
import { openTicketByAddress, ThreadLinksContext, type ThreadLinks } from './message-kinds/thread-links';
import { canQuote, MessageBubble } from './MessageBubble';

type TimelineItem =
  | { kind: 'message'; at: string; message: Message }
  | { kind: 'note'; at: string; id: string; body: string; author: string | null }
  | { kind: 'event'; at: string; id: string; type: string; author: string | null; detail: string | null };

type TimelineEntry =
  | Exclude<TimelineItem, { kind: 'message' }>
  | { kind: 'message'; at: string; message: Message }
  | { kind: 'album'; at: string; albumId: string; messages: Message[] };

/**
 * The items with each run of consecutive messages of one album (same direction and albumId, two
 * or more) folded into one album entry. Pure.
 */
export function groupAlbums(items: TimelineItem[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const item of items) {
    const albumId = item.kind === 'message' ? albumIdOf(item.message) : null;
    const previous = entries[entries.length - 1];
    if (item.kind === 'message' && albumId && previous) {
      if (
        previous.kind === 'album' &&
        previous.albumId === albumId &&
        previous.messages[0]!.direction === item.message.direction
      ) {
        previous.messages.push(item.message);
        continue;
      }
      if (
        previous.kind === 'message' &&
        albumIdOf(previous.message) === albumId &&
        previous.message.direction === item.message.direction
      ) {
        entries[entries.length - 1] = {
          kind: 'album',
          at: previous.at,
          albumId,
          messages: [previous.message, item.message],
        };
        continue;
      }
    }
    entries.push(item);
  }
  return entries;
}

/**
 * @param canReply the agent may reply (Retry and Reply are offered on messages).
 * @param onQuote the agent chose a customer message to reply to.
 * @param onChanged something changed on the server (a retried message): reload.
 * @param onOpenTicket open another ticket (a shared contact's "open as customer"); default: the
 *   address's `#ticket=<id>`.
 */
export function Timeline({
  thread,
  agents,
  canReply,
  onQuote,
  onChanged,
  onOpenTicket = openTicketByAddress,
}: {
  thread: Thread;
  agents: AgentEntry[];
  canReply: boolean;
  onQuote: (message: Message) => void;
  onChanged: () => void;
  onOpenTicket?: (ticketId: string) => void;
}) {
  const i18n = useI18n();
  const { t, label, formatTime, language } = i18n;
  const messageIds = useMemo(() => new Set(thread.messages.map((message) => message.id)), [thread.messages]);
  const links = useMemo<ThreadLinks>(
    () => ({ hasMessage: (id) => messageIds.has(id), openTicket: onOpenTicket }),
    [messageIds, onOpenTicket],
  );
  const list = useRef<HTMLOListElement>(null);
  const { teams } = useChannels();
  const items: TimelineItem[] = [
    ...thread.messages.map((message) => ({ kind: 'message' as const, at: message.createdAt, message })),
    ...thread.notes.map((note) => ({
      kind: 'note' as const,
      at: note.createdAt,
      id: note.id,
      body: note.body,
      author: note.agent?.name ?? null,
    })),
    ...thread.events
      .filter((event) => event.type !== 'first_response')
      .map((event) => ({
        kind: 'event' as const,
        at: event.createdAt,
        id: event.id,
        type: event.type,
        author: event.agent?.name ?? null,
        detail: describeEvent(event.type, event.data, agents, i18n, teams),
      })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const entries = groupAlbums(items);
  // The `q` shortcut quotes the newest customer message the agent may quote.
  const latestQuotable = canReply
    ? [...thread.messages].reverse().find((message) => message.author === 'customer' && canQuote(message))?.id
    : undefined;

  // Keep the newest in view while the agent is at the bottom (also when media finish loading).
  const atBottom = useRef(true);
  const keepBottom = useCallback(() => {
    const element = list.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, []);
  const itemCount = items.length;
  useEffect(keepBottom, [itemCount, keepBottom]);

  if (items.length === 0) {
    return (
      <div className="timeline timeline-empty" role="status">
        <p className="muted">{t.noMessagesYet}</p>
      </div>
    );
  }
  const bubble = (message: Message, inAlbum = false) => (
    <MessageBubble
      key={message.id}
      message={message}
      ticketId={thread.ticket.id}
      canReply={canReply}
      latest={message.id === latestQuotable}
      inAlbum={inAlbum}
      onQuote={onQuote}
      onRetried={onChanged}
      onMediaLoad={keepBottom}
    />
  );
  return (
    <ThreadLinksContext.Provider value={links}>
      <ol
        className="timeline"
        ref={list}
        aria-label={t.conversation}
        onScroll={(event) => {
          const element = event.currentTarget;
          atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
        }}
      >
        {entries.map((item) =>
          item.kind === 'message' ? (
            bubble(item.message)
          ) : item.kind === 'album' ? (
            <li
              key={`album-${item.albumId}-${item.messages[0]!.id}`}
              className={`album ${item.messages[0]!.direction === 'inbound' ? 'in' : 'out'}`}
              data-album-id={item.albumId}
            >
              <span className="who">
                <bdi>{albumAuthor(item.messages[0]!, t)}</bdi>
              </span>
              <ul
                className="album-grid"
                aria-label={t.albumLabel.replace('{count}', formatNumber(language, item.messages.length))}
              >
                {item.messages.map((message) => bubble(message, true))}
              </ul>
            </li>
          ) : item.kind === 'note' ? (
            <li key={`note-${item.id}`} className="note">
              <span className="who">
                {t.internalNote} · <bdi>{item.author}</bdi>
              </span>
              <p dir="auto">{item.body}</p>
              <time dateTime={item.at}>{formatTime(item.at)}</time>
            </li>
          ) : (
            <li key={`event-${item.id}`} className="event">
              <bdi>{label(item.type === 'unassigned' ? 'unassignedEvent' : item.type)}</bdi>
              {item.detail && (
                <>
                  {' · '}
                  <bdi>{item.detail}</bdi>
                </>
              )}
              {item.author && (
                <>
                  {' · '}
                  <bdi>{item.author}</bdi>
                </>
              )}
              {' · '}
              <time dateTime={item.at}>{formatTime(item.at)}</time>
            </li>
          ),
        )}
      </ol>
    </ThreadLinksContext.Provider>
  );
}

/** Who sent an album, as a bubble names its sender. */
function albumAuthor(message: Message, t: ReturnType<typeof useI18n>['t']): string {
  if (message.author === 'customer') return t.customer;
  if (message.author === 'bot') return t.bot;
  if (message.author === 'system') return t.system;
  return message.agent?.name ?? t.agent;
}

/** The event's detail in words (e.g. "Open → Pending"), or null. */
function describeEvent(
  type: string,
  details: unknown,
  agents: AgentEntry[],
  { label, language, t }: ReturnType<typeof useI18n>,
  teams: ReadonlyArray<{ id: string; name: string }> = [],
): string | null {
  if (!details || typeof details !== 'object') return null;
  const data = details as Record<string, unknown>;
  const arrow = language === 'ar' ? '←' : '→';
  const name = (id: unknown) => agents.find((candidate) => candidate.id === id)?.name ?? null;
  if (type === 'status_changed') {
    const change = `${label(String(data.from))} ${arrow} ${label(String(data.to))}`;
    // The reason first: the snooze job's event also names the time the snooze was set to.
    if (data.reason === 'snooze_ended') return `${change} (${t.snoozeEnded})`;
    if (data.reason === 'customer_replied') return `${change} (${t.snoozeEndedByCustomer})`;
    const until = data.snoozeUntil ?? data.snoozedUntil;
    if (typeof until === 'string') return `${change} (${t.snoozedUntil} ${formatMoment(language, until)})`;
    return change;
  }
  if (type === 'transferred') return name(data.to);
  if (type === 'team_transferred') return teams.find((team) => team.id === data.teamId)?.name ?? null;
  if (type === 'classified') return label(String(data.category));
  if (type === 'csat_answered' && typeof data.score === 'number') {
    const score = t.csatBadge.replace('{score}', formatNumber(language, data.score));
    return typeof data.comment === 'string' ? `${score}: ${data.comment}` : score;
  }
  if (type === 'csat_skipped' && data.reason === 'outside_customer_service_window')
    return t.csatSkippedWindow;
  if (type === 'sla_breached') return data.kind === 'resolution' ? t.slaResolution : t.slaFirstResponse;
  return null;
}
