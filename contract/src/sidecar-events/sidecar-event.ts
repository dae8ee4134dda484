/**
 * What the sidecar emits: the same events as the accepting schemas (inbound-message.ts,
 * delivery-status.ts, webhook-event.ts), in the exact form the sidecar builds them: provider
 * `wppconnect`, every field present (null when unknown), ids within FIELD_LIMITS, `raw` an object.
 * The sidecar's event types are inferred from these schemas, and `EmittedIsAccepted` below fails
 * to compile when the sidecar could emit something the helpdesk's schema does not take.
 */
import { z } from 'zod';
import { FIELD_LIMITS, LOCATION_RANGE } from './field-limits';
import { type webhookEventSchema, eventIdSchema } from './webhook-event';
import { CHANNEL_STATES, DELIVERY_STATUSES, MESSAGE_TYPES } from './vocabulary';

const id = (max: number) => z.string().min(1).max(max);

/** A media file the sidecar stored, offered at its `GET /api/media/:id`; `size` bytes, `sha256` lowercase hex. */
export const sidecarInboundMediaSchema = z.object({
  id: id(FIELD_LIMITS.mediaId),
  mimeType: z.string().min(1),
  filename: z.string().nullable(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  url: z.string(),
});
export type SidecarInboundMedia = z.infer<typeof sidecarInboundMediaSchema>;

export const sidecarLocationSchema = z.object({
  latitude: z.number().min(-LOCATION_RANGE.latitude).max(LOCATION_RANGE.latitude),
  longitude: z.number().min(-LOCATION_RANGE.longitude).max(LOCATION_RANGE.longitude),
  name: z.string().nullable(),
  address: z.string().nullable(),
});
export type SidecarLocation = z.infer<typeof sidecarLocationSchema>;

/** One inbound customer message as the sidecar normalises it; `timestamp` ISO 8601 UTC. */
export const sidecarInboundMessageSchema = z.object({
  provider: z.literal('wppconnect'),
  channel: id(FIELD_LIMITS.channel),
  providerMessageId: id(FIELD_LIMITS.providerMessageId),
  timestamp: z.iso.datetime(),
  from: z.object({
    phone: z.string().max(FIELD_LIMITS.phone).nullable(),
    lid: z.string().max(FIELD_LIMITS.lid).nullable(),
    userId: z.null(),
    name: z.string().nullable(),
  }),
  type: z.enum(MESSAGE_TYPES),
  text: z.string().nullable(),
  caption: z.string().nullable(),
  media: sidecarInboundMediaSchema.nullable(),
  location: sidecarLocationSchema.nullable(),
  menuChoice: z.string().nullable(),
  replyTo: z.string().nullable(),
  raw: z.record(z.string(), z.unknown()),
});
export type SidecarInboundMessage = z.infer<typeof sidecarInboundMessageSchema>;

/** Delivery status of a message the account sent; `error` names the ack (`ack_FAILED`, …) when failed. */
export const sidecarDeliveryStatusSchema = z.object({
  provider: z.literal('wppconnect'),
  channel: id(FIELD_LIMITS.channel),
  providerMessageId: id(FIELD_LIMITS.providerMessageId),
  status: z.enum(DELIVERY_STATUSES),
  error: z.string().nullable(),
  timestamp: z.iso.datetime(),
});
export type SidecarDeliveryStatus = z.infer<typeof sidecarDeliveryStatusSchema>;

/**
 * A session's state change, sent by the sidecar for each session (channel) on every change:
 * `phone` E.164 while connected, else null; `since` ISO 8601 UTC; `detail` the reason or null.
 */
export const sidecarSessionEventSchema = z.object({
  eventId: eventIdSchema,
  type: z.literal('session'),
  channel: id(FIELD_LIMITS.channel),
  state: z.enum(CHANNEL_STATES),
  phone: z.string().min(1).max(FIELD_LIMITS.phone).nullable(),
  since: z.iso.datetime(),
  detail: z.string().max(FIELD_LIMITS.sessionDetail).nullable(),
});
export type SidecarSessionEvent = z.infer<typeof sidecarSessionEventSchema>;

/** The webhook body the sidecar POSTs; `eventId` is stable across retries. */
export const sidecarWebhookEventSchema = z.discriminatedUnion('type', [
  z.object({ eventId: eventIdSchema, type: z.literal('message'), message: sidecarInboundMessageSchema }),
  z.object({ eventId: eventIdSchema, type: z.literal('status'), status: sidecarDeliveryStatusSchema }),
  sidecarSessionEventSchema,
]);
export type SidecarWebhookEvent = z.infer<typeof sidecarWebhookEventSchema>;

/** Compiles only while `Emitted` is a subtype of `Accepted`. */
type Accepts<Accepted, Emitted extends Accepted> = Emitted;
/** Proof, checked by `tsc`, that every event the sidecar may emit is accepted by the helpdesk. */
export type EmittedIsAccepted = Accepts<z.input<typeof webhookEventSchema>, SidecarWebhookEvent>;
