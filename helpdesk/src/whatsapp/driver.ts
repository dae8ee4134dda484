/**
 * The WhatsApp driver contract: everything the helpdesk needs from a provider, and nothing above
 * this interface knows which provider is in use (SPEC section 5, "Provider-agnostic driver").
 *
 * A driver covers:
 * - inbound: verifying a webhook request's authenticity and parsing its body into
 *   provider-neutral inbound jobs (messages and delivery statuses, SPEC section 6);
 * - outbound: sending text, media, message templates and the service menu to a customer, answering with the
 *   provider's message id;
 * - media: fetching the bytes of an inbound media item;
 * - status: the connection's state;
 * - phone numbers: normalising what the provider calls a phone into E.164.
 *
 * Every call names the channel: the ticket's (or inbound message's) `channel`, i.e. the WhatsApp
 * number the customer wrote to (the sidecar session's name, the Cloud API's phone number id). A
 * reply goes out from that number and an inbound media item is fetched through it, so a customer
 * who writes to a second number is answered from the second number.
 *
 * It leaves out queueing, retries and storage: the workers do those. Sends throw `ProviderError`
 * whose `retryable` tells the outbound worker whether to try again.
 *
 * Implementations: `drivers/wppconnect.ts` (the wpp-sidecar), `drivers/cloud-api.ts` (Meta's Cloud
 * API, its own issue). `index.ts` picks one by configuration.
 */
import type { Readable } from 'node:stream';
import type { Menu } from '../domain/menu';
import type { ChannelStateEvent, InboundJob, InboundMedia, Provider } from './inbound-event';

/** Whom to send to: the customer's known identities; drivers pick the one they can address. */
export interface Recipient {
  /** E.164, e.g. +201001234567. */
  phone: string | null;
  /** WhatsApp linked id, e.g. 123456789012345@lid. */
  lid: string | null;
  /** Cloud API business-scoped user id. */
  userId: string | null;
}

export type OutboundMediaType = 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker';

export interface OutboundMedia {
  type: OutboundMediaType;
  /** Absolute path of the file to send. */
  path: string;
  mimeType: string;
  filename?: string | null;
  caption?: string | null;
}

/**
 * A WhatsApp message template to send (issue 17; Meta, "Send message templates"): the Cloud API
 * sends it as `type: "template"`; WPPConnect, which has no template rule, sends `text`.
 */
export interface OutboundTemplate {
  name: string;
  /** Meta language code, e.g. en_US. */
  language: string;
  /** The send's `components`: header and body text parameters (none when no variables). */
  components: Array<{
    type: 'header' | 'body';
    parameters: Array<{ type: 'text'; text: string; parameter_name?: string }>;
  }>;
  /** The template with its variables filled (header, body, footer): the preview and WPPConnect's text. */
  text: string;
}

export interface SendOptions {
  /** Provider message id of the message being replied to (quoted). */
  replyTo?: string | null;
  /** The id of the request behind this send, for the provider's logs (the sidecar's X-Request-Id). */
  requestId?: string;
}

export interface SendResult {
  /** The provider's id of the sent message (WPPConnect's serialized id, the Cloud API's wamid). */
  providerMessageId: string;
}

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received, for signature checks. */
  rawBody: Buffer;
}

export interface ParsedWebhook {
  jobs: InboundJob[];
  /** Parts of the payload that could not be read, each with a reason (logged, not retried). */
  rejected: Array<{ reason: string }>;
  /** Channel state changes (the sidecar's `session` events): handled at once, never queued. */
  channelStates?: ChannelStateEvent[];
}

export interface DownloadedMedia {
  stream: Readable;
  mimeType: string;
}

export type ConnectionState =
  'starting' | 'qr' | 'connected' | 'disconnected' | 'logged_out' | 'error' | 'unknown';

export interface ConnectionStatus {
  provider: Provider;
  channel: string;
  state: ConnectionState;
  /** E.164 of the connected WhatsApp number, when known. */
  phone: string | null;
  detail?: string;
}

export interface WhatsAppDriver {
  readonly provider: Provider;

  /**
   * Checks a webhook request is authentic (signature, timestamp).
   * @throws AppError unauthorized when it is not.
   */
  verifyWebhook(request: WebhookRequest): void;

  /**
   * Reads an authentic webhook body (already JSON-parsed).
   * @throws AppError validation_failed (400) naming the field when the body as a whole is unusable.
   */
  parseWebhook(body: unknown): ParsedWebhook;

  /** Sends a text message. @throws ProviderError */
  sendText(channel: string, to: Recipient, text: string, options?: SendOptions): Promise<SendResult>;

  /** Sends an image, video, audio, voice note, document or sticker. @throws ProviderError */
  sendMedia(channel: string, to: Recipient, media: OutboundMedia, options?: SendOptions): Promise<SendResult>;

  /**
   * Sends a message template (Cloud API: a template message, allowed outside the 24-hour window;
   * WPPConnect: its rendered text). @throws ProviderError
   */
  sendTemplate(
    channel: string,
    to: Recipient,
    template: OutboundTemplate,
    options?: SendOptions,
  ): Promise<SendResult>;

  /** Sends the service menu, rendered the provider's way. @throws ProviderError */
  sendMenu(channel: string, to: Recipient, menu: Menu, options?: SendOptions): Promise<SendResult>;

  /**
   * Fetches an inbound media item's bytes, only from the provider's own media location (never
   * sending a credential to a host a webhook names).
   * @throws ProviderError: not retryable when the media is gone, its URL is refused or it redirects.
   */
  downloadMedia(channel: string, media: InboundMedia): Promise<DownloadedMedia>;

  /** The connection's state; never throws (an unreachable provider is reported as a state). */
  getStatus(channel: string): Promise<ConnectionStatus>;

  /** A provider's phone (jid, wa_id, E.164 or national) as E.164, or null when not a phone. */
  normalisePhone(input: string | null | undefined): string | null;
}
