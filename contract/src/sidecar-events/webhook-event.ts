/**
 * The body the sidecar POSTs to the helpdesk (`POST /webhooks/wppconnect`, signed): an event id that
 * stays the same across retries, so both sides deduplicate, and one message or one delivery status.
 */
import { z } from 'zod';
import { deliveryStatusSchema } from './delivery-status';
import { FIELD_LIMITS } from './field-limits';
import { inboundMessageSchema } from './inbound-message';

/** `wppconnect:<session>:<message id>` or `wppconnect:<session>:ack:<message id>:<ack>`. */
export const eventIdSchema = z.string().min(1).max(FIELD_LIMITS.eventId);

/**
 * The webhook body as accepted, around a given message schema (the helpdesk wraps
 * `inboundMessageSchema` to keep a message that fails it as an `unknown` one).
 * @param message the schema of a `message` event's `message`.
 * @returns a zod schema discriminated on `type`: `message` or `status`.
 */
export function webhookEventSchemaWith<Message extends z.ZodType>(message: Message) {
  return z.discriminatedUnion('type', [
    z.object({ eventId: eventIdSchema, type: z.literal('message'), message }),
    z.object({ eventId: eventIdSchema, type: z.literal('status'), status: deliveryStatusSchema }),
  ]);
}

/** The webhook body as accepted, its message checked by `inboundMessageSchema` alone. */
export const webhookEventSchema = webhookEventSchemaWith(inboundMessageSchema);
