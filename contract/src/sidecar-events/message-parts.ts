/**
 * The parts of an inbound message beyond its text and media, as the helpdesk accepts them (whichever
 * provider sent them): the message it quotes, shared contacts, a location, and the details WhatsApp
 * adds (forwarded, view once, album, media duration and size, list and button replies, interactive
 * replies). Lenient like the rest of the accepting schemas (fields.ts): text is cleaned and shortened,
 * lists are cut, a malformed part becomes null instead of costing the message. The sidecar's stricter
 * emitted forms are in sidecar-event.ts.
 */
import { z } from 'zod';
import { cleanString, truncate } from '../normalise/text';
import { stripVcardBinaries } from '../normalise/vcard';
import { FIELD_LIMITS, LOCATION_RANGE } from './field-limits';
import { cleanId, lenientText } from './fields';
import { MESSAGE_TYPES, type MessageType } from './vocabulary';

/** Cleaned text shortened to `max`, null when missing or empty after cleaning. */
function optionalText(max: number) {
  return lenientText(max)
    .nullish()
    .transform((value) => (value ? value : null));
}

/** A finite number ≥ 0, else null (never refused). */
const optionalMeasure = z
  .number()
  .nullish()
  .catch(null)
  .transform((value) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null));

/** A message type; a word outside MESSAGE_TYPES is `unknown`. */
const lenientMessageType = z
  .string()
  .transform((value): MessageType =>
    (MESSAGE_TYPES as readonly string[]).includes(value) ? (value as MessageType) : 'unknown',
  );

/**
 * The message a reply quotes. `participant` is its author (E.164, or a `…@lid` id when the phone is
 * unknown), null when the quoted message is ours; `fromMe` the same from WhatsApp's side (null when
 * not said); `text` the quoted text or caption as the reply carries it (≤ FIELD_LIMITS.quotedText).
 * `replyTo` keeps carrying `providerMessageId`.
 */
export const quotedMessageSchema = z.object({
  providerMessageId: cleanId(FIELD_LIMITS.providerMessageId),
  participant: cleanId(FIELD_LIMITS.userId, 0)
    .nullish()
    .transform((value) => value || null),
  fromMe: z
    .boolean()
    .nullish()
    .catch(null)
    .transform((value) => value ?? null),
  type: lenientMessageType.nullish().transform((value) => value ?? null),
  text: optionalText(FIELD_LIMITS.quotedText),
});

/** One phone number of a shared contact: `number` as written in the card, `waId` its WhatsApp number (digits). */
export const contactPhoneSchema = z.object({
  number: lenientText(FIELD_LIMITS.phone * 2),
  waId: z
    .string()
    .nullish()
    .transform((value) => {
      const digits = (value ?? '').replace(/\D/g, '');
      return digits.length > 0 && digits.length <= FIELD_LIMITS.phone ? digits : null;
    }),
  /** The card's TYPE (`CELL`, `WORK`, …) or label, as written. */
  type: optionalText(FIELD_LIMITS.name),
});

/** One shared contact (a vCard): name (FN, else N), organisation, phone numbers, and the vCard text without binaries. */
export const sharedContactSchema = z.object({
  name: optionalText(FIELD_LIMITS.name),
  org: optionalText(FIELD_LIMITS.name),
  phones: z
    .array(contactPhoneSchema)
    .transform((phones) => phones.slice(0, FIELD_LIMITS.contactPhones))
    .nullish()
    .transform((phones) => phones ?? []),
  vcard: z
    .string()
    .transform((value) => truncate(cleanString(stripVcardBinaries(value)), FIELD_LIMITS.vcard)),
});

/** The cards of a contact share, at most FIELD_LIMITS.contacts; a malformed list becomes null. */
export const sharedContactsSchema = z
  .array(sharedContactSchema)
  .transform((cards) => cards.slice(0, FIELD_LIMITS.contacts))
  .nullish()
  .catch(null)
  .transform((cards) => cards ?? null);

/**
 * A location. `live` marks a live location (its coordinates are where it started); `url` a link the
 * customer shared with it (a place's page), else null. A location without both coordinates is null
 * (never 0,0): the sender adds a `note` saying so (the sidecar does; see SidecarInboundMessage).
 * Coordinates out of range are refused (the sender leaves them out).
 */
export const locationSchema = z
  .object({
    latitude: z.number().min(-LOCATION_RANGE.latitude).max(LOCATION_RANGE.latitude).nullish(),
    longitude: z.number().min(-LOCATION_RANGE.longitude).max(LOCATION_RANGE.longitude).nullish(),
    name: lenientText(FIELD_LIMITS.locationName).nullish(),
    address: lenientText(FIELD_LIMITS.locationAddress).nullish(),
    live: z.boolean().nullish().catch(null),
    url: z
      .string()
      .nullish()
      .transform((value) =>
        value && value.length <= FIELD_LIMITS.mediaUrl ? cleanString(value) || null : null,
      ),
  })
  .transform((location) =>
    typeof location.latitude === 'number' && typeof location.longitude === 'number'
      ? {
          latitude: location.latitude,
          longitude: location.longitude,
          name: location.name ?? null,
          address: location.address ?? null,
          live: location.live ?? false,
          url: location.url,
        }
      : null,
  );

/** The row the customer chose in a list message. */
export const listReplySchema = z.object({
  id: optionalText(FIELD_LIMITS.menuChoice),
  title: optionalText(FIELD_LIMITS.replyText),
  description: optionalText(FIELD_LIMITS.replyText),
});

/** The button the customer pressed. */
export const buttonReplySchema = z.object({
  id: optionalText(FIELD_LIMITS.menuChoice),
  text: optionalText(FIELD_LIMITS.replyText),
});

/** An interactive reply other than a list row or button (Cloud API `nfm_reply`, flows): `response` is the payload as sent. */
export const interactiveReplySchema = z.object({
  kind: lenientText(FIELD_LIMITS.interactiveKind),
  name: optionalText(FIELD_LIMITS.name),
  body: optionalText(FIELD_LIMITS.replyText),
  response: z.unknown().optional(),
});

/**
 * What WhatsApp says about a message beyond its content: `forwarded`; `viewOnce` (the media can be
 * opened once, on the phone: no download is offered); `albumId` groups the photos and videos of one
 * album; `durationSeconds` (audio, video), `width`/`height` (pixels), `pages` (documents); the
 * chosen list row and pressed button; other interactive replies. Null when nothing is known.
 */
export const messageDetailsSchema = z
  .object({
    forwarded: z
      .boolean()
      .nullish()
      .catch(null)
      .transform((value) => value ?? false),
    viewOnce: z
      .boolean()
      .nullish()
      .catch(null)
      .transform((value) => value ?? false),
    albumId: z
      .string()
      .nullish()
      .transform((value) =>
        value && value.length <= FIELD_LIMITS.albumId ? cleanString(value) || null : null,
      ),
    durationSeconds: optionalMeasure,
    width: optionalMeasure,
    height: optionalMeasure,
    pages: optionalMeasure,
    listReply: listReplySchema
      .nullish()
      .catch(null)
      .transform((value) => value ?? null),
    buttonReply: buttonReplySchema
      .nullish()
      .catch(null)
      .transform((value) => value ?? null),
    interactive: interactiveReplySchema
      .nullish()
      .catch(null)
      .transform((value) => value ?? null),
  })
  .nullish()
  .catch(null)
  .transform((details) => details ?? null);
