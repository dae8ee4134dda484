/**
 * One ticket: its customer, status buttons, transfer, the timeline (messages with image previews,
 * audio and video players and document links; internal notes; events), and the reply box with file
 * upload and the internal-note toggle.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { STATUS_ACTIONS, STATUS_OF_ACTION, type StatusAction } from '@whatsapp-helpdesk/contract/api';
import {
  api,
  ApiError,
  type AgentEntry,
  type Attachment,
  type Message,
  type SessionAgent,
  type Thread,
} from './api';
import { useI18n } from './i18n';

/** The words of each status button. */
const STATUS_ACTION_LABEL = {
  reopen: 'setOpen',
  pend: 'setPending',
  resolve: 'setResolved',
  close: 'setClosed',
} as const satisfies Record<StatusAction, string>;
const DELIVERY_MARK: Record<string, string> = {
  queued: '◷',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '⚠',
};

type TimelineItem =
  | { kind: 'message'; at: string; message: Message }
  | { kind: 'note'; at: string; id: string; body: string; author: string | null }
  | { kind: 'event'; at: string; id: string; type: string; author: string | null; detail: string | null };

/** The open ticket. @param onChanged reload after an action. */
export function ThreadView({
  thread,
  agent,
  agents,
  onChanged,
}: {
  thread: Thread;
  agent: SessionAgent;
  agents: AgentEntry[];
  onChanged: () => void;
}) {
  const { t, label, formatTime, language } = useI18n();
  const { ticket, customer } = thread;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [transferTo, setTransferTo] = useState('');
  const timeline = useRef<HTMLOListElement>(null);
  // What this agent may do comes with the ticket (the server applies the ticket rules).
  const allowed = new Set(ticket.allowedActions);
  const statusActions = STATUS_ACTIONS.filter((action) => allowed.has(action));

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
        detail: describeEvent(event.type, event.data, agents, label, language === 'ar' ? '←' : '→'),
      })),
  ].sort((a, b) => a.at.localeCompare(b.at));

  // Keep the newest in view while the agent is at the bottom (also when images finish loading).
  const atBottom = useRef(true);
  const keepBottom = useCallback(() => {
    const list = timeline.current;
    if (list && atBottom.current) list.scrollTop = list.scrollHeight;
  }, []);
  const itemCount = items.length;
  useEffect(keepBottom, [itemCount, keepBottom]);

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="thread" aria-label={`#${ticket.number}`}>
      <header className="thread-head">
        <div>
          <h2>
            <bdi className="customer-name">{customer.name ?? customer.phone}</bdi>{' '}
            <small dir="ltr">#{ticket.number}</small>
          </h2>
          <p className="muted">
            <span dir="ltr">{customer.phone}</span>
            {ticket.category && <> · {label(ticket.category)}</>} · {t.assignee}:{' '}
            <bdi>{ticket.assignee?.name ?? t.nobody}</bdi>
            {ticket.firstResponseSeconds !== null && (
              <>
                {' '}
                · {t.firstResponse}: {Math.round(ticket.firstResponseSeconds / 60)} {t.minutes}
              </>
            )}
            {ticket.resolutionSeconds !== null && (
              <>
                {' '}
                · {t.resolution}: {Math.round(ticket.resolutionSeconds / 60)} {t.minutes}
              </>
            )}
          </p>
          {customer.tags.length > 0 && (
            <p className="tags">
              {customer.tags.map((tag) => (
                <span key={tag} className="tag">
                  {tag}
                </span>
              ))}
            </p>
          )}
        </div>
        <div className="actions">
          <span className={`badge status-${ticket.status}`} data-testid="ticket-status">
            {label(ticket.status)}
          </span>
          {statusActions.map((action) => (
            <StatusButton
              key={action}
              action={action}
              disabled={busy}
              onClick={() => void run(() => api.setStatus(ticket.id, STATUS_OF_ACTION[action]))}
            />
          ))}
          {allowed.has('claim') && (
            <button
              type="button"
              disabled={busy}
              onClick={() => void run(() => api.transfer(ticket.id, agent.id))}
            >
              {t.claim}
            </button>
          )}
          {allowed.has('transfer') && (
            <span className="transfer">
              <select
                name="transfer"
                aria-label={t.transferTo}
                value={transferTo}
                onChange={(event) => setTransferTo(event.target.value)}
              >
                <option value="">{t.transferTo}</option>
                {ticket.assignee && <option value="queue">{t.toQueue}</option>}
                {agents
                  .filter((candidate) => candidate.active && candidate.id !== ticket.assignee?.id)
                  .map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {candidate.name} ({label(candidate.availability)})
                    </option>
                  ))}
              </select>
              <button
                type="button"
                disabled={busy || !transferTo}
                onClick={() =>
                  void run(async () => {
                    await api.transfer(ticket.id, transferTo === 'queue' ? null : transferTo);
                    setTransferTo('');
                  })
                }
              >
                {t.transfer}
              </button>
            </span>
          )}
        </div>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ol
        className="timeline"
        ref={timeline}
        onScroll={(event) => {
          const list = event.currentTarget;
          atBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
        }}
      >
        {items.map((item) =>
          item.kind === 'message' ? (
            <MessageBubble key={item.message.id} message={item.message} onMediaLoad={keepBottom} />
          ) : item.kind === 'note' ? (
            <li key={`note-${item.id}`} className="note">
              <span className="who">
                {t.internalNote} · {item.author}
              </span>
              <p dir="auto">{item.body}</p>
              <time>{formatTime(item.at)}</time>
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
              <time>{formatTime(item.at)}</time>
            </li>
          ),
        )}
      </ol>
      {allowed.has('reply') && (
        <ReplyBox ticketId={ticket.id} canNote={allowed.has('note')} onSent={onChanged} />
      )}
    </section>
  );
}

function describeEvent(
  type: string,
  details: unknown,
  agents: AgentEntry[],
  label: (key: string) => string,
  arrow: string,
): string | null {
  if (!details || typeof details !== 'object') return null;
  const data = details as Record<string, unknown>;
  const name = (id: unknown) => agents.find((candidate) => candidate.id === id)?.name ?? null;
  if (type === 'status_changed') return `${label(String(data.from))} ${arrow} ${label(String(data.to))}`;
  if (type === 'transferred') return name(data.to);
  if (type === 'classified') return label(String(data.category));
  return null;
}

function MessageBubble({ message, onMediaLoad }: { message: Message; onMediaLoad: () => void }) {
  const { t, label, formatTime } = useI18n();
  const side = message.direction === 'inbound' ? 'in' : 'out';
  const who =
    message.author === 'customer'
      ? t.customer
      : message.author === 'bot'
        ? t.bot
        : (message.agent?.name ?? t.agent);
  const body = message.text ?? message.caption;
  return (
    <li className={`message ${side} author-${message.author}`} data-message-id={message.id}>
      <span className="who">{who}</span>
      {message.attachments.map((attachment) => (
        <AttachmentView key={attachment.id} attachment={attachment} onLoad={onMediaLoad} />
      ))}
      {body && (
        <p className="text" dir="auto">
          {body}
        </p>
      )}
      {message.error && <p className="error small">{message.error}</p>}
      <span className="meta">
        <time>{formatTime(message.createdAt)}</time>
        {message.direction === 'outbound' && (
          <span
            className={`delivery ${message.deliveryStatus}`}
            title={label(message.deliveryStatus)}
            data-delivery={message.deliveryStatus}
          >
            {DELIVERY_MARK[message.deliveryStatus] ?? ''} {label(message.deliveryStatus)}
          </span>
        )}
      </span>
    </li>
  );
}

function AttachmentView({ attachment, onLoad }: { attachment: Attachment; onLoad: () => void }) {
  const { t } = useI18n();
  const name = attachment.filename ?? `${t.document} (${Math.ceil(attachment.size / 1024)} KB)`;
  if (/^image\/(png|jpeg|gif|webp)$/.test(attachment.mimeType)) {
    return (
      <a href={attachment.url} target="_blank" rel="noopener noreferrer" className="image-link">
        <img src={attachment.url} alt={attachment.filename ?? t.image} onLoad={onLoad} />
      </a>
    );
  }
  if (attachment.mimeType.startsWith('audio/')) {
    return (
      <audio
        controls
        preload="metadata"
        src={attachment.url}
        aria-label={t.audio}
        onLoadedMetadata={onLoad}
      />
    );
  }
  if (attachment.mimeType.startsWith('video/')) {
    return <video controls preload="metadata" src={attachment.url} onLoadedMetadata={onLoad} />;
  }
  return (
    <a className="document" href={`${attachment.url}?download=1`} download={attachment.filename ?? undefined}>
      <span className="doc-icon" aria-hidden="true" /> {name} · {t.download}
    </a>
  );
}

/** A button that moves the ticket to the status `action` asks for. */
function StatusButton({
  action,
  disabled,
  onClick,
}: {
  action: StatusAction;
  disabled: boolean;
  onClick: () => void;
}) {
  const { t } = useI18n();
  const status = STATUS_OF_ACTION[action];
  return (
    <button
      type="button"
      disabled={disabled}
      data-status={status}
      className={action === 'resolve' ? 'primary' : ''}
      onClick={onClick}
    >
      {t[STATUS_ACTION_LABEL[action]]}
    </button>
  );
}

/** @param canNote the ticket allows internal notes (the toggle is shown). */
function ReplyBox({ ticketId, canNote, onSent }: { ticketId: string; canNote: boolean; onSent: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [asNote, setAsNote] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (busy || (!text.trim() && (!file || asNote))) return;
    setBusy(true);
    setError(null);
    try {
      if (asNote) await api.note(ticketId, text);
      else await api.reply(ticketId, text, file);
      setText('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      onSent();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={asNote ? 'reply note-mode' : 'reply'} onSubmit={(event) => void submit(event)}>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <textarea
        name="reply"
        rows={3}
        placeholder={asNote ? t.notePlaceholder : t.replyPlaceholder}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit();
        }}
      />
      <div className="reply-tools">
        {canNote && (
          <label className="toggle">
            <input
              type="checkbox"
              name="note"
              checked={asNote}
              onChange={(event) => setAsNote(event.target.checked)}
            />
            {t.note}
          </label>
        )}
        {!asNote && (
          <label className="file">
            <span className="clip-icon" aria-hidden="true">
              +
            </span>{' '}
            {t.attach}
            <input
              ref={fileInput}
              type="file"
              name="file"
              accept="image/*,audio/*,video/*,application/pdf,.doc,.docx,.xls,.xlsx,.txt"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </label>
        )}
        {file && !asNote && (
          <span className="chosen">
            {file.name}{' '}
            <button
              type="button"
              className="link"
              onClick={() => {
                setFile(null);
                if (fileInput.current) fileInput.current.value = '';
              }}
            >
              {t.removeFile}
            </button>
          </span>
        )}
        <span className="spacer" />
        <button type="submit" className="primary" disabled={busy}>
          {asNote ? t.addNote : t.send}
        </button>
      </div>
    </form>
  );
}
