/**
 * The provider-neutral event contract shared with the helpdesk (SPEC section 6). The helpdesk validates
 * these shapes with zod: change them only together with `helpdesk/`.
 */

export type InboundType =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'voice'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'interactive'
  | 'reaction'
  | 'unknown';

/** A stored media file as offered to the helpdesk. `size` in bytes, `sha256` lowercase hex. */
export interface InboundMedia {
  id: string;
  mimeType: string;
  filename: string | null;
  size: number;
  sha256: string;
  url: string;
}

export interface InboundLocation {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
}

/** One inbound customer message, normalised. */
export interface InboundMessage {
  provider: 'wppconnect';
  channel: string;
  providerMessageId: string;
  /** ISO 8601 UTC. */
  timestamp: string;
  from: { phone: string | null; lid: string | null; userId: null; name: string | null };
  type: InboundType;
  text: string | null;
  caption: string | null;
  media: InboundMedia | null;
  location: InboundLocation | null;
  menuChoice: string | null;
  replyTo: string | null;
  raw: Record<string, unknown>;
}

export type DeliveryState = 'sent' | 'delivered' | 'read' | 'failed';

/** Delivery status of a message the account sent. */
export interface DeliveryStatus {
  provider: 'wppconnect';
  channel: string;
  providerMessageId: string;
  status: DeliveryState;
  error: string | null;
  /** ISO 8601 UTC. */
  timestamp: string;
}

/** The webhook body POSTed to the helpdesk. `eventId` is stable across retries. */
export type WebhookEvent =
  | { eventId: string; type: 'message'; message: InboundMessage }
  | { eventId: string; type: 'status'; status: DeliveryStatus };
