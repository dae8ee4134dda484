/**
 * How long each field of a webhook event may be, in characters (JavaScript string length, UTF-16
 * code units, as zod counts). The helpdesk's schemas (inbound-message.ts, delivery-status.ts,
 * webhook-event.ts) apply them: ids longer than their limit are refused (shortening would change
 * them), free text is shortened. The sidecar shapes every event to them before it enters its
 * outbox, since a 400 from the helpdesk would dead-letter a real customer message.
 */
export const FIELD_LIMITS = {
  eventId: 512,
  channel: 128,
  providerMessageId: 256,
  phone: 32,
  lid: 128,
  userId: 256,
  name: 256,
  username: 256,
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
  note: 2048,
  statusError: 2048,
  statusErrorCode: 256,
  sessionDetail: 1024,
  /** The quoted message's text as the reply carries it (a preview, not the whole message). */
  quotedText: 1024,
  /** Cards in one contact share (`vcardList`); later cards are dropped. */
  contacts: 50,
  /** Phone numbers of one card; later ones are dropped. */
  contactPhones: 20,
  /** One card's vCard text, binaries (photos) already stripped. */
  vcard: 16_384,
  /** A reaction's emoji ('' = the reaction was removed). */
  emoji: 64,
  /** A media album's grouping id (WhatsApp's parent message key). */
  albumId: 512,
  /** A list row's or button's title, text or description. */
  replyText: 1024,
  /** Kind of an interactive reply (`nfm_reply`, `flow`, …). */
  interactiveKind: 64,
} as const;

/** Latitude and longitude ranges accepted, degrees (± the value). */
export const LOCATION_RANGE = { latitude: 90, longitude: 180 } as const;
