/**
 * WPPConnect message -> provider-neutral inbound message (pure: no I/O; lid resolution and media storage
 * happen before and are passed in).
 *
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/message.d.ts (`Message`)
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/enum/message-type.d.ts (`MessageType`)
 */
import type { WppMessage } from '../session/wpp-types';
import type { InboundMedia, InboundMessage, InboundType } from './types';

const TYPE_MAP: Record<string, InboundType> = {
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
export function mapMessageType(wppType: string): InboundType {
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

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

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
    const cards = (message.vcardList as Array<{ vcard?: unknown }>).map((c) => str(c.vcard)).filter(Boolean);
    if (cards.length) return cards.join('\n');
  }
  return str(message.body) ?? str(message.content);
}

function locationOf(message: WppMessage): InboundMessage['location'] {
  const lat = typeof message.lat === 'number' ? message.lat : Number(message.lat);
  const lng = typeof message.lng === 'number' ? message.lng : Number(message.lng);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
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
  return typeof seconds === 'number' && seconds > 0
    ? new Date(seconds * 1000).toISOString()
    : now.toISOString();
}

/**
 * Copy of the WPPConnect object for audit, with a huge base64 `body`/`content` replaced by a note.
 * @param note - extra fields to attach (e.g. `{ sidecarMediaError }`).
 */
export function rawForAudit(
  message: WppMessage,
  note: Record<string, unknown> = {},
): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...message };
  for (const key of ['body', 'content'] as const) {
    const value = raw[key];
    if (typeof value === 'string' && (value.length > RAW_BODY_LIMIT || MEDIA_TYPES.has(message.type))) {
      raw[key] = `[stripped ${value.length} characters]`;
    }
  }
  return { ...raw, ...note };
}

/** Inputs resolved before normalising. */
export interface NormalizeContext {
  channel: string;
  /** Sender's E.164 phone, or null when unknown (an unresolved lid). */
  phone: string | null;
  /** Sender's `…@lid` id, or null. */
  lid: string | null;
  /** Stored media, or null (no media, or download failed). */
  media: InboundMedia | null;
  /** Extra `raw` fields, e.g. `{ sidecarMediaError: "…" }`. */
  rawNote?: Record<string, unknown>;
  now?: Date;
}

/**
 * @param message - the object `client.onMessage` delivered.
 * @param ctx - resolved sender identity, stored media, channel.
 * @returns the inbound message of SPEC section 6. Pure, never throws.
 */
export function toInboundMessage(message: WppMessage, ctx: NormalizeContext): InboundMessage {
  const type = mapMessageType(message.type);
  const isMedia = MEDIA_TYPES.has(message.type);
  let text: string | null = null;
  if (type === 'text' || type === 'interactive' || type === 'reaction') text = str(message.body);
  else if (type === 'contact') text = contactText(message);
  else if (type === 'unknown' && typeof message.body === 'string' && message.body.length <= RAW_BODY_LIMIT) {
    text = str(message.body);
  }
  return {
    provider: 'wppconnect',
    channel: ctx.channel,
    providerMessageId: message.id,
    timestamp: timestampOf(message, ctx.now ?? new Date()),
    from: {
      phone: ctx.phone,
      lid: ctx.lid,
      userId: null,
      name: str(message.notifyName) ?? str(message.sender?.pushname) ?? str(message.sender?.name) ?? null,
    },
    type,
    text,
    caption: isMedia || type === 'location' ? str(message.caption) : null,
    media: ctx.media,
    location: type === 'location' ? locationOf(message) : null,
    menuChoice: type === 'interactive' ? menuChoiceOf(message) : null,
    replyTo: str(message.quotedMsgId),
    raw: rawForAudit(message, ctx.rawNote),
  };
}
