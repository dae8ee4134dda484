/**
 * The sidecar's webhook events, shared by the sidecar (which emits them) and the helpdesk (which
 * validates them): zod schemas from which each side's types are inferred.
 * - vocabulary.ts: providers, message types, delivery states;
 * - field-limits.ts: the length of every field;
 * - inbound-message.ts, delivery-status.ts, webhook-event.ts: the accepting (lenient) schemas
 *   (webhook-event.ts also holds the `session` event: a session's state change);
 * - message-parts.ts: a message's quote, shared contacts, location and details (accepting);
 * - message-changes.ts: `edit`, `deletion` and `reaction` events (accepting);
 * - sidecar-event.ts: the exact form the sidecar emits, checked against the accepting schemas.
 */
export { deliveryStatusSchema } from './delivery-status';
export { FIELD_LIMITS, LOCATION_RANGE } from './field-limits';
export { cleanId, isoTimestamp, lenientText } from './fields';
export { inboundMediaSchema, inboundMessageSchema } from './inbound-message';
export {
  buttonReplySchema,
  contactPhoneSchema,
  interactiveReplySchema,
  listReplySchema,
  locationSchema,
  messageDetailsSchema,
  quotedMessageSchema,
  sharedContactSchema,
  sharedContactsSchema,
} from './message-parts';
export { messageDeletionSchema, messageEditSchema, messageReactionSchema } from './message-changes';
export {
  sidecarContactSchema,
  sidecarDeletionSchema,
  sidecarDeliveryStatusSchema,
  sidecarDetailsSchema,
  sidecarEditSchema,
  sidecarInboundMediaSchema,
  sidecarInboundMessageSchema,
  sidecarLocationSchema,
  sidecarQuotedSchema,
  sidecarReactionSchema,
  sidecarSessionEventSchema,
  sidecarWebhookEventSchema,
  type EmittedIsAccepted,
  type SidecarContact,
  type SidecarDeletion,
  type SidecarDeliveryStatus,
  type SidecarDetails,
  type SidecarEdit,
  type SidecarInboundMedia,
  type SidecarInboundMessage,
  type SidecarLocation,
  type SidecarQuoted,
  type SidecarReaction,
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
