/**
 * The reply box under a ticket's timeline: a reply to the customer or an internal note.
 *
 * - `/` at the start of a word opens the canned responses (filtered by shortcut and title; arrow
 *   keys, Enter or Tab insert, Esc closes); the inserted text has its variables filled
 *   (renderCannedResponse: the customer's and the agent's names, the ticket number).
 * - A draft per ticket and mode is kept in localStorage (`draft:<ticketId>:<mode>`) as it is
 *   typed, restored on mount (after a reload or a new sign-in when the session expired) and
 *   cleared of what was sent once the API stored it: what the agent typed during the send stays.
 * - Enter sends and Shift+Enter breaks the line, or (the agent's choice, kept in localStorage)
 *   Ctrl+Enter sends and Enter breaks the line; the current rule is shown under the box.
 * - Files come from the button, pasting or dropping, several at a time. The API takes one file
 *   per message, so they go as consecutive messages in the order shown, the text as the caption
 *   of the first (as its own message first when the first file is audio, which WhatsApp sends
 *   without a caption). A file that fails stays in the list with the ones after it.
 * - `quoted` (chosen with a message's "Reply" or `q`) is shown above the box with its author and
 *   a summary; ✕ or Esc removes it. The first message sent (the text, or the first file) carries
 *   `replyTo: <its id>`, so WhatsApp shows it as a reply to that message.
 *
 * - On a Cloud API ticket whose 24-hour customer-service window is closed, a notice says why free
 *   text is refused and "Send a template" opens TemplatePicker (issue 17).
 *
 * Both textareas exist when notes are allowed (`textarea[data-composer="reply"|"note"]`, the
 * console's keyboard hooks): the inactive one is visually hidden, and focusing it switches modes.
 */
import type { CannedResponse } from '@whatsapp-helpdesk/contract/api';
import { renderCannedResponse } from '@whatsapp-helpdesk/contract/canned-variables';
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import { api, type Message, type SessionAgent, type Thread } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { CannedPicker, cannedOptionId } from './canned/CannedPicker';
import { findSlashQuery, matchCannedResponses, replaceSlashQuery, type SlashQuery } from './canned/slash';
import { useCannedResponses } from './canned/useCannedResponses';
import { ComposerEmoji } from './ComposerEmoji';
import { ComposerFiles, type PendingFile } from './ComposerFiles';
import { messageSummary } from './message-kinds/summary';
import { isWindowClosed, TemplatePicker } from './TemplatePicker';
import { useChannels } from '../useChannels';
import './composer.css';

export type ComposerMode = 'reply' | 'note';
type SendKey = 'enter' | 'ctrl-enter';

const REPLY_MAX = 4096;
const NOTE_MAX = 10_000;
const SEND_KEY_STORAGE = 'helpdesk.composer.sendKey';
const ACCEPT = 'image/*,audio/*,video/*,application/pdf,.doc,.docx,.xls,.xlsx,.txt';

/** The localStorage key of a ticket's draft in one mode. */
export function draftKey(ticketId: string, mode: ComposerMode): string {
  return `draft:${ticketId}:${mode}`;
}

function readStorage(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function writeStorage(key: string, value: string): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // private mode or a full storage: the draft lasts as long as the page
  }
}

function savedSendKey(): SendKey {
  return readStorage(SEND_KEY_STORAGE) === 'ctrl-enter' ? 'ctrl-enter' : 'enter';
}

let fileCounter = 0;
function pending(files: Iterable<File>): PendingFile[] {
  return [...files].map((file) => ({ key: `f${++fileCounter}`, file }));
}

interface Drafts {
  ticketId: string;
  reply: string;
  note: string;
}

function loadDrafts(ticketId: string): Drafts {
  return {
    ticketId,
    reply: readStorage(draftKey(ticketId, 'reply')),
    note: readStorage(draftKey(ticketId, 'note')),
  };
}

/**
 * @param canReply the ticket allows a reply to the customer (else only notes, when allowed).
 * @param quoted the message being answered, shown above the box and sent as `replyTo` (null: none).
 * @param onClearQuote the agent removed the quote (✕ or Esc).
 * @param onSent called after a reply or note was stored (reload the thread).
 */
export function Composer({
  thread,
  agent,
  canReply,
  quoted,
  onClearQuote,
  onSent,
}: {
  thread: Thread;
  agent: SessionAgent;
  canReply: boolean;
  quoted: Message | null;
  onClearQuote: () => void;
  onSent: () => void;
}) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const { ticket, customer } = thread;
  const canNote = ticket.allowedActions.includes('note');
  // A Cloud API ticket past its 24-hour window takes only a template (TemplatePicker).
  const windowClosed = isWindowClosed(useChannels().byKey(ticket.channel)?.provider, ticket.lastInboundAt);
  const [preferred, setMode] = useState<ComposerMode>(canReply ? 'reply' : 'note');
  const mode: ComposerMode = !canReply ? 'note' : !canNote ? 'reply' : preferred;

  // The drafts of the ticket on screen; another ticket loads its own (during render, so no frame
  // shows the previous ticket's text).
  const [drafts, setDrafts] = useState<Drafts>(() => loadDrafts(ticket.id));
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [asVoice, setAsVoice] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [sendKey, setSendKey] = useState<SendKey>(savedSendKey);
  if (drafts.ticketId !== ticket.id) {
    setDrafts(loadDrafts(ticket.id));
    setFiles([]);
    setError(null);
  }
  const text = drafts[mode];
  // What the boxes hold now, for a send that finishes after the agent typed on.
  const latestDrafts = useRef(drafts);
  latestDrafts.current = drafts;

  const boxes = { reply: useRef<HTMLTextAreaElement>(null), note: useRef<HTMLTextAreaElement>(null) };
  const fileInput = useRef<HTMLInputElement>(null);
  const caretAfterRender = useRef<number | null>(null);

  // The canned-response picker.
  const canned = useCannedResponses();
  const pickerId = useId();
  const [slash, setSlash] = useState<SlashQuery | null>(null);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const pickerOpen = slash !== null && dismissed !== slash.start;
  const matches = pickerOpen ? matchCannedResponses(canned.items, slash.query, ticket.language) : [];
  const activeIndex = Math.min(active, Math.max(0, matches.length - 1));

  useLayoutEffect(() => {
    const caret = caretAfterRender.current;
    const box = boxes[mode].current;
    caretAfterRender.current = null;
    if (caret === null || !box) return;
    box.focus();
    box.setSelectionRange(caret, caret);
  });

  // Choosing a message to reply to puts the agent in the reply box.
  const quotedId = quoted?.id ?? null;
  useEffect(() => {
    if (!quotedId || !canReply) return;
    setMode('reply');
    boxes.reply.current?.focus();
  }, [quotedId, canReply]);

  // A new ticket closes the picker.
  useEffect(() => {
    setSlash(null);
    setDismissed(null);
  }, [ticket.id, mode]);

  function setText(value: string, forMode: ComposerMode = mode) {
    writeStorage(draftKey(ticket.id, forMode), value);
    setDrafts((current) =>
      current.ticketId === ticket.id
        ? { ...current, [forMode]: value }
        : { ...loadDrafts(ticket.id), [forMode]: value },
    );
  }

  /** Looks for a slash word at the caret and opens, updates or closes the picker. */
  function updateSlash(value: string, box: HTMLTextAreaElement) {
    // A select event of the keystroke that inserted a response still sees the old text.
    if (caretAfterRender.current !== null) return;
    const found = box.selectionStart === box.selectionEnd ? findSlashQuery(value, box.selectionEnd) : null;
    if (found && (!slash || slash.start !== found.start)) canned.refresh();
    if (found?.start !== slash?.start || found?.query !== slash?.query) setActive(0);
    setSlash(found);
    // Esc closes the list for this slash word only: a new one (or none) forgets it.
    if (!found || found.start !== slash?.start) setDismissed(null);
  }

  /** A canned response's text with this ticket's customer, agent and number filled in. */
  function render(body: string): string {
    return renderCannedResponse(body, {
      customer: { name: customer.name },
      agent: { name: agent.name },
      ticket: { number: ticket.number },
    });
  }

  function insertCanned(item: CannedResponse) {
    const box = boxes[mode].current;
    if (!box || !slash) return;
    const rendered = render(item.body);
    const next = replaceSlashQuery(text, slash, box.selectionEnd, rendered);
    caretAfterRender.current = next.caret;
    setText(next.text);
    setSlash(null);
  }

  /**
   * Takes what was sent out of the box once the API stored it, keeping what the agent typed while
   * it was on its way (the box is not locked during a send): the sent text is removed from the
   * start; a box the agent changed otherwise is left as it is.
   */
  function clearSent(sent: string, forMode: ComposerMode) {
    const shown = latestDrafts.current;
    // Another ticket opened meanwhile: the sent ticket's draft is the stored one.
    const now = shown.ticketId === ticket.id ? shown[forMode] : readStorage(draftKey(ticket.id, forMode));
    setText(now.startsWith(sent) ? now.slice(sent.length).trimStart() : now, forMode);
  }

  function insertAtCaret(insert: string) {
    const box = boxes[mode].current;
    const start = box?.selectionStart ?? text.length;
    const end = box?.selectionEnd ?? text.length;
    caretAfterRender.current = start + insert.length;
    setText(text.slice(0, start) + insert + text.slice(end));
  }

  function addFiles(list: FileList | File[] | null | undefined) {
    if (!list || list.length === 0 || !canReply) return;
    if (mode !== 'reply') setMode('reply');
    // Copied now: an input's FileList empties when the input is reset right after.
    const added = pending([...list]);
    setFiles((current) => [...current, ...added]);
  }

  function chooseSendKey(next: SendKey) {
    writeStorage(SEND_KEY_STORAGE, next === 'enter' ? '' : next);
    setSendKey(next);
  }

  async function send() {
    const sendingMode = mode;
    const body = text;
    const queue = sendingMode === 'reply' ? files : [];
    if (busy || (!body.trim() && queue.length === 0)) return;
    const max = sendingMode === 'reply' ? REPLY_MAX : NOTE_MAX;
    if (body.length > max) {
      setError(`${t.composerTooLong} (${body.length} / ${max})`);
      return;
    }
    setBusy(true);
    setError(null);
    let sentSomething = false;
    try {
      if (sendingMode === 'note') {
        await api.note(ticket.id, body);
        clearSent(body, 'note');
        sentSomething = true;
      } else {
        let caption: string | null = body.trim() ? body : null;
        // Only the first message sent answers the quoted one.
        let replyTo = quoted?.id ?? null;
        const first = queue[0];
        if (caption !== null && (!first || first.file.type.startsWith('audio/'))) {
          await api.reply(ticket.id, caption, null, replyTo);
          clearSent(body, 'reply');
          caption = null;
          replyTo = null;
          sentSomething = true;
        }
        for (const entry of queue) {
          const voice = asVoice && entry.file.type.startsWith('audio/');
          await api.replyWithFile(ticket.id, entry.file, caption, voice, replyTo);
          replyTo = null;
          setFiles((current) => current.filter((item) => item.key !== entry.key));
          if (caption !== null) clearSent(body, 'reply');
          caption = null;
          sentSomething = true;
        }
        if (fileInput.current) fileInput.current.value = '';
        setAsVoice(false);
        if (quoted) onClearQuote();
      }
    } catch (caught) {
      const message = errorText(caught, i18n);
      setError(sentSomething && sendingMode === 'reply' ? `${t.composerPartlySent}: ${message}` : message);
    } finally {
      setBusy(false);
      if (sentSomething) onSent();
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (pickerOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        if (matches.length > 0) {
          const step = event.key === 'ArrowDown' ? 1 : -1;
          setActive((activeIndex + step + matches.length) % matches.length);
        }
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && matches.length > 0) {
        event.preventDefault();
        const item = matches[activeIndex];
        if (item) insertCanned(item);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setDismissed(slash.start);
        return;
      }
    }
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    const withCtrl = event.ctrlKey || event.metaKey;
    // With "Enter sends", Ctrl+Enter sends too: nobody means a line break by it.
    if (sendKey === 'enter' ? !event.shiftKey : withCtrl) {
      event.preventDefault();
      void send();
    }
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const pasted = [...event.clipboardData.files];
    if (pasted.length === 0 || !canReply) return;
    // A screenshot comes as a file; text beside it (rich copies) is pasted as usual.
    if (!event.clipboardData.getData('text/plain')) event.preventDefault();
    addFiles(pasted);
  }

  function onDrop(event: DragEvent<HTMLFormElement>) {
    setDragging(false);
    if (event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    addFiles(event.dataTransfer.files);
  }

  if (!canReply && !canNote) return null;
  const limit = mode === 'reply' ? REPLY_MAX : NOTE_MAX;
  const hasAudio = files.some((entry) => entry.file.type.startsWith('audio/'));
  const quotedText = quoted ? messageSummary(t, quoted) : null;
  const quotedAuthor = quoted
    ? quoted.author === 'customer'
      ? t.quoteFromCustomer
      : (quoted.agent?.name ?? t.quoteFromUs)
    : null;

  const textarea = (which: ComposerMode) => {
    const current = which === mode;
    return (
      <textarea
        key={which}
        ref={boxes[which]}
        name={which}
        data-composer={which}
        dir="auto"
        rows={3}
        className={current ? 'composer-text' : 'composer-text composer-inactive'}
        aria-hidden={current ? undefined : true}
        tabIndex={current ? undefined : -1}
        placeholder={which === 'note' ? t.notePlaceholder : t.replyPlaceholder}
        value={drafts[which]}
        disabled={which === 'reply' && !canReply}
        role={current && pickerOpen ? 'combobox' : undefined}
        aria-expanded={current && pickerOpen ? true : undefined}
        aria-controls={current && pickerOpen && matches.length > 0 ? pickerId : undefined}
        aria-activedescendant={
          current && pickerOpen && matches.length > 0 ? cannedOptionId(pickerId, activeIndex) : undefined
        }
        onFocus={(event) => {
          if (!current) return setMode(which);
          // Back in the box (e.g. from a frame that took the focus): a slash word at the caret
          // opens its list again.
          updateSlash(event.currentTarget.value, event.currentTarget);
        }}
        onChange={(event) => {
          setText(event.target.value, which);
          updateSlash(event.target.value, event.target);
        }}
        onSelect={(event) => updateSlash(event.currentTarget.value, event.currentTarget)}
        onBlur={() => setSlash(null)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
    );
  };

  return (
    <form
      className={`reply composer${mode === 'note' ? ' note-mode' : ''}${dragging ? ' dragging' : ''}`}
      data-mode={mode}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
      onDragOver={(event) => {
        if (!canReply || ![...event.dataTransfer.types].includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
      onKeyDown={(event) => {
        // Esc removes the quote (the canned-response list, when open, closes first).
        if (event.key !== 'Escape' || event.defaultPrevented || !quoted || mode !== 'reply') return;
        event.preventDefault();
        event.stopPropagation();
        onClearQuote();
      }}
    >
      {canReply && canNote && (
        <div className="composer-modes" role="tablist">
          {(['reply', 'note'] as const).map((which) => (
            <button
              key={which}
              type="button"
              role="tab"
              aria-selected={mode === which}
              data-mode-tab={which}
              className={mode === which ? 'active' : undefined}
              onClick={() => {
                // The tab already shown only takes the focus: a caret position queued for a render
                // that never comes (React skips an unchanged mode) would move the next keystroke.
                if (which === mode) return boxes[which].current?.focus();
                setMode(which);
                caretAfterRender.current = drafts[which].length;
              }}
            >
              {which === 'reply' ? t.composerReply : t.note}
            </button>
          ))}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {canReply && mode === 'reply' && windowClosed && (
        <div className="composer-window" data-testid="composer-window">
          <p role="status">{t.templateWindowClosed}</p>
          <TemplatePicker
            ticketId={ticket.id}
            channelKey={ticket.channel}
            fill={{ customerName: customer.name, ticketNumber: ticket.number, agentName: agent.name }}
            onSent={onSent}
          />
        </div>
      )}
      {quoted && mode === 'reply' && (
        <blockquote className="composer-quote" data-testid="composer-quote" data-quoted-id={quoted.id}>
          <div>
            <span className="who">
              {t.composerQuoteLabel} <bdi>{quotedAuthor}</bdi>
            </span>{' '}
            <bdi dir="auto" className="composer-quote-text">
              {quotedText}
            </bdi>
          </div>
          <button
            type="button"
            className="link"
            data-action="clear-quote"
            aria-label={t.composerClearQuote}
            title={t.composerQuoteCancelHint}
            onClick={() => {
              onClearQuote();
              boxes.reply.current?.focus();
            }}
          >
            ✕
          </button>
        </blockquote>
      )}
      {mode === 'reply' && files.length > 0 && (
        <>
          <ComposerFiles
            files={files}
            onRemove={(key) => setFiles((current) => current.filter((f) => f.key !== key))}
          />
          {files.length > 1 && <small className="muted">{t.composerFilesNote}</small>}
        </>
      )}
      <div className="composer-box">
        {pickerOpen && (
          <CannedPicker
            id={pickerId}
            items={matches}
            active={activeIndex}
            loading={canned.loading}
            render={render}
            onPick={insertCanned}
            onHover={setActive}
          />
        )}
        {canReply && textarea('reply')}
        {canNote && textarea('note')}
        {dragging && <div className="composer-drop">{t.composerDropFiles}</div>}
      </div>
      <div className="reply-tools">
        <ComposerEmoji onPick={insertAtCaret} disabled={busy} />
        {mode === 'reply' && (
          <label className="file">
            <span className="clip-icon" aria-hidden="true">
              +
            </span>{' '}
            {t.attach}
            <input
              ref={fileInput}
              type="file"
              name="file"
              multiple
              accept={ACCEPT}
              onChange={(event) => {
                addFiles(event.target.files);
                event.target.value = '';
              }}
            />
          </label>
        )}
        {mode === 'reply' && hasAudio && (
          <label className="toggle">
            <input
              type="checkbox"
              name="asVoice"
              checked={asVoice}
              onChange={(event) => setAsVoice(event.target.checked)}
            />
            {t.composerAsVoice}
          </label>
        )}
        <span className="spacer" />
        {text.length > limit * 0.8 && (
          <small className={text.length > limit ? 'error small' : 'muted'} dir="ltr">
            {text.length.toLocaleString(language === 'ar' ? 'ar-EG' : 'en-GB')} /{' '}
            {limit.toLocaleString(language === 'ar' ? 'ar-EG' : 'en-GB')}
          </small>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {mode === 'note' ? t.addNote : t.send}
        </button>
      </div>
      <p className="composer-hint muted" data-testid="composer-send-key">
        <span>{sendKey === 'enter' ? t.composerSendHintEnter : t.composerSendHintCtrl}</span>{' '}
        <button
          type="button"
          className="link"
          onClick={() => chooseSendKey(sendKey === 'enter' ? 'ctrl-enter' : 'enter')}
        >
          {sendKey === 'enter' ? t.composerSwitchToCtrl : t.composerSwitchToEnter}
        </button>
      </p>
    </form>
  );
}
