/**
 * The words of the provider-neutral inbound event (SPEC section 6), shared by the sidecar that
 * emits it, the helpdesk that validates and stores it, and the Cloud API driver that builds it
 * from Meta's webhooks.
 */

/** Who delivered an event: the WPPConnect sidecar or Meta's Cloud API. */
export const PROVIDERS = ['wppconnect', 'cloud'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Kinds of inbound message; anything the provider sends that is none of these is `unknown`. */
export const MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'location',
  'contact',
  'interactive',
  'reaction',
  /** A poll the customer created (WhatsApp `poll_creation`): `text` holds the question and the options. */
  'poll',
  'unknown',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Types whose event carries `media` the helpdesk downloads and stores. */
export const MEDIA_TYPES: ReadonlySet<MessageType> = new Set<MessageType>([
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
]);

/** Delivery states of a message the account sent, in the order they normally happen. */
export const DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATUSES)[number];

/**
 * States of a channel's WhatsApp session (a sidecar session), in the order a pairing normally
 * passes through them: `qr` waits for a scan, `logged_out` must be paired again.
 */
export const CHANNEL_STATES = ['starting', 'qr', 'connected', 'disconnected', 'logged_out', 'error'] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];
