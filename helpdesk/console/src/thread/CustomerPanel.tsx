/**
 * The customer at hand, beside the open ticket: who they are (name, phone, channel), the notes
 * agents keep about them, shown first and prominently (an allergy written there must be in front
 * of the next agent), their tags, this ticket's labels and category (editable when the ticket's
 * `allowedActions` include `note`: whoever may add a note may classify), their previous tickets
 * and the files exchanged with them before. Notes and tags are saved with
 * `PATCH /api/customers/:id`, labels and category with their `PUT` on the ticket.
 */
import { useEffect, useState, type FormEvent } from 'react';
import {
  api,
  type CustomerHistory,
  type CustomerMediaItem,
  type Label,
  type SessionAgent,
  type Thread,
  type TicketCategory,
} from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { useChannels } from '../useChannels';
import { formatNumber, formatSize } from './format';
import { ScheduledMessages } from './ScheduledMessages';
import './customer-panel.css';

/** Images the API serves inline (attachments.ts), so a thumbnail can show them. */
const THUMBNAIL_TYPES = /^image\/(png|jpeg|gif|webp)$/;
/** The API's limit on one tag (contract customerChangesBodySchema). */
const TAG_MAX = 40;

/**
 * @param thread the open ticket with its customer.
 * @param agent the signed-in agent.
 * @param onOpenTicket opens another ticket (a previous one of this customer).
 * @param onChanged the ticket or customer changed here: reload the thread.
 */
export function CustomerPanel({
  thread,
  agent,
  onOpenTicket,
  onChanged,
}: {
  thread: Thread;
  agent: SessionAgent;
  onOpenTicket: (ticketId: string) => void;
  onChanged: () => void;
}) {
  const i18n = useI18n();
  const channels = useChannels();
  const { t, label, language } = i18n;
  const { ticket, customer } = thread;
  const mayClassify = ticket.allowedActions.includes('note');

  const [notes, setNotes] = useState(customer.notes);
  const [notesDraft, setNotesDraft] = useState<string | null>(null);
  const [tags, setTags] = useState(customer.tags);
  const [newTag, setNewTag] = useState('');
  const [ticketLabels, setTicketLabels] = useState(ticket.labels);
  const [category, setCategory] = useState(ticket.category);
  const [history, setHistory] = useState<CustomerHistory | null>(null);
  const [media, setMedia] = useState<CustomerMediaItem[] | null>(null);
  const [allLabels, setAllLabels] = useState<Label[] | null>(null);
  const [categories, setCategories] = useState<TicketCategory[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // What the thread says is the truth after every reload (another agent may have edited).
  useEffect(() => {
    setNotes(customer.notes);
    setTags(customer.tags);
  }, [customer.id, customer.notes, customer.tags]);
  useEffect(() => {
    setNotesDraft(null);
    setNewTag('');
    setError(null);
    setNotice(null);
  }, [customer.id]);
  useEffect(() => setTicketLabels(ticket.labels), [ticket.id, ticket.labels]);
  useEffect(() => setCategory(ticket.category), [ticket.id, ticket.category]);

  // History and files: again when the customer changes or new messages arrive.
  const messageCount = thread.messages.length;
  useEffect(() => {
    let current = true;
    api.customer(customer.id).then(
      (found) => current && setHistory(found),
      (caught: unknown) => current && setError(errorText(caught, i18n)),
    );
    api.customerMedia(customer.id).then(
      (found) => current && setMedia(found.items),
      (caught: unknown) => current && setError(errorText(caught, i18n)),
    );
    return () => {
      current = false;
    };
    // i18n only words the error: a language switch needs no reload.
  }, [customer.id, messageCount]);

  useEffect(() => {
    let current = true;
    api.ticketCategories().then(
      (found) => current && setCategories(found.items),
      () => current && setCategories([]),
    );
    return () => {
      current = false;
    };
  }, []);

  /** Reads the labels when the chooser opens (an admin may have added some since). */
  function loadLabels() {
    api.labels().then(
      (found) => setAllLabels(found.items),
      (caught: unknown) => {
        setAllLabels((known) => known ?? []);
        setError(errorText(caught, i18n));
      },
    );
  }

  /** Runs one save, showing its error; @returns whether it succeeded. */
  async function save(what: string, action: () => Promise<void>): Promise<boolean> {
    setBusy(what);
    setError(null);
    setNotice(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(errorText(caught, i18n));
      return false;
    } finally {
      setBusy(null);
    }
  }

  async function saveNotes(event: FormEvent) {
    event.preventDefault();
    if (notesDraft === null) return;
    const saved = await save('notes', async () => {
      const updated = await api.updateCustomer(customer.id, { notes: notesDraft.trim() ? notesDraft : null });
      setNotes(updated.notes);
    });
    if (saved) {
      setNotesDraft(null);
      setNotice(t.panelNotesSaved);
      onChanged();
    }
  }

  async function saveTags(next: string[]) {
    const saved = await save('tags', async () => {
      const updated = await api.updateCustomer(customer.id, { tags: next });
      setTags(updated.tags);
    });
    if (saved) onChanged();
    return saved;
  }

  async function addTag(event: FormEvent) {
    event.preventDefault();
    const tag = newTag.trim();
    if (!tag) return;
    if ([...tag].length > TAG_MAX) {
      setError(t.panelTagTooLong);
      return;
    }
    if (tags.includes(tag)) {
      setNewTag('');
      return;
    }
    if (await saveTags([...tags, tag])) setNewTag('');
  }

  async function toggleLabel(labelId: string, on: boolean) {
    const before = ticketLabels;
    const others = before.filter((entry) => entry.id !== labelId);
    const added = allLabels?.find((entry) => entry.id === labelId);
    // Shown at once; the server's answer (or the old labels, on an error) replaces it.
    setTicketLabels(on && added ? [...others, added] : others);
    const ids = others.map((entry) => entry.id);
    const saved = await save('labels', async () => {
      const updated = await api.setTicketLabels(ticket.id, on ? [...ids, labelId] : ids);
      setTicketLabels(updated.labels);
    });
    if (saved) onChanged();
    else setTicketLabels(before);
  }

  async function changeCategory(value: string) {
    const before = category;
    setCategory(value || null);
    const saved = await save('category', async () => {
      const updated = await api.setTicketCategory(ticket.id, value || null);
      setCategory(updated.category);
    });
    if (saved) onChanged();
    else setCategory(before);
  }

  const categoryName = (id: string | null) => {
    if (!id) return t.panelCategoryNone;
    const found = categories?.find((option) => option.id === id);
    return found ? found[language] : label(id);
  };
  const previous = (history?.tickets ?? []).filter((entry) => entry.id !== ticket.id);
  const chosen = new Set(ticketLabels.map((entry) => entry.id));

  return (
    <aside
      className="customer-panel"
      id={`customer-panel-${ticket.id}`}
      aria-label={t.panelTitle}
      data-testid="customer-panel"
    >
      <header className="cp-who">
        <h3>
          <bdi>{customer.name ?? customer.phone ?? customer.lid}</bdi>
        </h3>
        {history?.optedOutAt && (
          <p>
            <span className="badge opted-out" data-testid="opted-out-badge" title={t.optedOutHint}>
              {t.optedOutBadge}
            </span>
          </p>
        )}
        <dl className="cp-facts">
          {customer.phone && (
            <>
              <dt>{t.panelPhone}</dt>
              <dd>
                <a className="cp-phone" href={`tel:${customer.phone}`} dir="ltr">
                  {customer.phone}
                </a>
              </dd>
            </>
          )}
          <dt>{t.channel}</dt>
          <dd>
            <bdi>{channels.nameOf(ticket.channel)}</bdi>
          </dd>
        </dl>
      </header>

      {error && (
        <p className="cp-error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="cp-notice" role="status">
          {notice}
        </p>
      )}

      <section className={`cp-section cp-notes${notes ? ' has-notes' : ''}`} aria-labelledby="cp-notes-title">
        <h4 id="cp-notes-title">{t.panelNotes}</h4>
        {notesDraft === null ? (
          <>
            {notes ? (
              <p className="customer-notes" data-testid="customer-notes" dir="auto">
                {notes}
              </p>
            ) : (
              <p className="muted">{t.panelNotesEmpty}</p>
            )}
            <button
              type="button"
              className="link"
              data-action="edit-customer-notes"
              onClick={() => setNotesDraft(notes ?? '')}
            >
              {notes ? t.panelNotesEdit : t.panelNotesAdd}
            </button>
          </>
        ) : (
          <form className="cp-notes-form" onSubmit={saveNotes}>
            <textarea
              name="customer-notes"
              dir="auto"
              rows={4}
              maxLength={10_000}
              value={notesDraft}
              aria-label={t.panelNotes}
              aria-describedby="cp-notes-hint"
              onChange={(event) => setNotesDraft(event.target.value)}
              // The agent just asked to write.
              autoFocus
            />
            <p className="muted small" id="cp-notes-hint">
              {t.panelNotesHint}
            </p>
            <div className="cp-actions">
              <button
                type="submit"
                className="primary"
                data-action="save-customer-notes"
                disabled={busy === 'notes'}
              >
                {busy === 'notes' ? t.panelSaving : t.save}
              </button>
              <button type="button" onClick={() => setNotesDraft(null)} disabled={busy === 'notes'}>
                {t.cancel}
              </button>
            </div>
          </form>
        )}
      </section>

      <section className="cp-section cp-tags" aria-labelledby="cp-tags-title">
        <h4 id="cp-tags-title">{t.panelTags}</h4>
        {tags.length === 0 ? (
          <p className="muted">{t.panelTagsEmpty}</p>
        ) : (
          <ul className="cp-chips">
            {tags.map((tag) => (
              <li key={tag} className="cp-chip">
                <bdi>{tag}</bdi>
                <button
                  type="button"
                  className="cp-chip-remove"
                  aria-label={t.panelTagRemove.replace('{tag}', tag)}
                  title={t.panelTagRemove.replace('{tag}', tag)}
                  disabled={busy === 'tags'}
                  onClick={() => void saveTags(tags.filter((entry) => entry !== tag))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="cp-tag-form" onSubmit={addTag}>
          <input
            name="customer-tag"
            dir="auto"
            value={newTag}
            placeholder={t.panelTagNew}
            aria-label={t.panelTagNew}
            onChange={(event) => setNewTag(event.target.value)}
          />
          <button type="submit" disabled={busy === 'tags' || !newTag.trim()}>
            {t.panelTagAdd}
          </button>
        </form>
      </section>

      <section className="cp-section cp-labels" aria-labelledby="cp-labels-title">
        <h4 id="cp-labels-title">{t.panelLabels}</h4>
        {ticketLabels.length === 0 ? (
          <p className="muted">{t.panelLabelsEmpty}</p>
        ) : (
          <ul className="cp-chips">
            {ticketLabels.map((entry) => (
              <li key={entry.id} className="cp-label" style={{ borderColor: entry.color }}>
                <span className="cp-swatch" style={{ background: entry.color }} aria-hidden="true" />
                <bdi>{entry.name}</bdi>
              </li>
            ))}
          </ul>
        )}
        {mayClassify && (
          <details
            className="cp-label-chooser"
            onToggle={(event) => {
              if (event.currentTarget.open) loadLabels();
            }}
          >
            <summary>{t.panelLabelsChoose}</summary>
            {allLabels === null ? (
              <p className="muted">{t.loading}</p>
            ) : allLabels.length === 0 ? (
              <p className="muted">
                {agent.role === 'admin' ? `${t.panelLabelsNone} (${t.labelsAdmin})` : t.panelLabelsNone}
              </p>
            ) : (
              <ul className="cp-label-options">
                {allLabels.map((entry) => (
                  <li key={entry.id}>
                    <label>
                      <input
                        type="checkbox"
                        name="ticket-label"
                        value={entry.id}
                        checked={chosen.has(entry.id)}
                        disabled={busy === 'labels'}
                        onChange={(event) => void toggleLabel(entry.id, event.target.checked)}
                      />
                      <span className="cp-swatch" style={{ background: entry.color }} aria-hidden="true" />
                      <bdi>{entry.name}</bdi>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </details>
        )}
      </section>

      <section className="cp-section cp-category" aria-labelledby="cp-category-title">
        <h4 id="cp-category-title">{t.panelCategory}</h4>
        {mayClassify && categories ? (
          <select
            name="ticket-category"
            aria-labelledby="cp-category-title"
            value={category ?? ''}
            disabled={busy === 'category'}
            onChange={(event) => void changeCategory(event.target.value)}
          >
            <option value="">{t.panelCategoryNone}</option>
            {categories.map((option) => (
              <option key={option.id} value={option.id}>
                {option[language]}
              </option>
            ))}
            {category && !categories.some((known) => known.id === category) && (
              <option value={category}>{label(category)}</option>
            )}
          </select>
        ) : (
          <p>{categoryName(category)}</p>
        )}
      </section>

      {ticket.csat && (
        <section className="cp-section cp-csat" aria-labelledby="cp-csat-title" data-testid="panel-csat">
          <h4 id="cp-csat-title">{t.csatTitle}</h4>
          <p>
            <span className={`badge csat csat-${ticket.csat.score <= 2 ? 'low' : 'ok'}`}>
              {t.csatBadge.replace('{score}', formatNumber(language, ticket.csat.score))}
            </span>{' '}
            <span aria-hidden="true">{'⭐'.repeat(ticket.csat.score)}</span>
          </p>
          {ticket.csat.comment && (
            <blockquote dir="auto">
              <bdi>{ticket.csat.comment}</bdi>
            </blockquote>
          )}
        </section>
      )}

      <ScheduledMessages ticketId={ticket.id} customerId={customer.id} channelKey={ticket.channel} />

      <section className="cp-section cp-history" aria-labelledby="cp-history-title">
        <h4 id="cp-history-title">{t.panelPreviousTickets}</h4>
        {history === null ? (
          <p className="muted">{t.loading}</p>
        ) : previous.length === 0 ? (
          <p className="muted">{t.panelPreviousEmpty}</p>
        ) : (
          <ul className="cp-tickets">
            {previous.map((entry) => {
              const number = formatNumber(language, entry.number);
              return (
                <li key={entry.id}>
                  <button
                    type="button"
                    className="cp-ticket"
                    data-ticket-id={entry.id}
                    aria-label={t.panelOpenTicket.replace('{number}', number)}
                    onClick={() => onOpenTicket(entry.id)}
                  >
                    <span className="cp-ticket-number">#{number}</span>
                    <span className={`status status-${entry.status}`}>{label(entry.status)}</span>
                    {entry.category && (
                      <span className="cp-ticket-category">{categoryName(entry.category)}</span>
                    )}
                    <time className="muted" dateTime={entry.openedAt}>
                      {i18n.formatTime(entry.openedAt)}
                    </time>
                    {entry.assignee && <bdi className="muted cp-ticket-assignee">{entry.assignee.name}</bdi>}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="cp-section cp-media" aria-labelledby="cp-media-title">
        <h4 id="cp-media-title">{t.panelMedia}</h4>
        {media === null ? (
          <p className="muted">{t.loading}</p>
        ) : media.length === 0 ? (
          <p className="muted">{t.panelMediaEmpty}</p>
        ) : (
          <ul className="cp-media-grid">
            {media.map((item) => (
              <MediaTile key={item.id} item={item} />
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}

/** One file shared before: a thumbnail for an image, else its name, size and where it went. */
function MediaTile({ item }: { item: CustomerMediaItem }) {
  const { t, language, formatTime } = useI18n();
  const [broken, setBroken] = useState(false);
  const direction = item.direction === 'inbound' ? t.panelMediaFromCustomer : t.panelMediaToCustomer;
  const when = formatTime(item.sentAt);
  const ticketNumber = formatNumber(language, item.ticketNumber);
  const name = item.filename ?? `${kindName(item.mimeType, t)} · ${formatSize(language, item.size)}`;
  const title = `${direction} · #${ticketNumber} · ${when}`;
  if (THUMBNAIL_TYPES.test(item.mimeType) && !broken) {
    return (
      <li className={`cp-media-item image ${item.direction}`}>
        <a href={item.url} target="_blank" rel="noreferrer" title={title}>
          <img src={item.url} alt={`${t.image} · ${title}`} loading="lazy" onError={() => setBroken(true)} />
        </a>
      </li>
    );
  }
  return (
    <li className={`cp-media-item file ${item.direction}`}>
      <a href={`${item.url}?download=1`} title={title} download={item.filename ?? undefined}>
        <span className="cp-file-icon" aria-hidden="true">
          {fileBadge(item)}
        </span>
        <bdi className="cp-file-name">{name}</bdi>
        <span className="muted small">{title}</span>
      </a>
    </li>
  );
}

/** A short badge for a file's kind: its extension (e.g. PDF), else its type's (PNG, OGG). */
function fileBadge(item: CustomerMediaItem): string {
  const fromName = item.filename?.includes('.') ? item.filename.split('.').pop() : undefined;
  const fromType = item.mimeType
    .split(';')[0]!
    .split('/')[1]
    ?.replace(/^(x-|vnd\.)/, '');
  return (fromName || fromType || '?').slice(0, 4).toUpperCase();
}

/** The words for a kind of file, from its MIME type. */
function kindName(mimeType: string, t: ReturnType<typeof useI18n>['t']): string {
  if (mimeType.startsWith('image/')) return t.image;
  if (mimeType.startsWith('audio/')) return t.audio;
  if (mimeType.startsWith('video/')) return t.panelFile;
  return t.document;
}
