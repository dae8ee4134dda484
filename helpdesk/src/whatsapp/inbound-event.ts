/**
 * The provider-neutral inbound event (SPEC section 6): what every driver turns a provider's
 * webhook into, and what the inbound worker consumes. The schemas are the contract's
 * (`@whatsapp-helpdesk/contract/sidecar-events`, shared with the sidecar that emits them); the
 * helpdesk adds its own audit cleaning of `raw` (inbound-normalise.ts). They double as the
 * validation of the sidecar's webhook body (`POST /webhooks/wppconnect`).
 */
import { z } from 'zod';
import {
  DELIVERY_STATUSES,
  deliveryStatusSchema,
  inboundMediaSchema,
  inboundMessageSchema as acceptedMessageSchema,
  isoTimestamp,
  MEDIA_TYPES,
  MESSAGE_TYPES,
  messageDeletionSchema,
  messageEditSchema,
  messageReactionSchema,
  PROVIDERS,
  sessionEventSchema,
  type DeliveryState,
  type MessageType,
  type Provider,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import { cleanRaw, unreadableNote } from './inbound-normalise';

export {
  DELIVERY_STATUSES,
  deliveryStatusSchema,
  inboundMediaSchema,
  MEDIA_TYPES,
  MESSAGE_TYPES,
  messageDeletionSchema,
  messageEditSchema,
  messageReactionSchema,
  PROVIDERS,
  sessionEventSchema,
};
export type { MessageType, Provider };
export type ProviderDeliveryStatus = DeliveryState;

export type InboundMedia = z.infer<typeof inboundMediaSchema>;

/** The contract's message schema, its `raw` cleaned and capped for audit (inbound-normalise.ts). */
export const inboundMessageSchema = acceptedMessageSchema.extend({
  raw: z.unknown().transform(cleanRaw).optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/**
 * A message that failed the schema but names its id and sender, as an `unknown` message with a
 * note saying why, so the customer's message is kept rather than lost (issue 11, item 5).
 * @param input what could be read; strings are cleaned and checked again here.
 * @param reason why the message could not be read (becomes the note).
 * @returns the message, or null when even this cannot be built (no id, no sender, bad channel).
 */
export function unreadableMessage(
  input: {
    provider: Provider;
    channel: unknown;
    providerMessageId: unknown;
    /** An ISO 8601 date-time, or anything else for "now". */
    timestamp: unknown;
    from: { phone?: unknown; lid?: unknown; userId?: unknown; name?: unknown; username?: unknown };
    text?: unknown;
    raw: unknown;
  },
  reason: string,
): InboundMessage | null {
  const optional = (value: unknown) => (typeof value === 'string' ? value : null);
  const timestamp = isoTimestamp.safeParse(input.timestamp);
  const candidate = inboundMessageSchema.safeParse({
    provider: input.provider,
    channel: input.channel,
    providerMessageId: input.providerMessageId,
    timestamp: timestamp.success ? timestamp.data : new Date().toISOString(),
    from: {
      phone: optional(input.from.phone),
      lid: optional(input.from.lid),
      userId: optional(input.from.userId),
      name: optional(input.from.name),
      username: optional(input.from.username),
    },
    type: 'unknown',
    text: optional(input.text),
    caption: null,
    media: null,
    location: null,
    menuChoice: null,
    replyTo: null,
    note: unreadableNote(reason),
    raw: input.raw,
  });
  if (!candidate.success) return null;
  const from = candidate.data.from;
  return from.phone || from.lid || from.userId ? candidate.data : null;
}

export type DeliveryStatusEvent = z.infer<typeof deliveryStatusSchema>;

/**
 * A channel's session changed state (the sidecar's `session` event): `channel` the session name,
 * `state` starting|qr|connected|disconnected|logged_out|error, `phone` E.164 while connected,
 * `since` ISO 8601, `detail` why or null. Not a message: it never enters the inbound queue.
 */
export type ChannelStateEvent = z.infer<typeof sessionEventSchema>;

/**
 * The customer edited a message (WPPConnect's edit event, the Cloud API's `edit` message):
 * `providerMessageId` names the edited message, `text` its new text (a media message's new
 * caption), `timestamp` when it was edited (ISO 8601). The contract's schema (message-changes.ts).
 */
export type MessageEditEvent = z.infer<typeof messageEditSchema>;

/**
 * The customer deleted a message for everyone (WPPConnect's revoke, the Cloud API's `revoke`):
 * `providerMessageId` names the deleted message; what we stored of it is kept.
 */
export type MessageDeletionEvent = z.infer<typeof messageDeletionSchema>;

/**
 * The customer reacted to a message (ours or theirs): `emoji` '' means the reaction was removed;
 * `from` the reacting account (E.164 phone, lid, Cloud API user id).
 */
export type MessageReactionEvent = z.infer<typeof messageReactionSchema>;

/**
 * An event as it travels through the inbound queue. `requestId` is the id of the webhook request
 * that brought it (logged by the worker and passed on to the replies it sends). Edits, deletions
 * and reactions change a stored message (use-cases/messages/apply-*.ts); they name their
 * `provider` beside the event as statuses do (the queue's job id is made of it).
 */
export type InboundJob =
  | { kind: 'message'; eventId: string; message: InboundMessage; requestId?: string }
  | { kind: 'status'; eventId: string; provider: Provider; status: DeliveryStatusEvent; requestId?: string }
  | { kind: 'edit'; eventId: string; provider: Provider; edit: MessageEditEvent; requestId?: string }
  | {
      kind: 'deletion';
      eventId: string;
      provider: Provider;
      deletion: MessageDeletionEvent;
      requestId?: string;
    }
  | {
      kind: 'reaction';
      eventId: string;
      provider: Provider;
      reaction: MessageReactionEvent;
      requestId?: string;
    };

/** The jobs that change a stored message. */
export type MessageChangeJob = Extract<InboundJob, { kind: 'edit' | 'deletion' | 'reaction' }>;
