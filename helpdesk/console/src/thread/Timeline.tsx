/**
 * The ticket's story in time order: WhatsApp messages (MessageBubble), internal notes and audit
 * events (status changes, transfers…). Stays scrolled to the newest while the agent is at the
 * bottom, also when photos finish loading.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { AgentEntry, Message, Thread } from '../api';
import { useI18n } from '../i18n';
import { formatMoment } from './format';
import { MessageBubble } from './MessageBubble';

type TimelineItem =
  | { kind: 'message'; at: string; message: Message }
  | { kind: 'note'; at: string; id: string; body: string; author: string | null }
  | { kind: 'event'; at: string; id: string; type: string; author: string | null; detail: string | null };

/**
 * @param canReply the agent may reply (Retry and Reply are offered on messages).
 * @param onQuote the agent chose a customer message to reply to.
 * @param onChanged something changed on the server (a retried message): reload.
 */
export function Timeline({
  thread,
  agents,
  canReply,
  onQuote,
  onChanged,
}: {
  thread: Thread;
  agents: AgentEntry[];
  canReply: boolean;
  onQuote: (message: Message) => void;
  onChanged: () => void;
}) {
  const i18n = useI18n();
  const { t, label, formatTime } = i18n;
  const list = useRef<HTMLOListElement>(null);
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
        detail: describeEvent(event.type, event.data, agents, i18n),
      })),
  ].sort((a, b) => a.at.localeCompare(b.at));

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
  return (
    <ol
      className="timeline"
      ref={list}
      aria-label={t.conversation}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
      }}
    >
      {items.map((item) =>
        item.kind === 'message' ? (
          <MessageBubble
            key={item.message.id}
            message={item.message}
            ticketId={thread.ticket.id}
            canReply={canReply}
            onQuote={onQuote}
            onRetried={onChanged}
            onMediaLoad={keepBottom}
          />
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
  );
}

/** The event's detail in words (e.g. "Open → Pending"), or null. */
function describeEvent(
  type: string,
  details: unknown,
  agents: AgentEntry[],
  { label, language, t }: ReturnType<typeof useI18n>,
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
  if (type === 'classified') return label(String(data.category));
  return null;
}
