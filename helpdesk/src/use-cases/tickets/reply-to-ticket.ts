/**
 * An agent replies to a ticket (text or media): checked against the ticket rules and the
 * customer-service window, stored as a queued outbound message, enqueued for the outbound worker
 * (which sends it through the driver), announced to the consoles.
 */
import { AppError } from '../../errors';
import type { Actor } from '../../domain/ticket-rules';
import type { StoredMedia } from '../../infra/storage';
import { enqueueOutbound } from '../../jobs/queues';
import { findMessageView, type MessageView } from '../../store/tickets-read';
import { findQuotableMessage } from '../../store/quotable-messages';
import { insertAgentReply, markReplyUnqueued, type NewAgentReply } from '../../store/tickets-reply';
import type { OutboundMediaType } from '../../whatsapp/driver';
import { checkCanReply } from './check-can-reply';
import { assertFreeFormReplyAllowed } from './free-form-reply';
import type { TicketActionDependencies } from './ticket-action-dependencies';

export interface ReplyInput {
  /** The message text, or the caption when media is attached. Up to 4096 characters. */
  text?: string | null;
  /** A file already saved to media storage (see MediaStorage.save). */
  media?: {
    stored: StoredMedia;
    /** The name the customer sees for a document. */
    filename: string | null;
    /** Send audio as a voice note (push-to-talk) instead of an audio file. */
    asVoice?: boolean;
  } | null;
  /**
   * A message of this ticket to quote (our id): the driver sends its provider id as the quote
   * (WPPConnect `replyTo`, Cloud API `context.message_id`) and the reply stores it as `quoted`.
   */
  replyTo?: string | null;
}

/** Longest quoted text stored with a reply, characters. */
const QUOTED_TEXT_MAX = 1024;

/**
 * The WhatsApp message type for a file: images, videos and audio as such (audio as a voice note
 * when asked), anything else, and SVG images, as a document.
 */
export function outboundTypeFor(mimeType: string, asVoice = false): OutboundMediaType {
  if (mimeType.startsWith('image/') && mimeType !== 'image/svg+xml') return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return asVoice ? 'voice' : 'audio';
  return 'document';
}

/**
 * Sends an agent's reply: stores it as a queued outbound message (author agent), records the
 * ticket's first response time on the first agent reply, and enqueues the send.
 * @returns the stored message (deliveryStatus `queued`; later `sent`, `delivered`, … or `failed`).
 * @throws AppError not_found, forbidden (not the assignee or an admin), conflict (resolved or
 *   closed ticket, or outside the customer-service window), validation_failed (neither text nor
 *   media), unavailable (queue unreachable: the message is marked failed).
 */
export async function replyToTicket(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  input: ReplyInput,
): Promise<MessageView> {
  const ticket = await checkCanReply(deps, actor, ticketId);
  const text = input.text?.trim() ? input.text : null;
  if (!text && !input.media)
    throw new AppError('validation_failed', 'text: write a message or attach a file');

  const quoted = input.replyTo ? await quotedMessage(deps, ticketId, input.replyTo) : null;
  const now = new Date();
  // The Cloud API refuses free-form messages 24 h after the customer's last one (error 131047):
  // refuse before sending, with the reason, rather than queue a message that must fail.
  assertFreeFormReplyAllowed({ provider: ticket.provider, lastInboundAt: ticket.lastInboundAt, now });
  const media = input.media;
  const messageId = await insertAgentReply(deps.pool, {
    ticketId,
    channel: ticket.channel,
    provider: ticket.provider,
    agentId: actor.id,
    type: media ? outboundTypeFor(media.stored.mimeType, media.asVoice) : 'text',
    text: media ? null : text,
    caption: media ? text : null,
    attachment: media
      ? {
          storageKey: media.stored.storageKey,
          mimeType: media.stored.mimeType,
          size: media.stored.size,
          sha256: media.stored.sha256,
          originalFilename: media.filename,
        }
      : null,
    at: now,
    quoted,
  });
  // Read before the send is enqueued: the answer shows the reply as stored (`queued`).
  const message = await findMessageView(deps.pool, messageId);
  if (!message) throw new AppError('not_found', `message: no message ${messageId}`);

  try {
    await enqueueOutbound(deps.queues, `agent-reply|${messageId}`, [messageId]);
  } catch (error) {
    deps.log.error({ err: error, messageId }, 'cannot enqueue an agent reply');
    await markReplyUnqueued(deps.pool, messageId, 'the send queue was unreachable');
    await deps.realtime.publishMessage(messageId);
    throw new AppError('unavailable', 'the reply could not be queued for sending; try again');
  }
  await deps.realtime.publishMessage(messageId);
  return message;
}

/**
 * The quote of a reply: the ticket's message `messageId`, which must have reached WhatsApp.
 * @throws AppError validation_failed naming `replyTo` when the ticket has no such message, or it was
 *   never sent (no provider id to quote).
 */
async function quotedMessage(
  deps: TicketActionDependencies,
  ticketId: string,
  messageId: string,
): Promise<NonNullable<NewAgentReply['quoted']>> {
  const message = await findQuotableMessage(deps.pool, ticketId, messageId);
  if (!message)
    throw new AppError('validation_failed', `replyTo: ${messageId} is not a message of this ticket`);
  if (!message.providerMessageId) {
    throw new AppError(
      'validation_failed',
      'replyTo: that message has not reached WhatsApp (queued or failed), so it cannot be quoted',
    );
  }
  return {
    messageId: message.id,
    providerMessageId: message.providerMessageId,
    snapshot: {
      providerMessageId: message.providerMessageId,
      participant: null,
      fromMe: message.direction === 'outbound',
      type: message.type,
      text: message.text ? [...message.text].slice(0, QUOTED_TEXT_MAX).join('') : null,
    },
  };
}
