/**
 * What the helpdesk accepts on `POST /webhooks/wppconnect`, so the sidecar can shape every event to fit
 * before it enters the outbox (a 400 or 413 from the helpdesk would dead-letter a real customer message).
 *
 * Sources, to keep in step with:
 * - field lengths: `helpdesk/src/whatsapp/inbound-event.ts` (`inboundMessageSchema`, `inboundMediaSchema`,
 *   `deliveryStatusSchema`) and `eventId` in `helpdesk/src/whatsapp/drivers/wppconnect.ts`
 *   (`sidecarWebhookSchema`). Lengths are JavaScript string lengths (UTF-16 code units), as zod counts.
 * - body size: the helpdesk's `WEBHOOK_MAX_BYTES` (default 1048576 bytes, `helpdesk/src/config.ts`); the
 *   sidecar reads the same variable (config.ts), this is only its default.
 */

/** Longest value of each event field, in characters (zod `.max()` in the helpdesk's schema). */
export const FIELD_LIMITS = {
  eventId: 512,
  channel: 128,
  providerMessageId: 256,
  phone: 32,
  lid: 128,
  name: 256,
  text: 65_536,
  caption: 65_536,
  mediaId: 512,
  mimeType: 255,
  filename: 255,
  mediaUrl: 2048,
  locationName: 1024,
  locationAddress: 1024,
  menuChoice: 256,
  replyTo: 256,
  statusError: 2048,
} as const;

/** Latitude and longitude ranges the helpdesk accepts (degrees). */
export const LOCATION_RANGE = { latitude: 90, longitude: 180 } as const;

/** The helpdesk's default WEBHOOK_MAX_BYTES: largest webhook body, in bytes. */
export const DEFAULT_WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * Sidecar-side caps on `raw` (the audit copy of WPPConnect's object; the helpdesk accepts any JSON there
 * but stores it in PostgreSQL jsonb and queues it through BullMQ, which fail on very deep nesting).
 */
export const RAW_LIMITS = {
  /** Objects/arrays deeper than this are replaced by a marker string. */
  maxDepth: 32,
  /** Longer strings are cut (characters). */
  maxString: 4096,
  /** Longer arrays keep their first items and a marker (items). */
  maxArray: 256,
} as const;
