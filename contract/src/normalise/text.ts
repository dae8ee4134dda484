/**
 * Text both services make storable before it crosses the webhook (pure, no dependencies):
 * PostgreSQL's text and jsonb refuse NUL characters and lone UTF-16 surrogates, which made a
 * message (or every message of a customer with such a profile name) unstorable; over-long free
 * text is shortened instead of refused, so a customer's message is never lost to a limit.
 * The sidecar applies them while building an event (wpp-sidecar/src/events/), the helpdesk again
 * while validating it (the sidecar-events schemas), so a payload from elsewhere is treated alike.
 */

/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string PostgreSQL can store.
 * @param value any string.
 * @returns `value` without NUL characters and with lone surrogates replaced by U+FFFD (never longer).
 */
export function cleanString(value: string): string {
  const withoutNul = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  return withoutNul.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * @param value any string.
 * @param max longest result, in characters (UTF-16 code units, as zod's `.max()` counts), ≥ 1.
 * @returns `value` when it fits, else its start ending in "…", never half of a surrogate pair.
 */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max - 1);
  const last = value.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}…`;
}

/**
 * Like `truncate`, keeping a file name's extension (the dot and up to 16 characters) visible, so the
 * helpdesk still shows and serves the file with the right type (`تقرير…طويل….pdf`).
 * @param value a file name. @param max longest result, characters.
 */
export function truncateFilename(value: string, max: number): string {
  if (value.length <= max) return value;
  const dot = value.lastIndexOf('.');
  const extension = dot > 0 && value.length - dot <= 17 ? value.slice(dot) : '';
  return `${truncate(value.slice(0, value.length - extension.length), max - extension.length)}${extension}`;
}
