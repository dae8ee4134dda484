/**
 * The provider-neutral inbound message as the helpdesk accepts it (SPEC section 6): the body of a
 * sidecar `message` event, and what the Cloud API driver builds from Meta's webhook. Lenient on
 * purpose (fields.ts): text is cleaned and shortened, optional fields may be missing or null. What
 * the sidecar emits is the stricter `sidecarInboundMessageSchema` (sidecar-event.ts).
 */
import { z } from 'zod';
import { cleanString, truncateFilename } from '../normalise/text';
import { FIELD_LIMITS } from './field-limits';
import { cleanId, isoTimestamp, lenientText } from './fields';
import {
  locationSchema,
  messageDetailsSchema,
  quotedMessageSchema,
  sharedContactsSchema,
} from './message-parts';
import { MESSAGE_TYPES, PROVIDERS } from './vocabulary';

/** A media file offered for download; `size` in bytes, `sha256` hex. */
export const inboundMediaSchema = z.object({
  id: cleanId(FIELD_LIMITS.mediaId),
  mimeType: lenientText(FIELD_LIMITS.mimeType).pipe(z.string().min(1)),
  filename: z
    .string()
    .transform((value) => truncateFilename(cleanString(value), FIELD_LIMITS.filename))
    .nullish(),
  size: z.number().int().nonnegative().nullish(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters')
    .nullish(),
  /** Where the helpdesk fetches the bytes (the sidecar's GET /api/media/:id, or a Cloud API media id URL). */
  url: z
    .string()
    .transform((value) => (value.length > FIELD_LIMITS.mediaUrl ? null : cleanString(value)))
    .nullish(),
});

/** One inbound customer message. `raw` is the provider's payload, any JSON (the helpdesk cleans it). */
export const inboundMessageSchema = z.object({
  provider: z.enum(PROVIDERS),
  /** The sidecar's session name, or the Cloud API phone number id. */
  channel: cleanId(FIELD_LIMITS.channel),
  providerMessageId: cleanId(FIELD_LIMITS.providerMessageId),
  timestamp: isoTimestamp,
  from: z.object({
    /** E.164 when known; checked again by the helpdesk with libphonenumber-js. */
    phone: cleanId(FIELD_LIMITS.phone, 0).nullable(),
    lid: cleanId(FIELD_LIMITS.lid, 0).nullable(),
    userId: cleanId(FIELD_LIMITS.userId, 0).nullable().default(null),
    name: lenientText(FIELD_LIMITS.name).nullish(),
    username: lenientText(FIELD_LIMITS.username).nullish(),
  }),
  type: z.enum(MESSAGE_TYPES),
  text: lenientText(FIELD_LIMITS.text).nullish(),
  caption: lenientText(FIELD_LIMITS.caption).nullish(),
  media: inboundMediaSchema.nullish(),
  /** Null when the provider sent no coordinates (never 0,0); see `locationSchema`. */
  location: locationSchema.nullish(),
  /** Id of the chosen row or button of an interactive reply. */
  menuChoice: lenientText(FIELD_LIMITS.menuChoice).nullish(),
  /** The quoted provider message id (dropped when too long to be one). */
  replyTo: z
    .string()
    .transform((value) => (value.length > FIELD_LIMITS.replyTo ? null : cleanString(value)))
    .nullish(),
  /** The message this one replies to (a malformed quote becomes null, the message is kept). */
  quoted: quotedMessageSchema.nullish().catch(null),
  /** The cards of a contact share (type `contact`), parsed; the vCards stay in `text` as well. */
  contacts: sharedContactsSchema,
  /** Forwarded, view once, album, media measures, list/button/interactive replies (message-parts.ts). */
  details: messageDetailsSchema,
  /** Why the message could not be read in full (stored in the message's `error`, shown to agents). */
  note: lenientText(FIELD_LIMITS.note).nullish(),
  /** The provider's original payload, kept for audit. */
  raw: z.unknown().optional(),
});
