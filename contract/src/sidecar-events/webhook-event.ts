/**
 * The body the sidecar POSTs to the helpdesk (`POST /webhooks/wppconnect`, signed): an event id that
 * stays the same across retries, so both sides deduplicate, and one message, one delivery status or
 * one change of a session's state.
 */
import { z } from 'zod';
import { deliveryStatusSchema } from './delivery-status';
import { FIELD_LIMITS } from './field-limits';
import { cleanId, isoTimestamp, lenientText } from './fields';
import { inboundMessageSchema } from './inbound-message';
import { messageDeletionSchema, messageEditSchema, messageReactionSchema } from './message-changes';
import { CHANNEL_STATES } from './vocabulary';

/**
 * `wppconnect:<session>:<message id>`, `wppconnect:<session>:ack:<message id>:<ack>`,
 * `wppconnect:<session>:session:<since>:<state>`, `wppconnect:<session>:edit:<message id>:<unix ms>`,
 * `wppconnect:<session>:deletion:<message id>` or
 * `wppconnect:<session>:reaction:<message id>:<sender>:<unix ms>` (the message id is the one changed).
 */
export const eventIdSchema = z.string().min(1).max(FIELD_LIMITS.eventId);

/**
 * A sidecar session (one WhatsApp number, the channel) changed state: `phone` E.164 while
 * connected (else null), `since` when it entered the state (ISO 8601), `detail` why (the last
 * error, or null).
 */
export const sessionEventSchema = z.object({
  eventId: eventIdSchema,
  type: z.literal('session'),
  channel: cleanId(FIELD_LIMITS.channel),
  state: z.enum(CHANNEL_STATES),
  phone: cleanId(FIELD_LIMITS.phone, 0).nullable(),
  since: isoTimestamp,
  detail: lenientText(FIELD_LIMITS.sessionDetail).nullable(),
});

/**
 * The webhook body as accepted, around a given message schema (the helpdesk wraps
 * `inboundMessageSchema` to keep a message that fails it as an `unknown` one).
 * @param message the schema of a `message` event's `message`.
 * @returns a zod schema discriminated on `type`: `message`, `status`, `session`, `edit` (the customer
 *   edited a message), `deletion` (deleted it for everyone) or `reaction` (message-changes.ts).
 */
export function webhookEventSchemaWith<Message extends z.ZodType>(message: Message) {
  return z.discriminatedUnion('type', [
    z.object({ eventId: eventIdSchema, type: z.literal('message'), message }),
    z.object({ eventId: eventIdSchema, type: z.literal('status'), status: deliveryStatusSchema }),
    sessionEventSchema,
    z.object({ eventId: eventIdSchema, type: z.literal('edit'), edit: messageEditSchema }),
    z.object({ eventId: eventIdSchema, type: z.literal('deletion'), deletion: messageDeletionSchema }),
    z.object({ eventId: eventIdSchema, type: z.literal('reaction'), reaction: messageReactionSchema }),
  ]);
}

/** The webhook body as accepted, its message checked by `inboundMessageSchema` alone. */
export const webhookEventSchema = webhookEventSchemaWith(inboundMessageSchema);
