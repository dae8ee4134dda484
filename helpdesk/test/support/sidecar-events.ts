/**
 * Sidecar webhook bodies as wpp-sidecar forwards them (its `WebhookEvent`, contract module), built
 * without the rest of the harness: the benchmark's ack probe imports this alone, so the process
 * that times the webhooks loads no helpdesk code beside it.
 */
import type { InboundMessage } from '../../src/whatsapp/inbound-event';

let eventCounter = 0;

/** A sidecar webhook body for a text message, as wpp-sidecar forwards it. */
export function textEvent(
  phone: string | null,
  text: string,
  overrides: { id?: string; lid?: string | null; name?: string; channel?: string } = {},
): { eventId: string; type: 'message'; message: InboundMessage } {
  const id =
    overrides.id ?? `false_${phone?.slice(1) ?? 'lid'}@c.us_3EB0${Date.now().toString(16)}${++eventCounter}`;
  return {
    eventId: `wppconnect:${overrides.channel ?? 'pharmacy'}:${id}`,
    type: 'message' as const,
    message: {
      provider: 'wppconnect' as const,
      channel: overrides.channel ?? 'pharmacy',
      providerMessageId: id,
      timestamp: new Date().toISOString(),
      from: { phone, lid: overrides.lid ?? null, userId: null, name: overrides.name ?? 'Customer' },
      type: 'text' as const,
      text,
      caption: null,
      media: null,
      location: null,
      menuChoice: null,
      replyTo: null,
      quoted: null,
      contacts: null,
      details: null,
      raw: { id, body: text, type: 'chat' },
    },
  };
}

/** A PNG of one pixel (67 bytes). */
export const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A sidecar webhook body for a photo with no caption (`PIXEL_PNG`, image/png), its media to be
 * downloaded from `mediaUrl` (the stand-in sidecar's `/api/media/<mediaId>`).
 */
export function photoEvent(
  phone: string,
  mediaId: string,
  mediaUrl: string,
): { eventId: string; type: 'message'; message: InboundMessage } {
  const event = textEvent(phone, '');
  Object.assign(event.message, {
    type: 'image',
    text: null,
    caption: null,
    media: {
      id: mediaId,
      mimeType: 'image/png',
      filename: null,
      size: PIXEL_PNG.length,
      sha256: null,
      url: mediaUrl,
    },
  });
  return event;
}
