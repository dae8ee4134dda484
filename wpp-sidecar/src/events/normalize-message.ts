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
  type SidecarContact,
  type SidecarDetails,
  type SidecarInboundMedia,
  type SidecarInboundMessage,
  type SidecarQuoted,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import {
  cleanString,
  stripVcardBinaries,
  truncate,
  truncateFilename,
} from '@whatsapp-helpdesk/contract/normalise';
import { parseVcardContacts } from '@whatsapp-helpdesk/contract/normalise/vcard-contacts';
import { fitId, sanitizeRaw } from './sanitize';
import { parseMessageId, participantOf, serializedMessageId, widString } from './wpp-ids';
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
  poll_creation: 'poll',
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

/** A coordinate: a finite number, or a numeric string; null, undefined and '' are none (never 0). */
function coordinate(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Visible to agents (Arabic and English) when a location came without usable coordinates. */
export function locationWithoutCoordinatesNote(place: string | null): string {
  const where = place ? ` (${place})` : '';
  return (
    `[أرسل العميل موقعًا بلا إحداثيات${where}؛ اطلب منه إرساله مرة أخرى أو افتحه على الهاتف.]\n` +
    `[The customer shared a location without coordinates${where}; ask them to send it again or open it on the phone.]`
  );
}

/**
 * A location message's place: name and address from `loc` ("name\naddress"), live flag (`isLive`), the
 * shared link (`url`, http(s) only). Coordinates must both be there: WhatsApp Web leaves `lat`/`lng`
 * null on a live location it does not follow, and `Number(null)` is 0, so nothing is converted blindly.
 * @returns the location, or null with a `note` saying why (no coordinates, or out of range).
 */
function locationOf(message: WppMessage): {
  location: SidecarInboundMessage['location'];
  note: string | null;
} {
  const [name, ...rest] = (str(message.loc) ?? '').split('\n');
  const placeName = str(name) ?? str(message.locationName);
  const address = str(rest.join('\n')) ?? str(message.locationAddress) ?? str(message.address);
  const lat = coordinate(message.lat);
  const lng = coordinate(message.lng);
  const place = [placeName, address].filter(Boolean).join(', ') || null;
  if (lat === null || lng === null) {
    return { location: null, note: locationWithoutCoordinatesNote(place) };
  }
  // Out of range: no location rather than an event the helpdesk refuses (raw keeps the values).
  if (Math.abs(lat) > LOCATION_RANGE.latitude || Math.abs(lng) > LOCATION_RANGE.longitude) {
    return { location: null, note: locationWithoutCoordinatesNote(place) };
  }
  const url = str(message.url);
  return {
    location: {
      latitude: lat,
      longitude: lng,
      name: placeName,
      address,
      live: message.isLive === true,
      url: url && /^https?:\/\//i.test(url) && url.length <= FIELD_LIMITS.mediaUrl ? url : null,
    },
    note: null,
  };
}

/**
 * Visible to agents (Arabic and English) on a message of a kind the helpdesk has no type for and nothing
 * to show (a catalogue order, a call notice…), so it is never an empty bubble.
 * @param wppType - WPPConnect's `type`, named so agents can tell what it was.
 */
export function unknownKindNote(wppType: string): string {
  const kind = truncate(cleanString(String(wppType || '?')), 64);
  return (
    `[رسالة من نوع لا يعرضه النظام (${kind})؛ افتحها على الهاتف.]\n` +
    `[A kind of message the helpdesk cannot show (${kind}); open it on the phone.]`
  );
}

/** A poll's question and options, one per line (`pollName`, `pollOptions[].name`: wa-js MsgModel). */
function pollText(message: WppMessage): string | null {
  const question = str(message.pollName) ?? str(message.body);
  const options = Array.isArray(message.pollOptions)
    ? (message.pollOptions as Array<{ name?: unknown } | null>)
        .map((option) => str(option?.name))
        .filter((option): option is string => option !== null)
    : [];
  const lines = [question, ...options.map((option) => `• ${option}`)].filter(Boolean);
  return lines.length > 0 ? lines.join('\n') : null;
}

/**
 * The shared contacts of a `vcard` / `multi_vcard` message, parsed from their vCards (the contract's
 * `parseVcardContacts`, ical.js): `vcardList[].vcard` with `displayName`, else the `body`.
 */
export function contactsOf(message: WppMessage): SidecarContact[] | null {
  let cards: SidecarContact[] = [];
  if (Array.isArray(message.vcardList) && message.vcardList.length > 0) {
    const list = message.vcardList.filter((entry) => typeof entry?.vcard === 'string');
    cards = parseVcardContacts(
      list.map((entry) => entry!.vcard!),
      list.map((entry) => (typeof entry?.displayName === 'string' ? entry.displayName : null)),
    );
  } else {
    const body = str(message.body) ?? str(message.content);
    if (body) cards = parseVcardContacts(body, [str(message.vcardFormattedName)]);
  }
  return cards.length > 0 ? cards : null;
}

/**
 * The message a reply quotes. WAPI serializes `quotedMsgId` from the Msg model's `_quotedMsgObj`, which is
 * often missing; the model's own `quotedStanzaID` (the bare id), `quotedParticipant` (its author) and
 * `quotedMsg` (a copy: `type`, `body`, `caption`…) are there (wa-js MsgModel). The full id the helpdesk
 * stored is rebuilt as `<fromMe>_<chat>_<stanza id>` (groups: `_<participant>` appended for others'
 * messages). `fromMe`: the author is the recipient of this message (`to`: us) or, failing that, not its
 * sender; null when neither can be told (then the id assumes ours, since customers mostly quote our replies).
 * @see node_modules/@wppconnect/wa-js/dist/whatsapp/models/MsgModel.d.ts (`quotedStanzaID`, `quotedParticipant`, `quotedMsg`)
 */
export function quotedOf(message: WppMessage): SidecarQuoted | null {
  const quotedMsg = message.quotedMsg && typeof message.quotedMsg === 'object' ? message.quotedMsg : null;
  const explicit = str(message.quotedMsgId) ?? serializedMessageId(quotedMsg?.id);
  const stanza = str(message.quotedStanzaID);
  const participant = str(message.quotedParticipant) ?? widString(quotedMsg?.author) ?? null;
  const sender = senderId(message);
  let fromMe: boolean | null = null;
  let providerMessageId: string | null = null;
  const parsed = explicit ? parseMessageId(explicit) : null;
  if (explicit && parsed) {
    fromMe = parsed.fromMe;
    providerMessageId = explicit;
  } else if (stanza) {
    if (participant && participant === sender) fromMe = false;
    else if (participant && participant === message.to) fromMe = true;
    else if (typeof quotedMsg?.fromMe === 'boolean') fromMe = quotedMsg.fromMe;
    const chat = chatKey(message);
    const own = fromMe ?? true;
    const isGroup = chat.endsWith('@g.us');
    providerMessageId = `${own}_${chat}_${stanza}${isGroup && !own && participant ? `_${participant}` : ''}`;
  } else if (explicit) {
    providerMessageId = explicit;
  }
  if (!providerMessageId) return null;
  const type = typeof quotedMsg?.type === 'string' ? mapMessageType(quotedMsg.type) : null;
  const quotedText =
    type === null || type === 'text' || type === 'interactive'
      ? str(quotedMsg?.body)
      : type === 'poll'
        ? str(quotedMsg?.pollName)
        : type === 'location'
          ? str(quotedMsg?.loc)
          : type === 'contact'
            ? str(quotedMsg?.vcardFormattedName)
            : quotedMsg?.isCaptionByUser === false
              ? null
              : str(quotedMsg?.caption);
  return {
    providerMessageId: fitId(cleanString(providerMessageId), FIELD_LIMITS.providerMessageId),
    participant: fromMe === true ? null : fitParticipant(participantOf(participant)),
    fromMe,
    type,
    text: quotedText === null ? null : truncate(quotedText, FIELD_LIMITS.quotedText) || null,
  };
}

function fitParticipant(value: string | null): string | null {
  return value === null || value.length > FIELD_LIMITS.userId ? null : value;
}

/** A positive measure (seconds, pixels, pages), from a number or a numeric string; else null. */
function measure(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : null;
}

/** A short text fitted to `max`, null when empty. */
function short(value: unknown, max: number): string | null {
  const text = str(value);
  return text === null ? null : truncate(text, max) || null;
}

/**
 * Forwarded (`isForwarded`, `forwardingScore` > 0), view once (`isViewOnce`), album (`parentMsgKey`, the
 * album's key), duration (`duration`, seconds: audio, voice, video), `width`/`height` (pixels: image,
 * video, sticker), pages (`pageCount`: document), the chosen list row (`listResponse`: `title`,
 * `description`, `singleSelectReply.selectedRowId`) and the pressed button (`selectedButtonId` and the
 * button's text in `body`; `template_button_reply`: `selectedId`).
 * @see node_modules/@wppconnect/wa-js/dist/whatsapp/models/MsgModel.d.ts
 */
export function detailsOf(message: WppMessage): SidecarDetails {
  const type = message.type;
  const visual = type === 'image' || type === 'video' || type === 'sticker';
  const timed = type === 'audio' || type === 'ptt' || type === 'video';
  const listResponse =
    message.listResponse && typeof message.listResponse === 'object'
      ? (message.listResponse as {
          title?: unknown;
          description?: unknown;
          singleSelectReply?: { selectedRowId?: unknown };
        })
      : null;
  const album = serializedMessageId(message.parentMsgKey);
  const buttonsResponse =
    message.buttonsResponse && typeof message.buttonsResponse === 'object'
      ? (message.buttonsResponse as { selectedButtonId?: unknown; selectedDisplayText?: unknown })
      : null;
  return {
    forwarded: message.isForwarded === true || (measure(message.forwardingScore) ?? 0) > 0,
    viewOnce: message.isViewOnce === true,
    albumId: album ? fitId(cleanString(album), FIELD_LIMITS.albumId) : null,
    durationSeconds: timed ? measure(message.duration) : null,
    width: visual ? measure(message.width) : null,
    height: visual ? measure(message.height) : null,
    pages: type === 'document' ? measure(message.pageCount) : null,
    listReply:
      type === 'list_response'
        ? {
            id: short(
              listResponse?.singleSelectReply?.selectedRowId ?? message.selectedRowId,
              FIELD_LIMITS.menuChoice,
            ),
            title:
              short(listResponse?.title, FIELD_LIMITS.replyText) ??
              short(message.body, FIELD_LIMITS.replyText),
            description: short(listResponse?.description, FIELD_LIMITS.replyText),
          }
        : null,
    buttonReply:
      type === 'buttons_response' || type === 'template_button_reply'
        ? {
            id: short(
              message.selectedButtonId ?? buttonsResponse?.selectedButtonId ?? message.selectedId,
              FIELD_LIMITS.menuChoice,
            ),
            text:
              short(message.body, FIELD_LIMITS.replyText) ??
              short(buttonsResponse?.selectedDisplayText, FIELD_LIMITS.replyText),
          }
        : null,
    interactive: null,
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
  // The quoted copy of a photo or video carries its thumbnail in `body` too.
  const quoted = raw.quotedMsg;
  if (quoted && typeof quoted === 'object' && !Array.isArray(quoted)) {
    const copy = { ...(quoted as Record<string, unknown>) };
    const body = copy.body;
    if (
      typeof body === 'string' &&
      (body.length > RAW_BODY_LIMIT || (typeof copy.type === 'string' && MEDIA_TYPES.has(copy.type)))
    ) {
      copy.body = `[stripped ${body.length} characters]`;
    }
    raw.quotedMsg = copy;
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
  /** A note for agents (Arabic and English), e.g. a view-once photo that only the phone can open. */
  note?: string | null;
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
  else if (type === 'poll') text = pollText(message);
  else if (type === 'unknown' && typeof message.body === 'string' && message.body.length <= RAW_BODY_LIMIT) {
    text = str(message.body);
  }
  const place = type === 'location' ? locationOf(message) : { location: null, note: null };
  const location = place.location;
  const media = ctx.media ? fitMedia(ctx.media, cut) : null;
  const name = str(message.notifyName) ?? str(message.sender?.pushname) ?? str(message.sender?.name) ?? null;
  const lid = ctx.lid === null ? null : fitId(cleanString(ctx.lid), FIELD_LIMITS.lid);
  const quoted = quotedOf(message);
  // A live location's caption is its `comment`.
  const caption =
    isMedia || type === 'location'
      ? (userCaptionOf(message) ?? (type === 'location' ? str(message.comment) : null))
      : null;
  const unshown =
    type === 'unknown' && text === null && ctx.media === null && !ctx.note
      ? unknownKindNote(message.type)
      : null;
  const notes = [place.note, ctx.note ?? null, unshown].filter((note): note is string => Boolean(note));
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
    caption: fit('caption', caption, FIELD_LIMITS.caption),
    media,
    location: location && {
      ...location,
      name: fit('location.name', location.name, FIELD_LIMITS.locationName),
      address: fit('location.address', location.address, FIELD_LIMITS.locationAddress),
    },
    menuChoice:
      type === 'interactive' ? fit('menuChoice', menuChoiceOf(message), FIELD_LIMITS.menuChoice) : null,
    replyTo: quoted ? fitId(quoted.providerMessageId, FIELD_LIMITS.replyTo) : null,
    quoted,
    contacts: type === 'contact' ? contactsOf(message) : null,
    details: detailsOf(message),
    note: notes.length > 0 ? truncate(notes.join('\n'), FIELD_LIMITS.note) : null,
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
