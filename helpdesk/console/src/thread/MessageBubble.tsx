/**
 * One WhatsApp message in the timeline: who sent it, the forwarded and "deleted by the customer"
 * markers, the message it quotes, its media (AttachmentView; view-once media as such), its text or
 * the card its kind calls for (location, contact, poll, list/button/interactive reply), "edited"
 * with the earlier versions, the customer's reactions, the time and, for outbound messages, the
 * delivery status. A failed outbound message says why and offers "Retry"; customer and agent
 * messages offer "Reply" (quotes it in the composer; `q` while the focus is in the message).
 */
import { useState, type KeyboardEvent } from 'react';
import { api, type Message } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { AttachmentView } from './media/AttachmentView';
import { parseContacts } from './media/parse-contact';
import { parseLocation } from './media/parse-location';
import { ContactCards } from './message-kinds/ContactCards';
import { DeletedMarker } from './message-kinds/DeletedMarker';
import {
  ChoiceReply,
  choiceText,
  ForwardedMarker,
  InteractiveReply,
  MediaFacts,
  ViewOnceNote,
} from './message-kinds/Details';
import { EditHistory } from './message-kinds/EditHistory';
import { messageParts, type ContactPart, type LocationPart, type MessageParts } from './message-kinds/fields';
import { LocationCard } from './message-kinds/LocationCard';
import { parsePoll, PollCard } from './message-kinds/PollCard';
import { QuoteBlock } from './message-kinds/QuoteBlock';
import { Reactions } from './message-kinds/Reactions';

const DELIVERY_MARK: Record<string, string> = {
  queued: '◷',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '⚠',
};

/**
 * Whether the agent may quote the message in a reply: a customer's or an agent's message that
 * WhatsApp has (an outbound one once sent), not a reaction and not deleted.
 */
export function canQuote(message: Message): boolean {
  if (message.type === 'reaction' || messageParts(message).deletedAt) return false;
  if (message.author === 'customer') return true;
  return message.author === 'agent' && ['sent', 'delivered', 'read'].includes(message.deliveryStatus);
}

/**
 * @param canReply the agent may reply (Retry and Reply are offered).
 * @param latest this is the message the `q` shortcut quotes (the newest the agent may quote).
 * @param inAlbum the message is shown in an album's grid (the album names the sender).
 * @param onQuote the agent chose to reply to this message.
 * @param onRetried the failed message was queued again (reload the thread).
 * @param onMediaLoad a photo or player got its size (the timeline keeps its scroll position).
 */
export function MessageBubble({
  message,
  ticketId,
  canReply,
  latest = false,
  inAlbum = false,
  onQuote,
  onRetried,
  onMediaLoad,
}: {
  message: Message;
  ticketId: string;
  canReply: boolean;
  latest?: boolean;
  inAlbum?: boolean;
  onQuote: (message: Message) => void;
  onRetried: () => void;
  onMediaLoad: () => void;
}) {
  const { t, label, formatTime } = useI18n();
  const parts = messageParts(message);
  const side = message.direction === 'inbound' ? 'in' : 'out';
  const who =
    message.author === 'customer'
      ? t.customer
      : message.author === 'bot'
        ? t.bot
        : message.author === 'system'
          ? t.system
          : (message.agent?.name ?? t.agent);
  const failed = message.direction === 'outbound' && message.deliveryStatus === 'failed';
  const quotable = canReply && canQuote(message);
  const viewOnce = parts.details?.viewOnce === true;
  const classes = [
    'message',
    side,
    `author-${message.author}`,
    `type-${message.type}`,
    failed && 'failed',
    parts.deletedAt && 'deleted',
    viewOnce && 'view-once-message',
  ].filter(Boolean);

  function onKeyDown(event: KeyboardEvent<HTMLLIElement>) {
    // `q` quotes the message the focus is in (the page's `q` quotes the newest one).
    if (event.key !== 'q' || event.ctrlKey || event.metaKey || event.altKey || !quotable) return;
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    event.preventDefault();
    onQuote(message);
  }

  return (
    <li
      className={classes.join(' ')}
      data-message-id={message.id}
      data-type={message.type}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      {!inAlbum && (
        <span className="who">
          <bdi>{who}</bdi>
        </span>
      )}
      {parts.deletedAt && <DeletedMarker deletedAt={parts.deletedAt} />}
      {parts.details?.forwarded && <ForwardedMarker />}
      {parts.quoted && <QuoteBlock quoted={parts.quoted} />}
      {viewOnce && <ViewOnceNote hasMedia={message.attachments.length > 0} />}
      {message.attachments.map((attachment) => (
        <AttachmentView key={attachment.id} attachment={attachment} onLoad={onMediaLoad} />
      ))}
      {parts.details && <MediaFacts type={message.type} details={parts.details} />}
      <MessageBody message={message} parts={parts} />
      {parts.details && <ChoiceReply details={parts.details} />}
      {parts.details?.interactive && <InteractiveReply interactive={parts.details.interactive} />}
      {parts.editedAt && <EditHistory editedAt={parts.editedAt} edits={parts.edits} />}
      {failed ? (
        <FailedNote message={message} ticketId={ticketId} canRetry={canReply} onRetried={onRetried} />
      ) : (
        message.error && (
          <p className="error small" dir="auto">
            {message.error}
          </p>
        )
      )}
      {parts.reactions.length > 0 && <Reactions reactions={parts.reactions} />}
      <span className="meta">
        {quotable && (
          <button
            type="button"
            className="link quote-action"
            data-action="quote"
            data-latest={latest ? 'true' : undefined}
            onClick={() => onQuote(message)}
          >
            {t.quoteReply}
          </button>
        )}
        <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
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

/** A contact card read from the older text form (vCards or `Name: +20…` lines). */
function textContacts(text: string | null): ContactPart[] {
  return parseContacts(text).map((card) => ({
    name: card.name,
    org: null,
    phones: card.phones.map((number) => ({ number, waId: null, type: null })),
    vcard: '',
  }));
}

/** A location read from the older text form `[name, address ](latitude, longitude)`. */
function textLocation(text: string | null): LocationPart | null {
  const parsed = parseLocation(text);
  return parsed
    ? {
        latitude: parsed.latitude,
        longitude: parsed.longitude,
        name: parsed.place,
        address: null,
        live: false,
        url: null,
      }
    : null;
}

/** The text, caption, or the card of a location, contact, poll or reaction message. */
function MessageBody({ message, parts }: { message: Message; parts: MessageParts }) {
  const { t } = useI18n();
  if (message.type === 'location') {
    const location = parts.location ?? textLocation(message.text);
    if (location) return <LocationCard location={location} />;
  }
  if (message.type === 'contact') {
    const cards = parts.contacts?.length ? parts.contacts : textContacts(message.text);
    if (cards.length > 0) return <ContactCards cards={cards} />;
  }
  if (message.type === 'poll') {
    const poll = parsePoll(message.text);
    if (poll) return <PollCard poll={poll} />;
  }
  if (message.type === 'reaction') {
    // A reaction stored as its own message (before reactions were linked to their message).
    return (
      <p className="reaction-marker">
        {message.text ? (
          <>
            {t.reacted} <span className="emoji">{message.text}</span>
          </>
        ) : (
          t.reactionRemoved
        )}
      </p>
    );
  }
  const body = message.text ?? message.caption;
  // A list or button reply's text is its title, shown by ChoiceReply.
  if (!body || body === choiceText(parts.details)) return null;
  return (
    <p className="text" dir="auto">
      {body}
    </p>
  );
}

/** Why a reply did not reach the customer, and "Retry". */
function FailedNote({
  message,
  ticketId,
  canRetry,
  onRetried,
}: {
  message: Message;
  ticketId: string;
  canRetry: boolean;
  onRetried: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function retry() {
    setBusy(true);
    setError(null);
    try {
      await api.retryMessage(ticketId, message.id);
      onRetried();
    } catch (caught) {
      setError(errorText(caught, i18n));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="failed-note" role="status">
      <p>
        <strong>{t.notDelivered}</strong>
        {message.error && (
          <>
            {' '}
            <span className="failure-detail muted small">
              ({t.reason}: <bdi dir="auto">{message.error}</bdi>)
            </span>
          </>
        )}
      </p>
      {canRetry && (
        <button type="button" data-action="retry" disabled={busy} onClick={() => void retry()}>
          {busy ? t.retrying : t.retry}
        </button>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
