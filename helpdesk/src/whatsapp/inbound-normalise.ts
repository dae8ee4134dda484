/**
 * Normalising inbound input at the edge, so a real customer message is never lost to our own
 * limits (issue 11, items 5 and 6):
 * - text: NUL characters (`\u0000`, which PostgreSQL's text and jsonb refuse) are removed and lone
 *   UTF-16 surrogates replaced, then over-long strings are shortened instead of refused (the
 *   contract's `@whatsapp-helpdesk/contract/normalise`, which the sidecar applies too, and the
 *   schemas of `@whatsapp-helpdesk/contract/sidecar-events`);
 * - `raw` (kept for audit only): cleaned recursively, nesting capped, bulky fields (thumbnails,
 *   base64 bodies) replaced by a marker, vCard binaries (photos) dropped (the contract's
 *   `stripVcardBinaries`), and the whole capped in size;
 * - a message that still fails the schema but has an id and a sender becomes an `unknown`
 *   message with a note saying why (`unreadableMessage`).
 */
import { cleanString, stripVcardBinaries, truncate } from '@whatsapp-helpdesk/contract/normalise';

/** Deeper `raw` values are replaced by a marker (BullMQ's and PostgreSQL's JSON have depth limits). */
export const RAW_MAX_DEPTH = 32;
/** Longer strings inside `raw` are replaced by a marker, characters (the message's columns keep the text). */
export const RAW_MAX_STRING = 8192;
/** Base64 (a media body or thumbnail WhatsApp Web puts in `body`) at least this long is removed from `raw`. */
export const RAW_MIN_BASE64 = 1024;
const BASE64 = /^(data:[\w.+-]+\/[\w.+-]+;base64,)?[A-Za-z0-9+/\r\n]+={0,2}$/;
/** Items kept of an array inside `raw`, and keys of an object. */
export const RAW_MAX_ITEMS = 256;
/** `raw` larger than this as JSON, after cleaning, is replaced by a summary, characters. */
export const RAW_MAX_JSON = 256 * 1024;

/** Fields of WhatsApp Web's and Meta's payloads that only carry preview bytes. */
const BULKY_KEYS = new Set([
  'jpegThumbnail',
  'thumbnail',
  'thumbnailHQ',
  'mediaData',
  'waveform',
  'streamingSidecar',
  'scansSidecar',
  'interactiveAnnotations',
]);

function cleanRawValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    let text = cleanString(value);
    if (text.includes('BEGIN:VCARD')) text = stripVcardBinaries(text);
    if (text.length > RAW_MAX_STRING) return `[removed: ${text.length} characters]`;
    return text.length >= RAW_MIN_BASE64 && BASE64.test(text)
      ? `[removed: ${text.length} characters of base64]`
      : text;
  }
  if (value === null || typeof value !== 'object') {
    return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  if (depth >= RAW_MAX_DEPTH) return `[removed: nested deeper than ${RAW_MAX_DEPTH} levels]`;
  if (Array.isArray(value)) {
    const items = value.slice(0, RAW_MAX_ITEMS).map((item) => cleanRawValue(item, depth + 1));
    if (value.length > RAW_MAX_ITEMS) items.push(`[removed: ${value.length - RAW_MAX_ITEMS} more items]`);
    return items;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const kept = entries
    .slice(0, RAW_MAX_ITEMS)
    .map(([key, item]): [string, unknown] => [
      truncate(cleanString(key), 256),
      BULKY_KEYS.has(key) && item !== null && item !== undefined
        ? '[removed: preview bytes]'
        : cleanRawValue(item, depth + 1),
    ]);
  if (entries.length > RAW_MAX_ITEMS) kept.push(['[removed]', `${entries.length - RAW_MAX_ITEMS} more keys`]);
  // fromEntries defines own properties: a "__proto__" key stays data, never a prototype.
  return Object.fromEntries(kept);
}

/**
 * The provider's payload as kept for audit in `messages.raw`: NUL-free strings (keys too), nesting
 * capped at RAW_MAX_DEPTH, thumbnails, vCard photos and long (base64) strings replaced by markers,
 * long arrays and objects cut, and the whole replaced by a summary when its JSON still exceeds
 * RAW_MAX_JSON characters. Never throws; `undefined` stays `undefined`.
 */
export function cleanRaw(value: unknown): unknown {
  if (value === undefined) return undefined;
  const cleaned = cleanRawValue(value, 0);
  const json = JSON.stringify(cleaned) ?? 'null';
  if (json.length <= RAW_MAX_JSON) return cleaned;
  return {
    removed: `raw payload of ${json.length} characters after cleaning (more than ${RAW_MAX_JSON})`,
    keys:
      cleaned && typeof cleaned === 'object' && !Array.isArray(cleaned)
        ? Object.keys(cleaned).slice(0, 50)
        : [],
  };
}

/** The note stored with a message that could not be read in full (shown to agents). */
export function unreadableNote(reason: string): string {
  return truncate(
    `تعذرت قراءة الرسالة كاملة فحُفظت كنوع غير معروف / Could not be read in full, stored as unknown: ${cleanString(reason)}`,
    2048,
  );
}

/**
 * The note stored with a message kept without its media (shown to agents, both languages as in
 * `unreadableNote`): the file is gone, refused, too large, or still failing at the last try.
 * @param reason the download's error message.
 */
export function mediaUnavailableNote(reason: string): string {
  return truncate(
    `تعذّر تنزيل الملف فحُفظت الرسالة بدونه / Media could not be downloaded, stored without it: ${cleanString(reason)}`,
    2048,
  );
}

/** A record's string field, cleaned, when it is a string of 1..max characters after cleaning. */
export function stringField(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = cleanString(value);
  return cleaned.length >= 1 && cleaned.length <= max ? cleaned : null;
}

/** zod issues as one line: `path: message; …` (the first five). */
export function describeIssues(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(item)'}: ${issue.message}`)
    .join('; ');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
