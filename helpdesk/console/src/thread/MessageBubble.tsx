/**
 * One WhatsApp message in the timeline: who sent it, its media (AttachmentView), its text or the
 * card its type calls for (location, contact, reaction), the time and, for outbound messages, the
 * delivery status. A failed outbound message says why and offers "Retry"; a customer's message
 * offers "Reply" (quotes it in the composer).
 */
import { useState } from 'react';
import { api, type Message } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { AttachmentView } from './media/AttachmentView';
import { ContactCards } from './media/ContactCard';
import { LocationCard } from './media/LocationCard';
import { parseContacts } from './media/parse-contact';
import { parseLocation } from './media/parse-location';

const DELIVERY_MARK: Record<string, string> = {
  queued: '◷',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '⚠',
};

/**
 * @param canReply the agent may reply (Retry and Reply are offered).
 * @param onQuote the agent chose to reply to this message.
 * @param onRetried the failed message was queued again (reload the thread).
 * @param onMediaLoad a photo or player got its size (the timeline keeps its scroll position).
 */
export function MessageBubble({
  message,
  ticketId,
  canReply,
  onQuote,
  onRetried,
  onMediaLoad,
}: {
  message: Message;
  ticketId: string;
  canReply: boolean;
  onQuote: (message: Message) => void;
  onRetried: () => void;
  onMediaLoad: () => void;
}) {
  const { t, label, formatTime } = useI18n();
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
  return (
    <li
      className={`message ${side} author-${message.author} type-${message.type}${failed ? ' failed' : ''}`}
      data-message-id={message.id}
      data-type={message.type}
    >
      <span className="who">
        <bdi>{who}</bdi>
      </span>
      {message.attachments.map((attachment) => (
        <AttachmentView key={attachment.id} attachment={attachment} onLoad={onMediaLoad} />
      ))}
      <MessageBody message={message} />
      {failed ? (
        <FailedNote message={message} ticketId={ticketId} canRetry={canReply} onRetried={onRetried} />
      ) : (
        message.error && (
          <p className="error small" dir="auto">
            {message.error}
          </p>
        )
      )}
      <span className="meta">
        {canReply && message.author === 'customer' && message.type !== 'reaction' && (
          <button
            type="button"
            className="link quote-action"
            data-action="quote"
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

/** The text, caption, or the card of a location, contact or reaction message. */
function MessageBody({ message }: { message: Message }) {
  const { t } = useI18n();
  if (message.type === 'location') {
    const location = parseLocation(message.text);
    if (location) return <LocationCard location={location} />;
  }
  if (message.type === 'contact') {
    const cards = parseContacts(message.text);
    if (cards.length > 0) return <ContactCards cards={cards} />;
  }
  if (message.type === 'reaction') {
    // The API does not say which message was reacted to: the emoji is shown on its own.
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
  if (!body) return null;
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
