/**
 * The sidecar's webhook events, shared by the sidecar (which emits them) and the helpdesk (which
 * validates them): zod schemas from which each side's types are inferred.
 * - vocabulary.ts: providers, message types, delivery states;
 * - field-limits.ts: the length of every field;
 * - inbound-message.ts, delivery-status.ts, webhook-event.ts: the accepting (lenient) schemas
 *   (webhook-event.ts also holds the `session` event: a session's state change);
 * - sidecar-event.ts: the exact form the sidecar emits, checked against the accepting schemas.
 */
export { deliveryStatusSchema } from './delivery-status';
export { FIELD_LIMITS, LOCATION_RANGE } from './field-limits';
export { cleanId, isoTimestamp, lenientText } from './fields';
export { inboundMediaSchema, inboundMessageSchema } from './inbound-message';
export {
  sidecarDeliveryStatusSchema,
  sidecarInboundMediaSchema,
  sidecarInboundMessageSchema,
  sidecarLocationSchema,
  sidecarSessionEventSchema,
  sidecarWebhookEventSchema,
  type EmittedIsAccepted,
  type SidecarDeliveryStatus,
  type SidecarInboundMedia,
  type SidecarInboundMessage,
  type SidecarLocation,
  type SidecarSessionEvent,
  type SidecarWebhookEvent,
} from './sidecar-event';
export {
  CHANNEL_STATES,
  DELIVERY_STATUSES,
  MEDIA_TYPES,
  MESSAGE_TYPES,
  PROVIDERS,
  type ChannelState,
  type DeliveryState,
  type MessageType,
  type Provider,
} from './vocabulary';
export {
  eventIdSchema,
  sessionEventSchema,
  webhookEventSchema,
  webhookEventSchemaWith,
} from './webhook-event';
