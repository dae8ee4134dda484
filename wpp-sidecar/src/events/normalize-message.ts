/**
 * WPPConnect message -> provider-neutral inbound message (pure: no I/O; lid resolution and media storage
 * happen before and are passed in).
 *
 * Every field is shaped to what the helpdesk accepts (the contract's FIELD_LIMITS), so a real message is
 * never refused for being long or odd: strings lose NUL characters, long ones are cut (the original
 * lengths are noted in `raw.sidecarTruncated`), vCard photos are dropped, out-of-range coordinates and
 * dates are left out, and `raw` is a bounded, JSON-safe copy (sanitize.ts). Size as a whole is fitted
 * later (fit-event.ts). The result's type is the contract's `SidecarInboundMessage`.
 *
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/message.d.ts (`Message`)
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/enum/message-type.d.ts (`MessageType`)
 */
import {
  FIELD_LIMITS,
  LOCATION_RANGE,
  type MessageType,
  type SidecarInboundMedia,
  type SidecarInboundMessage,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import {
  cleanString,
  stripVcardBinaries,
  truncate,
  truncateFilename,
} from '@whatsapp-helpdesk/contract/normalise';
import { fitId, sanitizeRaw } from './sanitize';
import type { WppMessage } from './wpp-types';

const TYPE_MAP: Record<string, MessageType> = {
  chat: 'text',
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'voice',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contact',
  multi_vcard: 'contact',
  list_response: 'interactive',
  buttons_response: 'interactive',
  template_button_reply: 'interactive',
  reaction: 'reaction',
};

/** Media-bearing WPPConnect types (their `body` is a base64 thumbnail, not text). */
export const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'ptt', 'document', 'sticker']);

/** `body` strings longer than this are replaced in `raw` (base64 thumbnails/media). Characters. */
const RAW_BODY_LIMIT = 4096;

/**
 * @param wppType - WPPConnect `MessageType` string.
 * @returns the neutral type; anything unmapped becomes `unknown` (never dropped).
 */
export function mapMessageType(wppType: string): MessageType {
  return TYPE_MAP[wppType] ?? 'unknown';
}

/** Sender id of a message: `author` in groups, else `from` (`…@c.us` or `…@lid`). */
export function senderId(message: WppMessage): string {
  if (
    (message.isGroupMsg === true || message.from?.endsWith('@g.us')) &&
    typeof message.author === 'string'
  ) {
    return message.author;
  }
  return message.from;
}

/** Chat id used to keep per-chat order: `chatId` when serialized, else `from`. */
export function chatKey(message: WppMessage): string {
  const chatId = message.chatId;
  if (typeof chatId === 'string' && chatId) return chatId;
  if (chatId && typeof chatId === 'object' && typeof chatId._serialized === 'string')
    return chatId._serialized;
  return message.from;
}

/** A non-empty string, cleaned of NUL and lone surrogates (`cleanString`), or null. */
function str(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  const cleaned = cleanString(value);
  return cleaned.length > 0 ? cleaned : null;
}

/**
 * The caption the customer typed, or null. When nothing was typed WhatsApp Web fills `caption` with the
 * file's name and sets `isCaptionByUser: false` (wa-js `sendFileMessage`: `caption: options.caption ||
 * filename, isCaptionByUser: options.caption != null`), so only a caption not marked `false` is one.
 * @see node_modules/@wppconnect/wa-js/dist/whatsapp/models/MsgModel.d.ts (`isCaptionByUser`)
 */
export function userCaptionOf(message: WppMessage): string | null {
  if (message.isCaptionByUser === false) return null;
  return str(message.caption);
}

/**
 * A document's file name: `filename`, or, when only the caption WhatsApp filled in carries it
 * (`isCaptionByUser: false`), that caption. Null for other media and when neither is there.
 */
export function mediaFilenameOf(message: WppMessage): string | null {
  const filename = str(message.filename);
  if (filename !== null) return filename;
  return message.type === 'document' && message.isCaptionByUser === false ? str(message.caption) : null;
}

/** Latest instant the helpdesk's ISO 8601 check accepts (year 9999), in milliseconds. */
const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

function menuChoiceOf(message: WppMessage): string | null {
  const listResponse = message.listResponse as
    { singleSelectReply?: { selectedRowId?: unknown } } | undefined;
  return (
    str(listResponse?.singleSelectReply?.selectedRowId) ??
    str(message.selectedRowId) ??
    str(message.selectedButtonId) ??
    str(message.selectedId) ??
    null
  );
}

function contactText(message: WppMessage): string | null {
  if (message.type === 'multi_vcard' && Array.isArray(message.vcardList)) {
    const cards = (message.vcardList as Array<{ vcard?: unknown } | null>)
      .map((c) => str(c?.vcard))
      .filter((card): card is string => card !== null)
      .map(stripVcardBinaries);
    if (cards.length) return cards.join('\n');
  }
  const single = str(message.body) ?? str(message.content);
  return single === null ? null : stripVcardBinaries(single);
}

function locationOf(message: WppMessage): SidecarInboundMessage['location'] {
  const lat = typeof message.lat === 'number' ? message.lat : Number(message.lat);
  const lng = typeof message.lng === 'number' ? message.lng : Number(message.lng);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  // Out of range: no location rather than an event the helpdesk refuses (raw keeps the values).
  if (Math.abs(lat) > LOCATION_RANGE.latitude || Math.abs(lng) > LOCATION_RANGE.longitude) return null;
  const [name, ...rest] = (str(message.loc) ?? '').split('\n');
  return {
    latitude: lat,
    longitude: lng,
    name: str(name) ?? str(message.locationName),
    address: str(rest.join('\n')) ?? str(message.locationAddress) ?? str(message.address),
  };
}

function timestampOf(message: WppMessage, now: Date): string {
  const seconds = typeof message.t === 'number' ? message.t : message.timestamp;
  return typeof seconds === 'number' && seconds > 0 && seconds * 1000 <= MAX_TIMESTAMP_MS
    ? new Date(seconds * 1000).toISOString()
    : now.toISOString();
}

/**
 * Copy of the WPPConnect object for audit: a media message's base64 `body`/`content` and any longer than
 * 4096 characters (the text is in `text`) replaced by a note, then bounded by `sanitizeRaw` (no NUL,
 * no thumbnails or photos, strings and nesting capped).
 * @param note - extra fields to attach (e.g. `{ sidecarMediaError }`).
 */
export function rawForAudit(
  message: WppMessage,
  note: Record<string, unknown> = {},
): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...message };
  for (const key of ['body', 'content'] as const) {
    const original = raw[key];
    if (typeof original !== 'string') continue;
    const value = original.includes('BEGIN:VCARD') ? stripVcardBinaries(original) : original;
    raw[key] =
      value.length > RAW_BODY_LIMIT || MEDIA_TYPES.has(message.type)
        ? `[stripped ${original.length} characters]`
        : value;
  }
  return sanitizeRaw({ ...raw, ...note }) as Record<string, unknown>;
}

/** Inputs resolved before normalising. */
export interface NormalizeContext {
  channel: string;
  /** Sender's E.164 phone, or null when unknown (an unresolved lid). */
  phone: string | null;
  /** Sender's `…@lid` id, or null. */
  lid: string | null;
  /** Stored media, or null (no media, or download failed). */
  media: SidecarInboundMedia | null;
  /** Extra `raw` fields, e.g. `{ sidecarMediaError: "…" }`. */
  rawNote?: Record<string, unknown>;
  now?: Date;
}

/**
 * @param message - the object `client.onMessage` delivered.
 * @param ctx - resolved sender identity, stored media, channel.
 * @returns the inbound message of SPEC section 6. Pure, never throws.
 */
export function toInboundMessage(message: WppMessage, ctx: NormalizeContext): SidecarInboundMessage {
  const type = mapMessageType(message.type);
  const isMedia = MEDIA_TYPES.has(message.type);
  /** Original lengths of the fields cut to the helpdesk's limits (noted in raw). */
  const cut: Record<string, number> = {};
  const fit = (field: string, value: string | null, max: number): string | null => {
    if (value === null || value.length <= max) return value;
    cut[field] = value.length;
    return truncate(value, max);
  };
  let text: string | null = null;
  if (type === 'text' || type === 'interactive' || type === 'reaction') text = str(message.body);
  else if (type === 'contact') text = contactText(message);
  else if (type === 'unknown' && typeof message.body === 'string' && message.body.length <= RAW_BODY_LIMIT) {
    text = str(message.body);
  }
  const location = type === 'location' ? locationOf(message) : null;
  const media = ctx.media ? fitMedia(ctx.media, cut) : null;
  const name = str(message.notifyName) ?? str(message.sender?.pushname) ?? str(message.sender?.name) ?? null;
  const lid = ctx.lid === null ? null : fitId(cleanString(ctx.lid), FIELD_LIMITS.lid);
  const replyTo = str(message.quotedMsgId);
  const inbound: SidecarInboundMessage = {
    provider: 'wppconnect',
    channel: ctx.channel,
    providerMessageId: messageIdOf(message),
    timestamp: timestampOf(message, ctx.now ?? new Date()),
    from: {
      phone: ctx.phone !== null && ctx.phone.length <= FIELD_LIMITS.phone ? ctx.phone : null,
      lid,
      userId: null,
      name: fit('from.name', name, FIELD_LIMITS.name),
    },
    type,
    text: fit('text', text, FIELD_LIMITS.text),
    caption:
      isMedia || type === 'location' ? fit('caption', userCaptionOf(message), FIELD_LIMITS.caption) : null,
    media,
    location: location && {
      ...location,
      name: fit('location.name', location.name, FIELD_LIMITS.locationName),
      address: fit('location.address', location.address, FIELD_LIMITS.locationAddress),
    },
    menuChoice:
      type === 'interactive' ? fit('menuChoice', menuChoiceOf(message), FIELD_LIMITS.menuChoice) : null,
    replyTo: replyTo === null ? null : fitId(replyTo, FIELD_LIMITS.replyTo),
    raw: {},
  };
  const truncated = Object.keys(cut).length > 0 ? { sidecarTruncated: cut } : {};
  inbound.raw = rawForAudit(message, { ...ctx.rawNote, ...truncated });
  return inbound;
}

/**
 * The message id as the helpdesk gets it (`providerMessageId`, and in the event id): cleaned, and fitted
 * to 256 characters by `fitId` (stable, so redeliveries still dedupe).
 */
export function messageIdOf(message: WppMessage): string {
  return fitId(cleanString(message.id), FIELD_LIMITS.providerMessageId);
}

/** Media with its filename (keeping the extension) and MIME type cut to the helpdesk's limits. */
function fitMedia(media: SidecarInboundMedia, cut: Record<string, number>): SidecarInboundMedia {
  let filename = media.filename === null ? null : cleanString(media.filename) || null;
  if (filename !== null && filename.length > FIELD_LIMITS.filename) {
    cut['media.filename'] = filename.length;
    filename = truncateFilename(filename, FIELD_LIMITS.filename);
  }
  const mimeType = truncate(cleanString(media.mimeType), FIELD_LIMITS.mimeType) || 'application/octet-stream';
  return { ...media, filename, mimeType };
}
