/**
 * Shaping WhatsApp's strings and objects so the helpdesk can store them (pure functions). Cleaning and
 * cutting text (NUL and lone surrogates, cuts that never split a surrogate pair) is the contract's
 * (`@whatsapp-helpdesk/contract/normalise`), shared with the helpdesk, as is dropping vCard photos
 * (`stripVcardBinaries`); here:
 * - ids too long for the helpdesk become stable shorter ids (`fitId`);
 * - `raw` becomes a JSON-safe copy with bulky fields stripped, strings capped and nesting capped.
 */
import { createHash } from 'node:crypto';
import { cleanString, stripVcardBinaries, truncate } from '@whatsapp-helpdesk/contract/normalise';
import { RAW_LIMITS } from './webhook-limits';

/**
 * A stable id that fits `max` characters: the id itself when short enough, else its start, "~" and the
 * SHA-256 (hex) of the whole id, so two long ids never collide and the same id maps the same way.
 */
export function fitId(id: string, max: number): string {
  if (id.length <= max) return id;
  const hash = createHash('sha256').update(id).digest('hex');
  return `${id.slice(0, Math.max(0, max - hash.length - 1))}~${hash}`;
}

/** Keys whose values are images, thumbnails or media blobs, never needed for audit. */
const BULKY_KEY = /thumb|photo|^mediaData$|^waveform$|base64|^mediaBlob$|^streamingSidecar$/i;

/** How `sanitizeRaw` marks what it removed. */
export const RAW_MARKERS = {
  tooDeep: '[nested too deep]',
  stripped: (length: number) => `[stripped ${length} characters]`,
  strippedObject: '[stripped]',
  binary: (bytes: number) => `[binary ${bytes} bytes]`,
  moreItems: (count: number) => `[${count} more items]`,
} as const;

/**
 * A JSON-safe, bounded copy of WPPConnect's object for `raw`.
 * @param value - anything (`onMessage` objects are plain JSON, but nothing is assumed).
 * @param depth - nesting level of `value` (0 at the top).
 * @returns strings cleaned (`cleanString`), vCard images dropped, strings over `RAW_LIMITS.maxString`
 *   cut; bulky keys (thumbnails, photos, `mediaData`, base64 fields) replaced by a marker; arrays over
 *   `RAW_LIMITS.maxArray` items cut; anything deeper than `RAW_LIMITS.maxDepth` replaced by
 *   `[nested too deep]`; non-finite numbers → null, bigints → strings, functions/undefined dropped.
 *   Never throws; recursion is bounded by the depth cap.
 */
export function sanitizeRaw(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return sanitizeRawString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (depth >= RAW_LIMITS.maxDepth) return RAW_MARKERS.tooDeep;
  if (ArrayBuffer.isView(value)) return RAW_MARKERS.binary(value.byteLength);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) {
    const items = value.slice(0, RAW_LIMITS.maxArray).map((item) => sanitizeRaw(item, depth + 1) ?? null);
    if (value.length > RAW_LIMITS.maxArray)
      items.push(RAW_MARKERS.moreItems(value.length - RAW_LIMITS.maxArray));
    return items;
  }
  const entries: Array<[string, unknown]> = [];
  for (const [key, item] of Object.entries(value)) {
    const cleanKey = truncate(cleanString(key), 256);
    if (BULKY_KEY.test(key) && isBulky(item)) {
      entries.push([
        cleanKey,
        typeof item === 'string' ? RAW_MARKERS.stripped(item.length) : RAW_MARKERS.strippedObject,
      ]);
      continue;
    }
    const cleaned = sanitizeRaw(item, depth + 1);
    if (cleaned !== undefined) entries.push([cleanKey, cleaned]);
  }
  // fromEntries defines own properties, so a "__proto__" key stays data, not a prototype.
  return Object.fromEntries(entries);
}

function isBulky(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 256;
  return typeof value === 'object' && value !== null;
}

function sanitizeRawString(value: string): string {
  const cleaned = cleanString(value.includes('BEGIN:VCARD') ? stripVcardBinaries(value) : value);
  return cleaned.length > RAW_LIMITS.maxString
    ? `${truncate(cleaned, RAW_LIMITS.maxString - 40)} [cut from ${cleaned.length} characters]`
    : cleaned;
}
